#pragma once
// A request schema compiled for validation: every keyword of one schema object turned into a
// field, every subschema into a child node. Built once at load (schema_compiler.hpp), then only
// read, by any number of threads at once (schema_validator.hpp).
#include <rapidjson/document.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "schema/code_point_regex.hpp"
#include "schema/string_formats.hpp"

namespace prm_mock {

// `type` as a set of bits; integer is its own bit because it is judged by value (5.0 is one).
enum SchemaType : std::uint8_t {
  kTypeNull = 1,
  kTypeBoolean = 2,
  kTypeObject = 4,
  kTypeArray = 8,
  kTypeNumber = 16,
  kTypeString = 32,
  kTypeInteger = 64,
};

struct SchemaNode;
using SchemaNodePtr = std::unique_ptr<SchemaNode>;

struct NamedSchema {
  std::string name;
  SchemaNodePtr schema;
};

struct PatternSchema {
  CodePointRegex pattern;
  SchemaNodePtr schema;
};

struct DependentNames {
  std::string name;
  std::vector<std::string> required;
};

struct SchemaNode {
  bool accepts_nothing = false;   // the schema `false`
  bool accepts_anything = false;  // `true`, `{}`, or annotations only: nothing to check

  // Any instance type. Values point into the schema document the node was compiled from.
  std::uint8_t types = 0;  // 0: any type
  std::string type_names;  // "string or null", for messages
  const rapidjson::Value* enum_values = nullptr;
  const rapidjson::Value* const_value = nullptr;
  std::vector<SchemaNodePtr> all_of;
  std::vector<SchemaNodePtr> any_of;
  std::vector<SchemaNodePtr> one_of;
  SchemaNodePtr not_schema;
  SchemaNodePtr if_schema;
  SchemaNodePtr then_schema;
  SchemaNodePtr else_schema;

  // Numbers.
  const rapidjson::Value* minimum = nullptr;
  const rapidjson::Value* maximum = nullptr;
  const rapidjson::Value* exclusive_minimum = nullptr;
  const rapidjson::Value* exclusive_maximum = nullptr;
  const rapidjson::Value* multiple_of = nullptr;

  // Strings, measured in code points.
  std::optional<std::size_t> min_length;
  std::optional<std::size_t> max_length;
  std::unique_ptr<CodePointRegex> pattern;
  FormatCheck format = nullptr;  // nullptr: not asserted
  std::string format_name;

  // Arrays.
  std::vector<SchemaNodePtr> prefix_items;
  SchemaNodePtr items;  // items after the prefix
  SchemaNodePtr contains;
  std::size_t min_contains = 1;
  std::optional<std::size_t> max_contains;
  std::optional<std::size_t> min_items;
  std::optional<std::size_t> max_items;
  bool unique_items = false;
  SchemaNodePtr unevaluated_items;

  // Objects.
  std::vector<NamedSchema> properties;  // sorted by name
  std::vector<PatternSchema> pattern_properties;
  SchemaNodePtr additional_properties;
  SchemaNodePtr property_names;
  std::vector<std::string> required;
  std::optional<std::size_t> min_properties;
  std::optional<std::size_t> max_properties;
  std::vector<DependentNames> dependent_required;
  std::vector<NamedSchema> dependent_schemas;
  SchemaNodePtr unevaluated_properties;
};

}  // namespace prm_mock
