#pragma once
// How far apart two words are, for "did you mean ...?" suggestions.
#include <cstddef>
#include <string_view>

namespace prm_mock {

// Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of two adjacent
// characters each cost 1, so the common typo "--prot" is one step from "--port".
std::size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace prm_mock
