#pragma once
// OpenAPI 3.0's Schema Object rewritten as the JSON Schema 2020-12 it means, so one compiler and
// one validator serve both versions:
//   nullable: true              -> "null" added to type (only when type is given, as 3.0.3 says)
//   exclusiveMinimum: true      -> exclusiveMinimum: <minimum>, minimum removed (same for maximum)
//   exclusiveMinimum: false     -> removed
// Every other 3.0 keyword means the same in 2020-12. A keyword 3.0 does not define (const,
// prefixItems, ...) is refused rather than read with 2020-12's meaning. $ref siblings, which 3.0
// ignores, are dropped by ref_inliner before this runs.
#include <rapidjson/document.h>

#include <string>
#include <string_view>

namespace prm_mock {

// Rewrites the ref-free `schema` in place. Throws ContractError naming `origin` and the JSON
// Pointer (under `at`) of a keyword that is not OpenAPI 3.0's or has a value 3.0 does not allow.
void translate_openapi30_schema(rapidjson::Value& schema,
                                rapidjson::Document::AllocatorType& allocator,
                                std::string_view origin, const std::string& at);

}  // namespace prm_mock
