#include "schema/repeated_items.hpp"

#include <functional>
#include <string_view>
#include <unordered_map>

namespace prm_mock {
namespace {

// Equal JSON values (by JSON Schema's rules, which RapidJSON's operator== follows) hash equally.
std::size_t json_hash(const rapidjson::Value& value) {
  switch (value.GetType()) {
    case rapidjson::kNullType:
      return 1;
    case rapidjson::kFalseType:
      return 2;
    case rapidjson::kTrueType:
      return 3;
    case rapidjson::kNumberType:
      return std::hash<double>{}(value.GetDouble());
    case rapidjson::kStringType:
      return std::hash<std::string_view>{}({value.GetString(), value.GetStringLength()});
    case rapidjson::kArrayType: {
      std::size_t hash = 4;
      for (const auto& item : value.GetArray()) hash = hash * 1000003 ^ json_hash(item);
      return hash;
    }
    case rapidjson::kObjectType: {
      // A sum, since member order must not matter, of mixed pairs, so that swapping values
      // between members changes it.
      std::size_t hash = 5;
      for (const auto& member : value.GetObject()) {
        std::size_t pair = json_hash(member.name) ^ (json_hash(member.value) * 0x9E3779B97F4A7C15);
        pair ^= pair >> 29;
        hash += pair * 0xBF58476D1CE4E5B9;
      }
      return hash;
    }
  }
  return 0;
}

}  // namespace

std::vector<std::pair<std::size_t, std::size_t>> repeated_items(const rapidjson::Value& array) {
  std::vector<std::pair<std::size_t, std::size_t>> repeats;
  std::unordered_multimap<std::size_t, std::size_t> seen;
  for (rapidjson::SizeType i = 0; i < array.Size(); ++i) {
    const std::size_t hash = json_hash(array[i]);
    const auto [first, last] = seen.equal_range(hash);
    bool repeated = false;
    for (auto candidate = first; candidate != last && !repeated; ++candidate) {
      if (array[static_cast<rapidjson::SizeType>(candidate->second)] == array[i]) {
        repeats.emplace_back(i, candidate->second);
        repeated = true;
      }
    }
    if (!repeated) seen.emplace(hash, i);
  }
  return repeats;
}

}  // namespace prm_mock
