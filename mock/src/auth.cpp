#include "auth.hpp"

#include <algorithm>
#include <string_view>

namespace prm_mock {
namespace {

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  return std::equal(prefix.begin(), prefix.end(), text.begin(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
  });
}

AuthOutcome refuse(std::string problem) { return {false, {}, std::move(problem)}; }

AuthOutcome check_key(std::string_view key, std::string_view source,
                      const std::vector<std::string>& allowed_keys) {
  if (key.empty()) return refuse(std::string(source) + " is present but empty");
  if (!allowed_keys.empty() &&
      std::find(allowed_keys.begin(), allowed_keys.end(), key) == allowed_keys.end()) {
    return refuse("invalid API key (the mock was started with --api-key and this key is not one of them)");
  }
  return {true, std::string(key), {}};
}

}  // namespace

AuthOutcome authenticate(const httplib::Headers& headers, const std::vector<std::string>& allowed_keys) {
  if (const auto api_key = headers.find("X-API-Key"); api_key != headers.end()) {
    return check_key(trim(api_key->second), "X-API-Key", allowed_keys);
  }
  const auto authorization = headers.find("Authorization");
  if (authorization == headers.end()) {
    return refuse("missing API key: send it in the X-API-Key header (or Authorization: Bearer <key>)");
  }
  const std::string_view value = trim(authorization->second);
  constexpr std::string_view kBearer = "Bearer ";
  if (!starts_with_ignoring_case(value, kBearer)) {
    return refuse("the Authorization header must use the Bearer scheme: 'Authorization: Bearer <key>'");
  }
  return check_key(trim(value.substr(kBearer.size())), "the Bearer token", allowed_keys);
}

}  // namespace prm_mock
