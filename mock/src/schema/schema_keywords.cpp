#include "schema/schema_keywords.hpp"

#include <algorithm>
#include <iterator>

namespace prm_mock {
namespace {

constexpr std::string_view kAnnotationKeywords[] = {
    "title",
    "description",
    "default",
    "examples",
    "example",
    "deprecated",
    "readOnly",
    "writeOnly",
    "$comment",
    "contentEncoding",
    "contentMediaType",
    "contentSchema",
    "discriminator",
    "xml",
    "externalDocs",
    "$defs",
    "definitions",
};

struct Refusal {
  std::string_view keyword;
  std::string_view reason;
};

constexpr Refusal kRefusals[] = {
    {"$id", "a schema that sets its own base URI; $refs are resolved within the document"},
    {"$anchor", "anchors; use a JSON Pointer $ref ('#/components/schemas/...')"},
    {"$dynamicAnchor", "dynamic references"},
    {"$dynamicRef", "dynamic references"},
    {"$recursiveAnchor", "recursive references (draft 2019-09)"},
    {"$recursiveRef", "recursive references (draft 2019-09)"},
    {"$vocabulary", "custom vocabularies"},
    {"$ref", "a $ref that is not a string"},
    {"dependencies",
     "it is draft 7's keyword; JSON Schema 2020-12 (OpenAPI 3.1) splits it into "
     "dependentRequired and dependentSchemas"},
    {"additionalItems",
     "it is the tuple form of drafts up to 2019-09; JSON Schema 2020-12 (OpenAPI 3.1) uses "
     "prefixItems and items"},
    {"nullable",
     "it is OpenAPI 3.0's keyword (which needs 'openapi: 3.0.x'); in 3.1 write type: [..., "
     "'null']"},
};

}  // namespace

bool is_annotation_keyword(std::string_view keyword) {
  return std::find(std::begin(kAnnotationKeywords), std::end(kAnnotationKeywords), keyword) !=
         std::end(kAnnotationKeywords);
}

std::string_view unsupported_keyword_reason(std::string_view keyword) {
  for (const Refusal& refusal : kRefusals) {
    if (refusal.keyword == keyword) return refusal.reason;
  }
  return "";
}

bool is_json_schema_2020_12(std::string_view uri) {
  if (uri.ends_with("#")) uri.remove_suffix(1);
  return uri == "https://json-schema.org/draft/2020-12/schema" ||
         uri == "https://spec.openapis.org/oas/3.1/dialect/base";
}

}  // namespace prm_mock
