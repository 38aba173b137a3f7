#include "publish/auth.hpp"

#include <algorithm>
#include <string_view>

#include "text/ascii_text.hpp"

namespace prm_mock {
namespace {

AuthOutcome refuse(std::string problem) { return {false, {}, std::move(problem)}; }

AuthOutcome check_key(std::string_view key, std::string_view source,
                      const std::vector<std::string>& allowed_keys) {
  if (key.empty()) return refuse(std::string(source) + " is present but empty");
  if (!allowed_keys.empty() &&
      std::find(allowed_keys.begin(), allowed_keys.end(), key) == allowed_keys.end()) {
    return refuse(
        "invalid API key (the mock was started with --api-key and this key is not one of them)");
  }
  return {true, std::string(key), {}};
}

}  // namespace

AuthOutcome authenticate(const httplib::Headers& headers,
                         const std::vector<std::string>& allowed_keys) {
  if (const auto api_key = headers.find("X-API-Key"); api_key != headers.end()) {
    return check_key(trim_blanks(api_key->second), "X-API-Key", allowed_keys);
  }
  const auto authorization = headers.find("Authorization");
  if (authorization == headers.end()) {
    return refuse(
        "missing API key: send it in the X-API-Key header (or Authorization: Bearer <key>)");
  }
  const std::string_view value = trim_blanks(authorization->second);
  constexpr std::string_view kBearer = "Bearer ";
  if (!starts_with_ignoring_case(value, kBearer)) {
    return refuse(
        "the Authorization header must use the Bearer scheme: 'Authorization: Bearer <key>'");
  }
  return check_key(trim_blanks(value.substr(kBearer.size())), "the Bearer token", allowed_keys);
}

}  // namespace prm_mock
