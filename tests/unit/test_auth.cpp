#include <doctest/doctest.h>

#include "publish/auth.hpp"

using prm_mock::authenticate;

TEST_CASE("auth: X-API-Key, else Bearer; X-API-Key wins when both are present") {
  const std::vector<std::string> any;
  CHECK(authenticate({{"X-API-Key", "k1"}}, any).key == "k1");
  CHECK(authenticate({{"Authorization", "Bearer k2"}}, any).key == "k2");
  CHECK(authenticate({{"authorization", "bEaReR   k2  "}}, any).key == "k2");
  const auto both =
      authenticate({{"X-API-Key", "from-header"}, {"Authorization", "Bearer from-bearer"}}, any);
  CHECK(both.accepted);
  CHECK(both.key == "from-header");
}

TEST_CASE("auth: refusals say why") {
  const std::vector<std::string> any;
  const auto missing = authenticate({}, any);
  CHECK_FALSE(missing.accepted);
  CHECK(missing.problem.find("missing API key") != std::string::npos);
  CHECK_FALSE(authenticate({{"X-API-Key", "  "}}, any).accepted);
  CHECK_FALSE(authenticate({{"Authorization", "Bearer "}}, any).accepted);
  const auto basic = authenticate({{"Authorization", "Basic dXNlcjpwYXNz"}}, any);
  CHECK_FALSE(basic.accepted);
  CHECK(basic.problem.find("Bearer") != std::string::npos);
}

TEST_CASE("auth: --api-key restricts the accepted keys, and the refusal never echoes the key") {
  const std::vector<std::string> allowed{"k-one", "k-two"};
  CHECK(authenticate({{"X-API-Key", "k-two"}}, allowed).accepted);
  const auto wrong = authenticate({{"X-API-Key", "k-secret-wrong"}}, allowed);
  CHECK_FALSE(wrong.accepted);
  CHECK(wrong.problem.find("k-secret-wrong") == std::string::npos);
  // The header decides even when the bearer token would have been accepted.
  CHECK_FALSE(
      authenticate({{"X-API-Key", "nope"}, {"Authorization", "Bearer k-one"}}, allowed).accepted);
}
