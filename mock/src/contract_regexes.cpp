// GCC 12 at -O2 with -fsanitize=address reports a false "may be used uninitialized" inside
// libstdc++'s std::regex compiler; this file's code is not the cause.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include "contract_regexes.hpp"

#include <regex>

#include "contract.hpp"
#include "json_pointer_token.hpp"

namespace prm_mock {
namespace {

constexpr std::size_t kMaxPatternLength = 1024;

// Keywords whose value is data (enum members, examples...): a "pattern" inside is not a keyword.
bool holds_data(std::string_view keyword) {
  return keyword == "enum" || keyword == "const" || keyword == "default" || keyword == "example" ||
         keyword == "examples";
}

// Keywords whose value maps names to schemas: the names are not keywords.
bool holds_named_schemas(std::string_view keyword) {
  return keyword == "properties" || keyword == "$defs" || keyword == "definitions" ||
         keyword == "dependentSchemas";
}

void compile(std::string_view pattern, std::string_view origin, const std::string& at) {
  const std::string where = std::string(origin) + ": the regex at '" + at + "'";
  if (pattern.size() > kMaxPatternLength) {
    throw ContractError(where + " is longer than " + std::to_string(kMaxPatternLength) +
                        " characters");
  }
  try {
    std::regex(pattern.data(), pattern.size());
  } catch (const std::regex_error& error) {
    throw ContractError(where + " is invalid: " + error.what());
  }
}

std::string_view name_of(const rapidjson::Value& name) {
  return {name.GetString(), name.GetStringLength()};
}

}  // namespace

// Recursion is bounded: the request schema is at most 128 levels deep (ref_inliner.cpp).
void check_schema_regexes(const rapidjson::Value& schema, std::string_view origin,
                          const std::string& at) {
  if (schema.IsArray()) {
    for (rapidjson::SizeType i = 0; i < schema.Size(); ++i) {
      check_schema_regexes(schema[i], origin, at + "/" + std::to_string(i));
    }
    return;
  }
  if (!schema.IsObject()) return;
  for (const auto& member : schema.GetObject()) {
    const std::string_view keyword = name_of(member.name);
    const std::string keyword_at = child_pointer(at, keyword);
    const rapidjson::Value& value = member.value;
    if (holds_data(keyword)) continue;
    if (keyword == "pattern" && value.IsString()) {
      compile(name_of(value), origin, keyword_at);
    } else if ((keyword == "patternProperties" || holds_named_schemas(keyword)) &&
               value.IsObject()) {
      for (const auto& named : value.GetObject()) {
        const std::string named_at = child_pointer(keyword_at, name_of(named.name));
        if (keyword == "patternProperties") compile(name_of(named.name), origin, named_at);
        check_schema_regexes(named.value, origin, named_at);
      }
    } else {
      check_schema_regexes(value, origin, keyword_at);
    }
  }
}

}  // namespace prm_mock
