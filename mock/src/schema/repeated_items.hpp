#pragma once
// uniqueItems on arrays of any size: items are bucketed by a hash that agrees with JSON Schema
// equality (1 and 1.0 are equal, member order does not matter), so a 10 MiB array costs linear
// time instead of comparing every pair.
#include <rapidjson/document.h>

#include <cstddef>
#include <utility>
#include <vector>

namespace prm_mock {

// For each item equal to an earlier one: (its index, the index of the first equal item).
std::vector<std::pair<std::size_t, std::size_t>> repeated_items(const rapidjson::Value& array);

}  // namespace prm_mock
