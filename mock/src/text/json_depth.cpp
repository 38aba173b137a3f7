#include "text/json_depth.hpp"

#include <utility>
#include <vector>

namespace prm_mock {

bool nested_deeper_than(const rapidjson::Value& root, std::size_t limit) {
  std::vector<std::pair<const rapidjson::Value*, std::size_t>> pending = {{&root, 1}};
  while (!pending.empty()) {
    const auto [value, depth] = pending.back();
    pending.pop_back();
    if (!value->IsObject() && !value->IsArray()) continue;
    if (depth > limit) return true;
    if (value->IsObject()) {
      for (const auto& member : value->GetObject()) pending.emplace_back(&member.value, depth + 1);
    } else {
      for (const auto& element : value->GetArray()) pending.emplace_back(&element, depth + 1);
    }
  }
  return false;
}

}  // namespace prm_mock
