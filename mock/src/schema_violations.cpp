#include "schema_violations.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <regex>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "json_pointer_token.hpp"
#include "json_text.hpp"

namespace prm_mock {
namespace {

// valijson reports a failing value and then, for each container above it, an error that only says
// "a child failed". Those repeat information the child's own error already carries.
constexpr std::string_view kWrapperPrefixes[] = {
    "Failed to validate against schema associated with property name",
    "Failed to validate against schema associated with pattern",
    "Failed to validate against additional properties schema",
    "Failed to validate item #",
    "Failed to validate against child schema #",
    "Failed to validate against dependent schema",
    "Failed to validate against a conditional schema",
};

struct KeywordPrefix {
  std::string_view prefix;
  std::string_view keyword;
};

// valijson 1.0's descriptions, by the keyword that produces them (see validation_visitor.hpp).
constexpr KeywordPrefix kKeywords[] = {
    {"Missing required property", "required"},
    {"Value type not permitted by 'type'", "type"},
    {"Object contains a property that could not be validated", "additionalProperties"},
    {"Failed to match against any enum values", "enum"},
    {"Failed to match expected value set by 'const'", "const"},
    {"Failed to match regex specified by 'pattern'", "pattern"},
    {"String should be no more than", "maxLength"},
    {"String should be no fewer than", "minLength"},
    {"String should be a valid", "format"},
    {"Array should contain no more than", "maxItems"},
    {"Array should contain no fewer than", "minItems"},
    {"Object should have no more than", "maxProperties"},
    {"Object should have no fewer than", "minProperties"},
    {"Expected number less than or equal to", "maximum"},
    {"Expected number less than", "exclusiveMaximum"},
    {"Expected number greater than or equal to", "minimum"},
    {"Expected number greater than", "exclusiveMinimum"},
    {"Value should be a multiple of", "multipleOf"},
    {"Value could not be converted", "multipleOf"},
    {"Target should not validate", "not"},
    {"Failed to validate against any schemas allowed by anyOf", "anyOf"},
    {"Failed to validate against any child schemas allowed by oneOf", "oneOf"},
    {"Failed to validate against exactly one child schema", "oneOf"},
    {"Failed to any values against subschema in 'contains'", "contains"},
    {"Array contains more items than allowed", "additionalItems"},
    {"Cannot validate item #", "additionalItems"},
    {"violate uniqueness constraint", "uniqueItems"},
    {"Missing dependency", "dependencies"},
};

bool is_wrapper(std::string_view description) {
  return std::any_of(std::begin(kWrapperPrefixes), std::end(kWrapperPrefixes),
                     [&](std::string_view prefix) { return description.starts_with(prefix); });
}

std::string_view keyword_of(std::string_view description) {
  for (const auto& [prefix, keyword] : kKeywords) {
    if (description.find(prefix) != std::string_view::npos) {
      return keyword;
    }
  }
  return "schema";
}

std::string pointer_of(const std::vector<std::string>& tokens) {
  std::string pointer;
  for (const std::string& token : tokens) pointer += "/" + escape_pointer_token(token);
  return pointer;
}

// valijson's context is {"<root>", "[artifact]", "[hash]"}: one bracketed token per step.
std::vector<std::string> tokens_of(const std::vector<std::string>& context) {
  std::vector<std::string> tokens;
  for (std::size_t i = 1; i < context.size(); ++i) {
    const std::string& step = context[i];
    tokens.push_back(step.size() >= 2 ? step.substr(1, step.size() - 2) : step);
  }
  return tokens;
}

const rapidjson::Value* member_or_null(const rapidjson::Value& object, std::string_view name) {
  if (!object.IsObject()) return nullptr;
  const auto found = object.FindMember(rapidjson::Value(
      rapidjson::StringRef(name.data(), static_cast<rapidjson::SizeType>(name.size()))));
  return found == object.MemberEnd() ? nullptr : &found->value;
}

const rapidjson::Value* array_item(const rapidjson::Value& array, const std::string& token) {
  if (!array.IsArray() || token.empty() || token.size() > 9 ||
      !std::all_of(token.begin(), token.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return nullptr;
  }
  const unsigned long index = std::stoul(token);
  return index < array.Size() ? &array[static_cast<rapidjson::SizeType>(index)] : nullptr;
}

const rapidjson::Value* child_value(const rapidjson::Value& value, const std::string& token) {
  return value.IsArray() ? array_item(value, token) : member_or_null(value, token);
}

bool pattern_matches(const std::string& pattern, const std::string& text) {
  try {
    return std::regex_search(text, std::regex(pattern, std::regex::ECMAScript));
  } catch (const std::regex_error&) {
    return false;
  }
}

// The schema that governs the child `token` of a value, found the way validation finds it:
// properties, then patternProperties, then additionalProperties (items for arrays).
const rapidjson::Value* child_schema(const rapidjson::Value& schema, const rapidjson::Value* value,
                                     const std::string& token) {
  if (value != nullptr && value->IsArray()) {
    const rapidjson::Value* items = member_or_null(schema, "items");
    if (items != nullptr && items->IsObject()) return items;
    if (items != nullptr && items->IsArray()) {
      if (const rapidjson::Value* item = array_item(*items, token)) return item;
    }
    const rapidjson::Value* additional = member_or_null(schema, "additionalItems");
    return additional != nullptr && additional->IsObject() ? additional : nullptr;
  }
  if (const rapidjson::Value* properties = member_or_null(schema, "properties")) {
    if (const rapidjson::Value* property = member_or_null(*properties, token)) return property;
  }
  if (const rapidjson::Value* patterns = member_or_null(schema, "patternProperties");
      patterns != nullptr && patterns->IsObject()) {
    for (const auto& pattern : patterns->GetObject()) {
      if (pattern_matches(pattern.name.GetString(), token)) return &pattern.value;
    }
  }
  const rapidjson::Value* additional = member_or_null(schema, "additionalProperties");
  return additional != nullptr && additional->IsObject() ? additional : nullptr;
}

// What the body and the schema hold at one valijson context.
struct Site {
  std::vector<std::string> tokens;
  std::string pointer;
  const rapidjson::Value* value = nullptr;   // the body's value there
  const rapidjson::Value* schema = nullptr;  // the schema that applies there (nullptr: unknown)
};

Site site_of(const std::vector<std::string>& context, const rapidjson::Value& schema,
             const rapidjson::Value& body) {
  Site site;
  site.tokens = tokens_of(context);
  site.pointer = pointer_of(site.tokens);
  site.value = &body;
  site.schema = &schema;
  for (const std::string& token : site.tokens) {
    if (site.schema != nullptr) site.schema = child_schema(*site.schema, site.value, token);
    site.value = site.value != nullptr ? child_value(*site.value, token) : nullptr;
  }
  return site;
}

std::string type_name_or_nothing(const rapidjson::Value* value) {
  return value == nullptr ? "nothing" : json_type_name(*value);
}

// Compact JSON of a value for messages; long values are cut so one bad field cannot flood a reply.
std::string preview(const rapidjson::Value& value) {
  constexpr std::size_t kMaxPreview = 80;
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  std::string text(buffer.GetString(), buffer.GetSize());
  if (text.size() > kMaxPreview) {
    std::size_t cut = kMaxPreview;
    // Do not split a UTF-8 sequence.
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    text = text.substr(0, cut) + "...";
  }
  return text;
}

// valijson's own sentence, reworded only in form: lower-case start, no final period.
std::string plain_sentence(std::string sentence) {
  if (!sentence.empty() && sentence.back() == '.') sentence.pop_back();
  if (!sentence.empty() && sentence[0] >= 'A' && sentence[0] <= 'Z') {
    sentence[0] = static_cast<char>(sentence[0] - 'A' + 'a');
  }
  return sentence;
}

// The text between the first and the last single quote of a valijson description.
std::string quoted_name(const std::string& description) {
  const std::size_t open = description.find('\'');
  const std::size_t close = description.rfind('\'');
  if (open == std::string::npos || close <= open) return "";
  return description.substr(open + 1, close - open - 1);
}

std::string expected_types(const rapidjson::Value* schema) {
  const rapidjson::Value* type = schema != nullptr ? member_or_null(*schema, "type") : nullptr;
  if (type != nullptr && type->IsString()) return type->GetString();
  if (type != nullptr && type->IsArray()) {
    std::string names;
    for (const auto& name : type->GetArray()) {
      if (!name.IsString()) continue;
      names += (names.empty() ? "" : " or ") + std::string(name.GetString());
    }
    if (!names.empty()) return names;
  }
  return "another type";
}

// Every member of the object at `site` that the schema's properties/patternProperties do not name.
// valijson only reports the first such member; a client fixing its request wants them all.
std::vector<std::string> unexpected_members(const Site& site, const std::string& reported) {
  std::vector<std::string> names;
  if (site.value != nullptr && site.value->IsObject() && site.schema != nullptr) {
    const rapidjson::Value* properties = member_or_null(*site.schema, "properties");
    const rapidjson::Value* patterns = member_or_null(*site.schema, "patternProperties");
    for (const auto& entry : site.value->GetObject()) {
      const std::string name(entry.name.GetString(), entry.name.GetStringLength());
      if (properties != nullptr && member_or_null(*properties, name) != nullptr) continue;
      bool matched = false;
      if (patterns != nullptr && patterns->IsObject()) {
        for (const auto& pattern : patterns->GetObject()) {
          matched = matched || pattern_matches(pattern.name.GetString(), name);
        }
      }
      if (!matched) names.push_back(name);
    }
  }
  if (names.empty()) names.push_back(reported);
  return names;
}

void add_finding(const valijson::ValidationResults::Error& error, const rapidjson::Value& schema,
                 const rapidjson::Value& body, Violations& out) {
  const std::string& description = error.description;
  if (is_wrapper(description)) return;
  const std::string keyword(keyword_of(description));
  const Site site = site_of(error.context, schema, body);
  auto add = [&](const std::string& pointer, const std::string& message) {
    out.push_back({"body", pointer, keyword, message});
  };

  if (keyword == "required") {
    const std::string name = quoted_name(description);
    return add(site.pointer + "/" + escape_pointer_token(name),
               "missing required property '" + name + "'");
  }
  if (keyword == "type") {
    return add(site.pointer, "expected " + expected_types(site.schema) + ", found " +
                                 type_name_or_nothing(site.value));
  }
  if (keyword == "additionalProperties") {
    for (const std::string& name : unexpected_members(site, quoted_name(description))) {
      add(site.pointer + "/" + escape_pointer_token(name),
          "property '" + name + "' is not allowed here");
    }
    return;
  }
  const rapidjson::Value* rule =
      site.schema != nullptr ? member_or_null(*site.schema, keyword) : nullptr;
  const std::string found = site.value != nullptr ? preview(*site.value) : "nothing";
  if (keyword == "enum" && rule != nullptr && rule->IsArray()) {
    std::string choices;
    for (const auto& choice : rule->GetArray()) {
      choices += (choices.empty() ? "" : ", ") + preview(choice);
    }
    return add(site.pointer, "expected one of " + choices + ", found " + found);
  }
  if (keyword == "const" && rule != nullptr) {
    return add(site.pointer, "expected " + preview(*rule) + ", found " + found);
  }
  if (keyword == "pattern" && rule != nullptr && rule->IsString()) {
    return add(site.pointer,
               found + " does not match the pattern '" + std::string(rule->GetString()) + "'");
  }
  add(site.pointer, plain_sentence(description));
}

}  // namespace

Violations schema_violations(const valijson::ValidationResults& results,
                             const rapidjson::Value& schema, const rapidjson::Value& body) {
  Violations violations;
  for (const auto& error : results) add_finding(error, schema, body, violations);
  auto key = [](const Violation& v) { return std::tie(v.pointer, v.keyword, v.message); };
  std::sort(violations.begin(), violations.end(),
            [&](const Violation& a, const Violation& b) { return key(a) < key(b); });
  violations.erase(
      std::unique(violations.begin(), violations.end(),
                  [&](const Violation& a, const Violation& b) { return key(a) == key(b); }),
      violations.end());
  return violations;
}

}  // namespace prm_mock
