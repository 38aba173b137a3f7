#include "schema/schema_compiler.hpp"

#include <algorithm>
#include <utility>

#include "diagnostics/contract_error.hpp"
#include "schema/schema_keywords.hpp"
#include "text/json_pointer_token.hpp"

namespace prm_mock {
namespace {

std::string_view json_text_of(const rapidjson::Value& string) {
  return {string.GetString(), string.GetStringLength()};
}

struct TypeName {
  std::string_view name;
  std::uint8_t bit;
};

constexpr TypeName kTypeNames[] = {
    {"null", kTypeNull},       {"boolean", kTypeBoolean}, {"object", kTypeObject},
    {"array", kTypeArray},     {"number", kTypeNumber},   {"string", kTypeString},
    {"integer", kTypeInteger},
};

class SchemaCompiler {
 public:
  SchemaCompiler(std::string_view origin, const SchemaCompileOptions& options)
      : origin_(origin), options_(options) {}

  std::vector<std::string> warnings;

  SchemaNodePtr schema(const rapidjson::Value& value, const std::string& at) {
    auto node = std::make_unique<SchemaNode>();
    if (value.IsBool()) {
      node->accepts_nothing = value.IsFalse();
      node->accepts_anything = value.IsTrue();
      return node;
    }
    if (!value.IsObject()) fail("the schema at '" + at + "' is not an object or a boolean");
    bool asserts = false;
    for (const auto& member : value.GetObject()) {
      const std::string_view name = json_text_of(member.name);
      const std::string keyword_at = child_pointer(at, name);
      if (is_annotation_keyword(name) || name.starts_with("x-")) continue;
      if (name == "$schema") {
        check_dialect(member.value, keyword_at);
        continue;
      }
      if (const std::string_view why = unsupported_keyword_reason(name); !why.empty()) {
        fail("'" + std::string(name) + "' at '" + keyword_at +
             "' is not supported: " + std::string(why));
      }
      if (!keyword(*node, name, member.value, keyword_at)) {
        fail("unknown keyword '" + std::string(name) + "' at '" + keyword_at +
             "' (unknown keywords are refused rather than ignored; extensions start with x-)");
      }
      asserts = true;
    }
    // minContains/maxContains without contains assert nothing (JSON Schema 2020-12, 10.3.1.4).
    std::sort(node->properties.begin(), node->properties.end(),
              [](const NamedSchema& a, const NamedSchema& b) { return a.name < b.name; });
    node->accepts_anything = !asserts;
    return node;
  }

 private:
  // Compiles one keyword into `node`; false when `name` is no keyword at all.
  bool keyword(SchemaNode& node, std::string_view name, const rapidjson::Value& value,
               const std::string& at) {
    if (name == "type") return type(node, value, at), true;
    if (name == "enum") {
      if (!value.IsArray()) fail("'enum' at '" + at + "' must be an array");
      node.enum_values = &value;
      return true;
    }
    if (name == "const") return node.const_value = &value, true;
    if (name == "allOf") return node.all_of = schema_list(value, at), true;
    if (name == "anyOf") return node.any_of = schema_list(value, at), true;
    if (name == "oneOf") return node.one_of = schema_list(value, at), true;
    if (name == "not") return node.not_schema = schema(value, at), true;
    if (name == "if") return node.if_schema = schema(value, at), true;
    if (name == "then") return node.then_schema = schema(value, at), true;
    if (name == "else") return node.else_schema = schema(value, at), true;
    if (name == "minimum") return node.minimum = number(value, at), true;
    if (name == "maximum") return node.maximum = number(value, at), true;
    if (name == "exclusiveMinimum") return node.exclusive_minimum = number(value, at), true;
    if (name == "exclusiveMaximum") return node.exclusive_maximum = number(value, at), true;
    if (name == "multipleOf") {
      node.multiple_of = number(value, at);
      if (value.GetDouble() <= 0) fail("'multipleOf' at '" + at + "' must be greater than 0");
      return true;
    }
    if (name == "minLength") return node.min_length = count(value, at), true;
    if (name == "maxLength") return node.max_length = count(value, at), true;
    if (name == "pattern") {
      if (!value.IsString()) fail("'pattern' at '" + at + "' must be a string");
      node.pattern = std::make_unique<CodePointRegex>(regex(json_text_of(value), at));
      return true;
    }
    if (name == "format") return format(node, value, at), true;
    if (name == "prefixItems") return node.prefix_items = schema_list(value, at), true;
    if (name == "items") {
      if (value.IsArray()) {
        fail("'items' at '" + at +
             "' is an array, the tuple form of drafts up to 2019-09; JSON Schema 2020-12 "
             "(OpenAPI 3.1) spells it prefixItems");
      }
      return node.items = schema(value, at), true;
    }
    if (name == "contains") return node.contains = schema(value, at), true;
    if (name == "minContains") return node.min_contains = count(value, at), true;
    if (name == "maxContains") return node.max_contains = count(value, at), true;
    if (name == "minItems") return node.min_items = count(value, at), true;
    if (name == "maxItems") return node.max_items = count(value, at), true;
    if (name == "uniqueItems") {
      if (!value.IsBool()) fail("'uniqueItems' at '" + at + "' must be a boolean");
      return node.unique_items = value.IsTrue(), true;
    }
    if (name == "unevaluatedItems") return node.unevaluated_items = schema(value, at), true;
    if (name == "properties") return node.properties = named_schemas(value, at), true;
    if (name == "patternProperties") return pattern_properties(node, value, at), true;
    if (name == "additionalProperties") {
      return node.additional_properties = schema(value, at), true;
    }
    if (name == "propertyNames") return node.property_names = schema(value, at), true;
    if (name == "required") return node.required = names(value, at), true;
    if (name == "minProperties") return node.min_properties = count(value, at), true;
    if (name == "maxProperties") return node.max_properties = count(value, at), true;
    if (name == "dependentRequired") return dependent_required(node, value, at), true;
    if (name == "dependentSchemas") return node.dependent_schemas = named_schemas(value, at), true;
    if (name == "unevaluatedProperties") {
      return node.unevaluated_properties = schema(value, at), true;
    }
    return false;
  }

  void type(SchemaNode& node, const rapidjson::Value& value, const std::string& at) {
    auto add = [&](const rapidjson::Value& name) {
      const auto known = std::find_if(
          std::begin(kTypeNames), std::end(kTypeNames),
          [&](const TypeName& type) { return name.IsString() && type.name == json_text_of(name); });
      if (known == std::end(kTypeNames)) {
        fail("'type' at '" + at +
             "' names no JSON Schema type (null, boolean, object, array, "
             "number, string, integer)");
      }
      node.types |= known->bit;
      if (!node.type_names.empty()) node.type_names += " or ";
      node.type_names += known->name;
    };
    if (value.IsArray() && !value.Empty()) {
      for (const auto& name : value.GetArray()) add(name);
    } else {
      add(value);
    }
  }

  void format(SchemaNode& node, const rapidjson::Value& value, const std::string& at) {
    if (!value.IsString()) fail("'format' at '" + at + "' must be a string");
    if (!options_.assert_formats) return;
    node.format_name = json_text_of(value);
    node.format = format_check(node.format_name);
    if (node.format == nullptr) {
      warnings.push_back(std::string(origin_) + ": format '" + node.format_name + "' at '" + at +
                         "' is not one the mock knows; it is not checked");
    }
  }

  void pattern_properties(SchemaNode& node, const rapidjson::Value& value, const std::string& at) {
    if (!value.IsObject()) fail("'patternProperties' at '" + at + "' must be an object");
    for (const auto& member : value.GetObject()) {
      const std::string member_at = child_pointer(at, json_text_of(member.name));
      node.pattern_properties.push_back(
          {regex(json_text_of(member.name), member_at), schema(member.value, member_at)});
    }
  }

  void dependent_required(SchemaNode& node, const rapidjson::Value& value, const std::string& at) {
    if (!value.IsObject()) fail("'dependentRequired' at '" + at + "' must be an object");
    for (const auto& member : value.GetObject()) {
      node.dependent_required.push_back(
          {std::string(json_text_of(member.name)),
           names(member.value, child_pointer(at, json_text_of(member.name)))});
    }
  }

  void check_dialect(const rapidjson::Value& value, const std::string& at) {
    if (value.IsString() && is_json_schema_2020_12(json_text_of(value))) return;
    fail("'$schema' at '" + at +
         "' names a dialect the mock does not read; only JSON Schema 2020-12 is supported");
  }

  CodePointRegex regex(std::string_view pattern, const std::string& at) {
    try {
      return CodePointRegex(pattern);
    } catch (const RegexProblem& problem) {
      fail("the regex at '" + at + "' " + problem.what());
    }
  }

  std::vector<SchemaNodePtr> schema_list(const rapidjson::Value& value, const std::string& at) {
    if (!value.IsArray() || value.Empty()) {
      fail("'" + last_token(at) + "' at '" + at + "' must be a non-empty array of schemas");
    }
    std::vector<SchemaNodePtr> list;
    for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
      list.push_back(schema(value[i], at + "/" + std::to_string(i)));
    }
    return list;
  }

  std::vector<NamedSchema> named_schemas(const rapidjson::Value& value, const std::string& at) {
    if (!value.IsObject()) fail("'" + last_token(at) + "' at '" + at + "' must be an object");
    std::vector<NamedSchema> list;
    for (const auto& member : value.GetObject()) {
      list.push_back({std::string(json_text_of(member.name)),
                      schema(member.value, child_pointer(at, json_text_of(member.name)))});
    }
    return list;
  }

  std::vector<std::string> names(const rapidjson::Value& value, const std::string& at) {
    bool strings = value.IsArray();
    std::vector<std::string> list;
    for (std::size_t i = 0; strings && i < value.Size(); ++i) {
      const rapidjson::Value& name = value[static_cast<rapidjson::SizeType>(i)];
      strings = name.IsString();
      if (strings) list.emplace_back(json_text_of(name));
    }
    if (!strings) fail("'" + last_token(at) + "' at '" + at + "' must be an array of strings");
    return list;
  }

  std::size_t count(const rapidjson::Value& value, const std::string& at) {
    if (value.IsUint64()) return static_cast<std::size_t>(value.GetUint64());
    if (value.IsDouble() && value.GetDouble() >= 0 && value.GetDouble() <= 1e15 &&
        static_cast<double>(static_cast<std::size_t>(value.GetDouble())) == value.GetDouble()) {
      return static_cast<std::size_t>(value.GetDouble());
    }
    fail("'" + last_token(at) + "' at '" + at + "' must be a non-negative integer");
  }

  const rapidjson::Value* number(const rapidjson::Value& value, const std::string& at) {
    if (!value.IsNumber()) {
      fail("'" + last_token(at) + "' at '" + at + "' must be a number" +
           (value.IsBool() ? " (a boolean here is OpenAPI 3.0's form, which needs 'openapi: 3.0.x')"
                           : ""));
    }
    return &value;
  }

  static std::string last_token(const std::string& at) { return at.substr(at.rfind('/') + 1); }

  [[noreturn]] void fail(const std::string& problem) const {
    throw ContractError(std::string(origin_) + ": " + problem);
  }

  std::string_view origin_;
  SchemaCompileOptions options_;
};

}  // namespace

CompiledSchema compile_schema(const rapidjson::Value& schema, std::string_view origin,
                              const std::string& at, const SchemaCompileOptions& options) {
  SchemaCompiler compiler(origin, options);
  CompiledSchema compiled;
  compiled.root = compiler.schema(schema, at);
  compiled.warnings = std::move(compiler.warnings);
  return compiled;
}

}  // namespace prm_mock
