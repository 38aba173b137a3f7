#pragma once
// Replaces local "$ref"s in a JSON Schema taken from an OpenAPI document with inline copies of what
// they point to, so the schema stands alone (the schema compiler never sees the rest of the document) and a
// reader can compare it with the published components.
#include <rapidjson/document.h>

#include <string>
#include <string_view>

namespace prm_mock {

// The value `pointer` (RFC 6901, e.g. "/components/schemas/A~1B"; "" is the root) designates in
// `root`, or nullptr.
const rapidjson::Value* find_json_pointer(const rapidjson::Value& root, std::string_view pointer);

// The value a local reference ("#/..." or "#") designates, or nullptr; percent-escapes of the URI
// fragment are decoded before the pointer is applied.
const rapidjson::Value* find_local_ref(const rapidjson::Value& root, std::string_view ref);

// What members beside a $ref mean: OpenAPI 3.1 (JSON Schema 2020-12) applies them too, OpenAPI 3.0
// ignores them (its Reference Object replaces the whole schema).
enum class RefSiblings { kCombined, kIgnored };

// A deep copy of `value` in which every {"$ref": "#/..."} is replaced, recursively, by the value it
// designates in `root`. With kCombined, members beside a $ref are kept: annotations (description,
// title, ...) overwrite the target's, anything else combines with it through allOf.
// `at` is the JSON Pointer of `value` in `root`, used in messages. Throws ContractError, naming
// `origin` and the ref, for a ref that is not local, does not resolve, or is part of a cycle.
rapidjson::Value inline_refs(const rapidjson::Value& value, const rapidjson::Value& root,
                             rapidjson::Document::AllocatorType& allocator, std::string_view origin,
                             const std::string& at, RefSiblings siblings = RefSiblings::kCombined);

}  // namespace prm_mock
