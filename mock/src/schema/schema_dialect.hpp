#pragma once
// Which JSON Schema dialect an OpenAPI document's schemas are written in. OpenAPI 3.0 has its own
// subset of an old draft (nullable, boolean exclusiveMinimum, $ref replacing its siblings);
// OpenAPI 3.1 uses JSON Schema 2020-12 unless jsonSchemaDialect says otherwise.
#include <rapidjson/document.h>

#include <string_view>

namespace prm_mock {

enum class SchemaDialect { kOpenApi30, kJsonSchema202012 };

// 'openapi: 3.0.x' gives kOpenApi30; '3.1.x' gives 2020-12, the only jsonSchemaDialect the mock
// reads; a document without 'openapi' is read as 3.1. Any other version or dialect is a
// ContractError naming `origin`.
SchemaDialect schema_dialect_of(const rapidjson::Value& document, std::string_view origin);

}  // namespace prm_mock
