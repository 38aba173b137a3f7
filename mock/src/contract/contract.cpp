#include "contract/contract.hpp"

#include <array>
#include <cctype>
#include <exception>
#include <fstream>
#include <iterator>
#include <string>

#include "contract/embedded_files.hpp"
#include "contract/ref_inliner.hpp"
#include "contract/yaml_to_json.hpp"
#include "schema/openapi30_schema.hpp"
#include "schema/schema_compiler.hpp"
#include "schema/schema_dialect.hpp"
#include "schema/schema_validator.hpp"
#include "text/json_pointer_token.hpp"

// About the 200 response: the document's `Registries_prm.registry.publish_Response_200` is
// `oneOf: [{description: Any type}, {description: Any type}]`. Both branches accept every value, so
// every value matches *two* branches and a literal oneOf rejects everything (test_contract.cpp
// proves it with an independent validator). The vendor clearly means "any JSON", which is how the mock treats a 200
// body: it is never validated, and only the request schema is derived and compiled here.

namespace prm_mock {
namespace {

constexpr std::string_view kEmbeddedPath = "schemas/prm-registry-publish.openapi.yaml";
constexpr std::array<std::string_view, 8> kMethods = {"get",     "put",  "post",  "delete",
                                                      "options", "head", "patch", "trace"};

std::string upper(std::string_view text) {
  std::string result(text);
  for (char& c : result) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return result;
}

const rapidjson::Value* member(const rapidjson::Value& object, std::string_view name) {
  if (!object.IsObject()) return nullptr;
  const auto found = object.FindMember(rapidjson::Value(
      rapidjson::StringRef(name.data(), static_cast<rapidjson::SizeType>(name.size()))));
  return found == object.MemberEnd() ? nullptr : &found->value;
}

// An OpenAPI object that may be given as a Reference Object ({"$ref": "#/..."}) instead.
const rapidjson::Value& dereferenced(const rapidjson::Value& value, const rapidjson::Value& root,
                                     std::string_view origin, const std::string& at) {
  const rapidjson::Value* current = &value;
  for (int hops = 0; hops < 32; ++hops) {
    const rapidjson::Value* ref = member(*current, "$ref");
    if (ref == nullptr || !ref->IsString()) return *current;
    current = find_local_ref(root, ref->GetString());
    if (current == nullptr) {
      throw ContractError(std::string(origin) + ": $ref '" + ref->GetString() + "' (at '" + at +
                          "') does not resolve");
    }
  }
  throw ContractError(std::string(origin) + ": $ref chain at '" + at + "' is cyclic or too long");
}

// servers[0].url reduced to its path: "/api" stays, "https://host/api/" becomes "/api".
std::string base_path_of(const rapidjson::Value& document) {
  const rapidjson::Value* servers = member(document, "servers");
  if (servers == nullptr || !servers->IsArray() || servers->Empty()) return "";
  const rapidjson::Value* url = member((*servers)[0], "url");
  if (url == nullptr || !url->IsString()) return "";
  std::string path = url->GetString();
  if (const std::size_t scheme = path.find("://"); scheme != std::string::npos) {
    const std::size_t slash = path.find('/', scheme + 3);
    path = slash == std::string::npos ? "" : path.substr(slash);
  }
  while (!path.empty() && path.back() == '/') path.pop_back();
  return path;
}

}  // namespace

struct Contract::State {
  rapidjson::Document document;
  rapidjson::Document request_schema;
  std::string base_path;
  std::string operation_path;
  std::string operation_method;
  CompiledSchema compiled;  // points into request_schema; read-only after construction
};

Contract Contract::from_text(std::string_view text, std::string_view origin,
                             const ContractOptions& options) {
  auto state = std::make_unique<State>();
  state->document = yaml_to_json(text, origin);
  const rapidjson::Value& document = state->document;
  const std::string where(origin);
  if (!document.IsObject()) throw ContractError(where + ": the OpenAPI document is not an object");
  const SchemaDialect dialect = schema_dialect_of(document, origin);

  const rapidjson::Value* paths = member(document, "paths");
  if (paths == nullptr || !paths->IsObject()) throw ContractError(where + ": no 'paths' object");
  const rapidjson::Value* operation = nullptr;
  std::string operation_at;
  for (const auto& path : paths->GetObject()) {
    const std::string path_at = "/paths/" + escape_pointer_token(path.name.GetString());
    const rapidjson::Value& item = dereferenced(path.value, document, origin, path_at);
    for (std::string_view method : kMethods) {
      const rapidjson::Value* candidate = member(item, method);
      const rapidjson::Value* id =
          candidate != nullptr ? member(*candidate, "operationId") : nullptr;
      if (id == nullptr || !id->IsString() || id->GetString() != kOperationId) continue;
      operation = candidate;
      operation_at = path_at + "/" + std::string(method);
      state->operation_path = path.name.GetString();
      state->operation_method = upper(method);
    }
  }
  if (operation == nullptr) {
    throw ContractError(where + ": no operation with operationId '" + std::string(kOperationId) +
                        "' under 'paths'");
  }
  state->base_path = base_path_of(document);

  const rapidjson::Value* body = member(*operation, "requestBody");
  if (body == nullptr) throw ContractError(where + ": '" + operation_at + "' has no requestBody");
  const std::string body_at = operation_at + "/requestBody";
  const rapidjson::Value& request_body = dereferenced(*body, document, origin, body_at);
  const rapidjson::Value* content = member(request_body, "content");
  const rapidjson::Value* json =
      content != nullptr ? member(*content, "application/json") : nullptr;
  const rapidjson::Value* schema = json != nullptr ? member(*json, "schema") : nullptr;
  if (schema == nullptr) {
    throw ContractError(where + ": '" + body_at + "' has no content[\"application/json\"].schema");
  }
  const std::string schema_at = body_at + "/content/application~1json/schema";
  auto& allocator = state->request_schema.GetAllocator();
  rapidjson::Value inlined = inline_refs(
      *schema, document, allocator, origin, schema_at,
      dialect == SchemaDialect::kOpenApi30 ? RefSiblings::kIgnored : RefSiblings::kCombined);
  if (dialect == SchemaDialect::kOpenApi30) {
    translate_openapi30_schema(inlined, allocator, origin, schema_at);
  }
  static_cast<rapidjson::Value&>(state->request_schema).Swap(inlined);
  state->compiled = compile_schema(state->request_schema, origin, schema_at,
                                   SchemaCompileOptions{options.assert_formats});
  return Contract(std::move(state));
}

Contract Contract::from_file_or_embedded(const std::string& file, const ContractOptions& options) {
  if (file.empty()) return embedded(options);
  std::ifstream stream(file, std::ios::binary);
  if (!stream) throw ContractError("cannot read contract file '" + file + "'");
  const std::string text((std::istreambuf_iterator<char>(stream)),
                         std::istreambuf_iterator<char>());
  return from_text(text, file, options);
}

Contract Contract::from_config(const Config& config) {
  return from_file_or_embedded(config.contract_file, ContractOptions{config.assert_formats});
}

Contract Contract::embedded(const ContractOptions& options) {
  const std::optional<std::string_view> text = embedded_file(kEmbeddedPath);
  if (!text)
    throw ContractError("embedded contract: " + std::string(kEmbeddedPath) + " is missing");
  return from_text(*text, "embedded contract", options);
}

Contract::Contract(std::unique_ptr<State> state) : state_(std::move(state)) {}
Contract::Contract(Contract&&) noexcept = default;
Contract& Contract::operator=(Contract&&) noexcept = default;
Contract::~Contract() = default;

const rapidjson::Document& Contract::document() const { return state_->document; }
const rapidjson::Document& Contract::request_schema() const { return state_->request_schema; }
const std::vector<std::string>& Contract::warnings() const { return state_->compiled.warnings; }
const std::string& Contract::server_base_path() const { return state_->base_path; }
const std::string& Contract::operation_path() const { return state_->operation_path; }
const std::string& Contract::operation_method() const { return state_->operation_method; }

Violations Contract::validate(const rapidjson::Value& body) const {
  return schema_violations_of(*state_->compiled.root, body);
}

}  // namespace prm_mock
