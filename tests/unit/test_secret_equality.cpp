#include <doctest/doctest.h>

#include <string>

#include "text/secret_equality.hpp"
#include "text/sha256.hpp"

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

TEST_CASE("sha256: the published test vector, hex prefixes, digest comparison") {
  using prm_mock::sha256_digest;
  using prm_mock::sha256_hex_prefix;
  // FIPS 180-2's example: SHA-256("abc").
  CHECK(sha256_hex_prefix(sha256_digest("abc"), 64) ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex_prefix(sha256_digest("abc"), 16) == "ba7816bf8f01cfea");
  CHECK(sha256_hex_prefix(sha256_digest("abc"), 99).size() == 64);
  CHECK(prm_mock::digests_equal(sha256_digest("k"), sha256_digest("k")));
  CHECK_FALSE(prm_mock::digests_equal(sha256_digest("k"), sha256_digest("K")));
}
