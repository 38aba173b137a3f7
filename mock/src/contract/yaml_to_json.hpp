#pragma once
// Reads a YAML (or JSON, which is YAML) document into RapidJSON, so the OpenAPI contract can be
// published as YAML yet handled with the same JSON tools as request bodies.
#include <rapidjson/document.h>

#include <string_view>

namespace prm_mock {

// Converts `text` to JSON. Quoted scalars are strings; plain scalars follow the YAML 1.2 core
// schema (null/~/empty → null, true/false → bool, integer and float syntax → number, anything else
// a string). Map keys are strings. Throws ContractError naming `origin` and the line on bad YAML,
// on non-scalar or duplicate keys, and on documents nested or expanded (aliases) beyond sane
// limits.
rapidjson::Document yaml_to_json(std::string_view text, std::string_view origin);

}  // namespace prm_mock
