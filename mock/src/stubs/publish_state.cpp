#include "stubs/publish_state.hpp"

namespace prm_mock {
namespace {

const rapidjson::Value* string_member(const rapidjson::Value& object, const char* name) {
  if (!object.IsObject()) return nullptr;
  const auto found = object.FindMember(name);
  return found != object.MemberEnd() && found->value.IsString() ? &found->value : nullptr;
}

std::string text_of(const rapidjson::Value& value) {
  return std::string(value.GetString(), value.GetStringLength());
}

}  // namespace

std::optional<PublishIdentity> publish_identity_of(const rapidjson::Value& body) {
  if (!body.IsObject()) return std::nullopt;
  const auto artifact = body.FindMember("artifact");
  if (artifact == body.MemberEnd()) return std::nullopt;
  const auto* registry_ref = string_member(body, "registryRef");
  const auto* prompt = string_member(artifact->value, "prompt");
  const auto* model = string_member(artifact->value, "model");
  const auto* version = string_member(artifact->value, "version");
  if (!registry_ref || !prompt || !model || !version) return std::nullopt;
  return PublishIdentity{text_of(*registry_ref), text_of(*prompt), text_of(*model),
                         text_of(*version)};
}

}  // namespace prm_mock
