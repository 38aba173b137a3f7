#include "text/json_numbers.hpp"

#include <cmath>
#include <utility>
#include <vector>

#include "text/json_pointer_token.hpp"

namespace prm_mock {

std::optional<std::string> non_finite_number_pointer(const rapidjson::Value& root) {
  std::vector<std::pair<const rapidjson::Value*, std::string>> pending;
  pending.emplace_back(&root, "");
  while (!pending.empty()) {
    auto [value, pointer] = std::move(pending.back());
    pending.pop_back();
    if (value->IsDouble() && !std::isfinite(value->GetDouble())) return pointer;
    if (value->IsObject()) {
      for (const auto& member : value->GetObject()) {
        const std::string_view name(member.name.GetString(), member.name.GetStringLength());
        pending.emplace_back(&member.value, child_pointer(pointer, name));
      }
    } else if (value->IsArray()) {
      for (rapidjson::SizeType i = 0; i < value->Size(); ++i) {
        pending.emplace_back(&(*value)[i], pointer + "/" + std::to_string(i));
      }
    }
  }
  return std::nullopt;
}

}  // namespace prm_mock
