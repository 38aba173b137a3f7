#pragma once
// Validates a JSON value against a compiled schema and reports every violation with the JSON
// Pointer of the value at fault, taken from the walk itself (never from message text): a missing
// required property or a property that is not allowed points at that property, a bad property
// name at the property, an array duplicate at the later copy. Every allOf branch and every
// matching patternProperties entry is checked, so nothing hides behind the first failure.
#include <rapidjson/document.h>

#include "diagnostics/violation.hpp"
#include "schema/compiled_schema.hpp"

namespace prm_mock {

// Every violation of `schema` by `value` (location "body"), sorted by pointer, keyword and message,
// without duplicates. Empty when the value is valid. Thread-safe; never throws for any value.
Violations schema_violations_of(const SchemaNode& schema, const rapidjson::Value& value);

}  // namespace prm_mock
