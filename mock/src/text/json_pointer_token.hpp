#pragma once
// RFC 6901 escaping of one JSON Pointer reference token, shared by everything that builds pointers
// (contract derivation, violations, fixture problems).
#include <string>
#include <string_view>

namespace prm_mock {

// `token` with '~' written as "~0" and '/' as "~1".
std::string escape_pointer_token(std::string_view token);

// `parent` + "/" + the escaped `token`.
inline std::string child_pointer(std::string_view parent, std::string_view token) {
  return std::string(parent) + "/" + escape_pointer_token(token);
}

}  // namespace prm_mock
