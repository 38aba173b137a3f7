#include "record/fixture_name.hpp"

#include <array>

namespace prm_mock {
namespace {

constexpr std::size_t kMaxBaseLength = 80;  // leaves room for "-NNN" under the schema's 100

bool kept(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_';
}

const rapidjson::Value* named_member(const rapidjson::Value& object, const char* name) {
  if (!object.IsObject()) return nullptr;
  const auto found = object.FindMember(name);
  return found == object.MemberEnd() ? nullptr : &found->value;
}

}  // namespace

std::string fixture_name_for(const rapidjson::Value& body) {
  const rapidjson::Value* artifact = named_member(body, "artifact");
  const std::array<const rapidjson::Value*, 4> parts{
      named_member(body, "registryRef"), artifact ? named_member(*artifact, "prompt") : nullptr,
      artifact ? named_member(*artifact, "model") : nullptr,
      artifact ? named_member(*artifact, "version") : nullptr};
  std::string name;
  for (const rapidjson::Value* part : parts) {
    if (!part || !part->IsString()) continue;
    name += '-';
    for (const char raw : std::string_view(part->GetString(), part->GetStringLength())) {
      const char c = (raw >= 'A' && raw <= 'Z') ? static_cast<char>(raw - 'A' + 'a') : raw;
      if (kept(c)) {
        name += c;
      } else if (name.back() != '-') {
        name += '-';
      }
    }
  }
  const std::size_t first = name.find_first_not_of("-.");
  name = first == std::string::npos ? "" : name.substr(first);
  if (name.size() > kMaxBaseLength) name.resize(kMaxBaseLength);
  while (!name.empty() && name.back() == '-') name.pop_back();
  return name.empty() ? "recording" : name;
}

}  // namespace prm_mock
