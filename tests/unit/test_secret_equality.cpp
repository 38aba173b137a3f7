#include <doctest/doctest.h>

#include <string>

#include "text/secret_equality.hpp"

TEST_CASE("secrets: equal only when every byte and the length agree") {
  using prm_mock::secrets_equal;
  CHECK(secrets_equal("Bearer t0ken", "Bearer t0ken"));
  CHECK(secrets_equal("", ""));
  CHECK_FALSE(secrets_equal("Bearer t0ke", "Bearer t0ken"));
  CHECK_FALSE(secrets_equal("Bearer t0kenX", "Bearer t0ken"));
  CHECK_FALSE(secrets_equal("Bearer t0keN", "Bearer t0ken"));
  CHECK_FALSE(secrets_equal("", "Bearer t0ken"));
  // A guess padded with NULs is not the secret (a comparison that pads the shorter side would
  // take it).
  CHECK_FALSE(secrets_equal(std::string("Bearer t0ken\0", 13), "Bearer t0ken"));
}
