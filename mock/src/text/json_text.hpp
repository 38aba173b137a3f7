#pragma once
// Describing JSON values in messages: their JSON type's name and their compact text.
#include <rapidjson/document.h>

#include <string>

namespace prm_mock {

// "null", "boolean", "number", "string", "array" or "object".
const char* json_type_name(const rapidjson::Value& value);

// The value as compact JSON text, e.g. {"a":1}.
std::string compact_json(const rapidjson::Value& value);

}  // namespace prm_mock
