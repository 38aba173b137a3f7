// GCC 12 at -O2 with -fsanitize=address reports a false "may be used uninitialized" inside
// libstdc++'s std::regex compiler (valijson compiles `pattern` regexes); not this file's code.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include "stubs/fixture_format.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <set>
#include <string>
#include <valijson/adapters/rapidjson_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>
#include <vector>

#include "contract/embedded_files.hpp"
#include "text/edit_distance.hpp"
#include "text/json_pointer_text.hpp"
#include "text/json_text.hpp"

namespace prm_mock {
namespace {

// The fixture-format schema, parsed and compiled once per process.
struct FormatSchema {
  rapidjson::Document document;
  valijson::Schema compiled;
  std::string problem;  // non-empty when the embedded schema is missing or unusable

  FormatSchema() {
    const auto text = embedded_file(kFixtureSchemaPath);
    if (!text) {
      problem = std::string(kFixtureSchemaPath) + " is not embedded in this build";
      return;
    }
    document.Parse(text->data(), text->size());
    if (document.HasParseError()) {
      problem = std::string(kFixtureSchemaPath) + " is not valid JSON";
      return;
    }
    try {
      valijson::SchemaParser parser;
      valijson::adapters::RapidJsonAdapter adapter(document);
      parser.populateSchema(adapter, compiled);
    } catch (const std::exception& error) {
      problem = std::string(kFixtureSchemaPath) + " is not a usable schema: " + error.what();
    }
  }
};

const FormatSchema& format_schema() {
  static const FormatSchema schema;
  return schema;
}

std::string type_of(const rapidjson::Value& value) {
  if (value.IsNull()) return "null";
  if (value.IsBool()) return "boolean";
  if (value.IsInt64() || value.IsUint64()) return "integer";
  if (value.IsNumber()) return "number";
  if (value.IsString()) return "string";
  if (value.IsArray()) return "array";
  return "object";
}

const rapidjson::Value* member_of(const rapidjson::Value* object, const char* name) {
  if (!object || !object->IsObject()) return nullptr;
  const auto found = object->FindMember(name);
  return found == object->MemberEnd() ? nullptr : &found->value;
}

// Follows a local "$ref": "#/definitions/x" within the fixture schema.
const rapidjson::Value* resolved(const rapidjson::Value* node) {
  const rapidjson::Value& root = format_schema().document;
  for (int hops = 0; hops < 8; ++hops) {
    const rapidjson::Value* ref = member_of(node, "$ref");
    if (!ref || !ref->IsString()) return node;
    const std::string text = ref->GetString();
    if (!text.starts_with("#")) return node;
    node = rapidjson::Pointer(text.substr(1).c_str()).Get(root);
  }
  return node;
}

// The schema node describing the value at `path` in a fixture file.
const rapidjson::Value* schema_node_at(const std::vector<std::string>& path) {
  const rapidjson::Value* node = resolved(&format_schema().document);
  for (const auto& token : path) {
    if (const rapidjson::Value* property =
            member_of(member_of(node, "properties"), token.c_str())) {
      node = resolved(property);
    } else if (const rapidjson::Value* additional = member_of(node, "additionalProperties");
               additional && additional->IsObject()) {
      node = resolved(additional);
    } else if (const rapidjson::Value* items = member_of(node, "items")) {
      node = resolved(items);
    } else {
      return nullptr;
    }
  }
  return node;
}

std::string unexpected_key_message(const std::string& key, const rapidjson::Value* properties) {
  std::string message = "unexpected key '" + key + "'";
  if (!properties || !properties->IsObject()) return message;
  std::string allowed;
  std::string closest;
  std::size_t closest_distance = 3;  // suggest only near misses
  for (const auto& property : properties->GetObject()) {
    const std::string name = property.name.GetString();
    allowed += (allowed.empty() ? "" : ", ") + name;
    const std::size_t distance = edit_distance(key, name);
    if (distance < closest_distance) {
      closest_distance = distance;
      closest = name;
    }
  }
  if (!closest.empty()) message += " (did you mean '" + closest + "'?)";
  return message + "; allowed here: " + allowed;
}

bool is_container_summary(const std::string& description) {
  static constexpr const char* kSummaries[] = {
      "Failed to validate against schema associated with property name",
      "Failed to validate against additional properties schema",
      "Failed to validate item #",
      "Failed to validate against child schema #",
      "Failed to validate against any child schemas",
      "Failed to validate against exactly one child schema",
      "Failed to validate against any schemas allowed by anyOf"};
  for (const char* summary : kSummaries) {
    if (description.starts_with(summary)) return true;
  }
  return false;
}

// The keys of a `oneOf` whose every branch only requires one key ({"required": ["response"]},
// {"required": ["responses"]}): the object must give exactly one of them. Empty for any other
// schema node.
std::vector<std::string> key_alternatives(const rapidjson::Value* schema) {
  const rapidjson::Value* one_of = member_of(schema, "oneOf");
  if (!one_of || !one_of->IsArray()) return {};
  std::vector<std::string> keys;
  for (const auto& branch : one_of->GetArray()) {
    const rapidjson::Value* required = member_of(&branch, "required");
    if (branch.MemberCount() != 1 || !required || !required->IsArray() || required->Size() != 1 ||
        !(*required)[0].IsString()) {
      return {};
    }
    keys.emplace_back((*required)[0].GetString());
  }
  return keys;
}

std::string quoted_list(const std::vector<std::string>& keys, const char* last_separator) {
  std::string list;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (i > 0) list += i + 1 == keys.size() ? last_separator : ", ";
    list += "'" + keys[i] + "'";
  }
  return list;
}

// "integer", or "string or object" for a list of types.
std::string expected_types(const rapidjson::Value* type) {
  if (!type) return "?";
  if (type->IsString()) return type->GetString();
  std::vector<std::string> names;
  if (type->IsArray()) {
    for (const auto& name : type->GetArray()) {
      if (name.IsString()) names.emplace_back(name.GetString());
    }
  }
  std::string text;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) text += i + 1 == names.size() ? " or " : ", ";
    text += names[i];
  }
  return text.empty() ? "?" : text;
}

// A status in the response or in any step of a sequence.
bool is_status_path(const std::vector<std::string>& path) {
  if (path == std::vector<std::string>{"response", "status"}) return true;
  return path.size() == 3 && path[0] == "responses" && path[2] == "status";
}

// One valijson finding as fixture problems (an unexpected-key finding names every such key).
void translate(const valijson::ValidationResults::Error& error, const rapidjson::Value& fixture,
               std::string_view file, FixtureProblems& out) {
  const std::string& description = error.description;
  std::vector<std::string> path;
  std::string field;
  for (std::size_t i = 1; i < error.context.size(); ++i) {  // [0] is "<root>"
    const std::string& part = error.context[i];
    path.push_back(part.size() >= 2 ? part.substr(1, part.size() - 2) : part);
    field = child_pointer(field, path.back());
  }
  rapidjson::Pointer value_pointer(field.c_str());
  const rapidjson::Value* value = value_pointer.Get(fixture);
  const rapidjson::Value* schema = schema_node_at(path);
  auto add = [&](std::string at, std::string message) {
    out.push_back({std::string(file), at.empty() ? "/" : std::move(at), std::move(message)});
  };

  // Exactly one of some keys (`response` or `responses`): one problem saying so, instead of
  // valijson's findings for each branch of the oneOf.
  // (Only for an object: for anything else every branch holds, and the type error says enough.)
  if (const std::vector<std::string> keys = key_alternatives(schema);
      !keys.empty() && value && value->IsObject()) {
    if (description.starts_with("Failed to validate against exactly one child schema")) {
      return add(field, "give only one of " + quoted_list(keys, " and ") + ", not several");
    }
    if (description.starts_with("Failed to validate against any child schemas allowed by oneOf")) {
      return add(field, "needs one of " + quoted_list(keys, " or "));
    }
    if (description.starts_with("Missing required property '")) {
      const std::size_t start = description.find('\'') + 1;
      const std::string key = description.substr(start, description.rfind('\'') - start);
      if (std::find(keys.begin(), keys.end(), key) != keys.end()) return;
    }
  }
  if (is_container_summary(description)) return;

  if (description.starts_with("Object contains a property that could not be validated")) {
    const rapidjson::Value* properties = member_of(schema, "properties");
    if (!value || !value->IsObject()) return add(field, description);
    for (const auto& entry : value->GetObject()) {
      const std::string key = entry.name.GetString();
      if (!member_of(properties, key.c_str())) {
        add(child_pointer(field, key), unexpected_key_message(key, properties));
      }
    }
    return;
  }
  if (description.starts_with("Missing required property '")) {
    const std::size_t start = description.find('\'') + 1;
    const std::string key = description.substr(start, description.rfind('\'') - start);
    return add(child_pointer(field, key), "required key '" + key + "' is missing");
  }
  if (!value || !schema) return add(field, description);
  if (description.starts_with("Value type not permitted")) {
    return add(field, "expected " + expected_types(member_of(schema, "type")) + ", found " +
                          type_of(*value));
  }
  if (description.starts_with("Expected number")) {
    const rapidjson::Value* minimum = member_of(schema, "minimum");
    const rapidjson::Value* maximum = member_of(schema, "maximum");
    if (minimum && maximum) {
      std::string message =
          "must be between " + compact_json(*minimum) + " and " + compact_json(*maximum);
      if (is_status_path(path)) message = "HTTP status " + message;
      return add(field, message + ", found " + compact_json(*value));
    }
  }
  if (description.starts_with("Array should contain no fewer than") ||
      description.starts_with("Array should contain no more than")) {
    const bool too_few = description.starts_with("Array should contain no fewer");
    const rapidjson::Value* bound = member_of(schema, too_few ? "minItems" : "maxItems");
    if (bound && value->IsArray()) {
      return add(field, std::string(too_few ? "needs at least " : "allows at most ") +
                            compact_json(*bound) + " items, found " +
                            std::to_string(value->Size()));
    }
  }
  if (description.starts_with("Failed to match regex")) {
    const rapidjson::Value* pattern = member_of(schema, "pattern");
    return add(field,
               compact_json(*value) + " does not match " +
                   (pattern ? std::string(pattern->GetString()) : std::string("the pattern")));
  }
  if (description.starts_with("Failed to match against any enum values")) {
    const rapidjson::Value* choices = member_of(schema, "enum");
    std::string list;
    if (choices && choices->IsArray()) {
      for (const auto& choice : choices->GetArray())
        list += (list.empty() ? "" : ", ") + compact_json(choice);
    }
    return add(field, "must be one of " + list + "; found " + compact_json(*value));
  }
  if (description.starts_with("Object should have no fewer than")) {
    const rapidjson::Value* properties = member_of(schema, "properties");
    std::string names;
    if (properties && properties->IsObject()) {
      for (const auto& property : properties->GetObject()) {
        names += (names.empty() ? "" : ", ") + std::string(property.name.GetString());
      }
    }
    return add(field, "needs at least one of: " + names);
  }
  add(field, description);
}

}  // namespace

FixtureProblems check_fixture_format(const rapidjson::Value& fixture, std::string_view file) {
  FixtureProblems problems;
  const FormatSchema& schema = format_schema();
  if (!schema.problem.empty()) {
    problems.push_back({std::string(file), kWholeFile, schema.problem});
    return problems;
  }
  valijson::Validator validator;
  valijson::ValidationResults results;
  valijson::adapters::RapidJsonAdapter adapter(fixture);
  if (validator.validate(schema.compiled, adapter, &results)) return problems;
  valijson::ValidationResults::Error error;
  while (results.popError(error)) translate(error, fixture, file, problems);
  // valijson may report one cause through several paths; list each problem once.
  std::set<std::pair<std::string, std::string>> seen;
  std::erase_if(problems, [&](const FixtureProblem& problem) {
    return !seen.insert({problem.field, problem.message}).second;
  });
  // Document order would be nicer but valijson does not keep it; field order is at least stable.
  std::stable_sort(
      problems.begin(), problems.end(),
      [](const FixtureProblem& a, const FixtureProblem& b) { return a.field < b.field; });
  if (problems.empty()) {
    problems.push_back({std::string(file), "/", "does not match the fixture format"});
  }
  return problems;
}

}  // namespace prm_mock
