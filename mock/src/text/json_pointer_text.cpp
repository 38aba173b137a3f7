#include "text/json_pointer_text.hpp"

#include <cctype>

namespace prm_mock {
namespace {

using Token = rapidjson::Pointer::Token;

bool is_array_index(std::string_view token) {
  if (token == "-") return true;
  if (token.empty()) return false;
  for (char c : token) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// A schema that says nothing about its value's shape lets any path continue below it.
bool constrains_nothing(const rapidjson::Value& schema) {
  static constexpr const char* kShapeKeywords[] = {"type",
                                                   "properties",
                                                   "additionalProperties",
                                                   "patternProperties",
                                                   "items",
                                                   "allOf",
                                                   "anyOf",
                                                   "oneOf",
                                                   "enum",
                                                   "const",
                                                   "$ref",
                                                   "not"};
  for (const char* keyword : kShapeKeywords) {
    if (schema.HasMember(keyword)) return false;
  }
  return true;
}

bool reaches(const rapidjson::Value& schema, const Token* token, const Token* end) {
  if (token == end) return true;
  if (schema.IsBool()) return schema.GetBool();
  if (!schema.IsObject()) return false;
  if (constrains_nothing(schema)) return true;
  const std::string_view name(token->name, token->length);

  for (const char* combinator : {"allOf", "anyOf", "oneOf"}) {
    const auto found = schema.FindMember(combinator);
    if (found == schema.MemberEnd() || !found->value.IsArray()) continue;
    for (const auto& branch : found->value.GetArray()) {
      if (reaches(branch, token, end)) return true;
    }
  }
  if (const auto properties = schema.FindMember("properties");
      properties != schema.MemberEnd() && properties->value.IsObject()) {
    const auto property = properties->value.FindMember(
        rapidjson::Value(rapidjson::StringRef(token->name, token->length)));
    if (property != properties->value.MemberEnd()) return reaches(property->value, token + 1, end);
  }
  // Only an explicit additionalProperties schema counts: the JSON Schema default (anything goes)
  // would make every typo "reachable".
  if (const auto additional = schema.FindMember("additionalProperties");
      additional != schema.MemberEnd() && additional->value.IsObject()) {
    return reaches(additional->value, token + 1, end);
  }
  if (const auto items = schema.FindMember("items");
      items != schema.MemberEnd() && is_array_index(name)) {
    if (items->value.IsObject() || items->value.IsBool())
      return reaches(items->value, token + 1, end);
    if (items->value.IsArray() && name != "-") {
      const std::size_t index = std::stoul(std::string(name));
      if (index < items->value.Size()) return reaches(items->value[index], token + 1, end);
    }
  }
  return false;
}

}  // namespace

bool schema_reaches(const rapidjson::Value& schema, const rapidjson::Pointer& pointer) {
  const Token* tokens = pointer.GetTokens();
  return reaches(schema, tokens, tokens + pointer.GetTokenCount());
}

std::string pointer_syntax_problem(std::string_view text) {
  if (text.empty()) return "";
  if (text.front() != '/') return "a JSON Pointer must be empty or start with '/'";
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '~') continue;
    if (i + 1 >= text.size() || (text[i + 1] != '0' && text[i + 1] != '1')) {
      return "'~' in a JSON Pointer must be written as ~0 (for '~') or ~1 (for '/')";
    }
  }
  return "";
}

}  // namespace prm_mock
