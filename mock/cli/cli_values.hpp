#pragma once
// Parsers for the text of flag values and environment variables. Each returns nothing when the text
// is not acceptable; the caller knows which flag or variable it came from and says what was
// expected.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace prm_mock {

// Plain decimal digits only (no sign, spaces or exponent), within [min, max].
std::optional<long long> parse_integer_in_range(std::string_view text, long long min,
                                                long long max);

// A positive byte count, optionally suffixed k/K, m/M or g/G for KiB, MiB or GiB ("10m" =
// 10485760).
std::optional<std::size_t> parse_byte_size(std::string_view text);

// 1/true/yes/on or 0/false/no/off, in any letter case.
std::optional<bool> parse_boolean(std::string_view text);

// "k1, k2,,k3" -> {"k1", "k2", "k3"}: items are trimmed and empty ones dropped.
std::vector<std::string> split_comma_list(std::string_view text);

// A base path must start with '/'; trailing slashes are dropped except that "/" itself stays "/",
// which means "serve at the root" (an empty base path means "use the contract's servers[0].url").
std::optional<std::string> normalise_base_path(std::string_view text);

}  // namespace prm_mock
