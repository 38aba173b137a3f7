#pragma once
// Turns valijson's raw findings into the violations the mock reports: a JSON Pointer, the JSON
// Schema keyword that failed, and a plain sentence, without the wrapper errors valijson adds for
// every container above a failing value.
#include <rapidjson/document.h>

#include <valijson/validation_results.hpp>

#include "violation.hpp"

namespace prm_mock {

// `schema` is the (ref-free) schema `body` was validated against; it supplies the expected types,
// allowed values and patterns the messages quote. The result is deduplicated and sorted by pointer,
// then keyword, then message; every entry has location "body". Keywords are the JSON Schema names
// (required, type, additionalProperties, enum, const, pattern, minLength, ...), "schema" when the
// finding maps to none.
Violations schema_violations(const valijson::ValidationResults& results,
                             const rapidjson::Value& schema, const rapidjson::Value& body);

}  // namespace prm_mock
