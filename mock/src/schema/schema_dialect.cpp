#include "schema/schema_dialect.hpp"

#include <string>

#include "diagnostics/contract_error.hpp"
#include "schema/schema_keywords.hpp"

namespace prm_mock {

SchemaDialect schema_dialect_of(const rapidjson::Value& document, std::string_view origin) {
  const std::string where(origin);
  const auto version = document.FindMember("openapi");
  if (version == document.MemberEnd()) return SchemaDialect::kJsonSchema202012;
  if (!version->value.IsString()) {
    throw ContractError(where + ": 'openapi' must be a version string such as \"3.1.0\"");
  }
  const std::string_view text(version->value.GetString(), version->value.GetStringLength());
  if (text.starts_with("3.0.")) return SchemaDialect::kOpenApi30;
  if (!text.starts_with("3.1.")) {
    throw ContractError(where + ": OpenAPI version '" + std::string(text) +
                        "' is not supported (3.0.x and 3.1.x are)");
  }
  const auto dialect = document.FindMember("jsonSchemaDialect");
  if (dialect != document.MemberEnd() &&
      !(dialect->value.IsString() &&
        is_json_schema_2020_12({dialect->value.GetString(), dialect->value.GetStringLength()}))) {
    throw ContractError(where +
                        ": jsonSchemaDialect is not supported; only JSON Schema 2020-12 is read");
  }
  return SchemaDialect::kJsonSchema202012;
}

}  // namespace prm_mock
