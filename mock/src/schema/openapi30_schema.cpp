#include "schema/openapi30_schema.hpp"

#include <algorithm>
#include <iterator>

#include "diagnostics/contract_error.hpp"
#include "text/json_pointer_token.hpp"

namespace prm_mock {
namespace {

// OpenAPI 3.0.3, 4.7.24 Schema Object: the JSON Schema keywords it takes and its own.
constexpr std::string_view kOpenApi30Keywords[] = {
    "title",         "multipleOf",
    "maximum",       "exclusiveMaximum",
    "minimum",       "exclusiveMinimum",
    "maxLength",     "minLength",
    "pattern",       "maxItems",
    "minItems",      "uniqueItems",
    "maxProperties", "minProperties",
    "required",      "enum",
    "type",          "allOf",
    "oneOf",         "anyOf",
    "not",           "items",
    "properties",    "additionalProperties",
    "description",   "format",
    "default",       "nullable",
    "discriminator", "readOnly",
    "writeOnly",     "xml",
    "externalDocs",  "example",
    "deprecated",
};

bool is_openapi30_keyword(std::string_view keyword) {
  return keyword.starts_with("x-") ||
         std::find(std::begin(kOpenApi30Keywords), std::end(kOpenApi30Keywords), keyword) !=
             std::end(kOpenApi30Keywords);
}

class OpenApi30Translation {
 public:
  OpenApi30Translation(rapidjson::Document::AllocatorType& allocator, std::string_view origin)
      : allocator_(allocator), origin_(origin) {}

  void schema(rapidjson::Value& schema, const std::string& at) {
    if (!schema.IsObject()) return;
    // Read through a const view: clang rejects comparing RapidJSON's mutable member iterators in
    // C++20 (-Wambiguous-reversed-operator).
    const rapidjson::Value& view = schema;
    for (const auto& member : view.GetObject()) {
      const std::string_view keyword(member.name.GetString(), member.name.GetStringLength());
      if (!is_openapi30_keyword(keyword)) {
        fail("'" + std::string(keyword) + "' at '" + child_pointer(at, keyword) +
             "' is not a keyword of OpenAPI 3.0 schemas; JSON Schema 2020-12 keywords need "
             "'openapi: 3.1.x'");
      }
    }
    if (const auto type = view.FindMember("type");
        type != view.MemberEnd() && !type->value.IsString()) {
      fail("'type' at '" + at + "/type' must be one type name in OpenAPI 3.0 (use nullable)");
    }
    exclusive_bound(schema, "exclusiveMinimum", "minimum", at);
    exclusive_bound(schema, "exclusiveMaximum", "maximum", at);
    nullable(schema, at);
    for (const char* keyword : {"items", "additionalProperties", "not"}) {
      if (schema.HasMember(keyword)) this->schema(schema[keyword], child_pointer(at, keyword));
    }
    for (const char* keyword : {"allOf", "anyOf", "oneOf"}) {
      if (!schema.HasMember(keyword) || !schema[keyword].IsArray()) continue;
      rapidjson::Value& branches = schema[keyword];
      for (rapidjson::SizeType i = 0; i < branches.Size(); ++i) {
        this->schema(branches[i], child_pointer(at, keyword) + "/" + std::to_string(i));
      }
    }
    if (schema.HasMember("properties") && schema["properties"].IsObject()) {
      rapidjson::Value& properties = schema["properties"];
      for (rapidjson::SizeType i = 0; i < properties.MemberCount(); ++i) {
        auto& property = *(properties.MemberBegin() + i);
        this->schema(property.value,
                     child_pointer(child_pointer(at, "properties"),
                                   {property.name.GetString(), property.name.GetStringLength()}));
      }
    }
  }

 private:
  // 3.0's boolean form: `exclusiveMinimum: true` makes `minimum` exclusive.
  void exclusive_bound(rapidjson::Value& schema, const char* exclusive, const char* inclusive,
                       const std::string& at) {
    if (!schema.HasMember(exclusive)) return;
    const rapidjson::Value& flag = schema[exclusive];
    if (!flag.IsBool()) {
      fail("'" + std::string(exclusive) + "' at '" + child_pointer(at, exclusive) +
           "' must be a boolean in OpenAPI 3.0 (the number form needs 'openapi: 3.1.x')");
    }
    const bool exclusive_bound_set = flag.IsTrue() && schema.HasMember(inclusive);
    if (!exclusive_bound_set) {
      schema.RemoveMember(exclusive);
      return;
    }
    rapidjson::Value bound(schema[inclusive], allocator_);
    schema[exclusive] = bound;
    schema.RemoveMember(inclusive);
  }

  void nullable(rapidjson::Value& schema, const std::string& at) {
    if (!schema.HasMember("nullable")) return;
    if (!schema["nullable"].IsBool()) {
      fail("'nullable' at '" + child_pointer(at, "nullable") + "' must be a boolean");
    }
    const bool adds_null = schema["nullable"].IsTrue() && schema.HasMember("type");
    schema.RemoveMember("nullable");
    if (!adds_null) return;
    rapidjson::Value types(rapidjson::kArrayType);
    types.PushBack(rapidjson::Value(schema["type"], allocator_), allocator_);
    types.PushBack("null", allocator_);
    schema["type"] = types;
  }

  [[noreturn]] void fail(const std::string& problem) const {
    throw ContractError(std::string(origin_) + ": " + problem);
  }

  rapidjson::Document::AllocatorType& allocator_;
  std::string_view origin_;
};

}  // namespace

void translate_openapi30_schema(rapidjson::Value& schema,
                                rapidjson::Document::AllocatorType& allocator,
                                std::string_view origin, const std::string& at) {
  OpenApi30Translation(allocator, origin).schema(schema, at);
}

}  // namespace prm_mock
