#pragma once
// SHA-256 (OpenSSL), for the places that must compare or name a secret without keeping it: the
// admin token check, credential values in the journal, and the labels of API-key scopes.
#include <array>
#include <string>
#include <string_view>

namespace prm_mock {

using Sha256Digest = std::array<unsigned char, 32>;

// Throws std::runtime_error if OpenSSL cannot compute it (a broken installation, never input).
Sha256Digest sha256_digest(std::string_view text);

// The first `hex_digits` lower-case hex digits of the digest (at most 64).
std::string sha256_hex_prefix(const Sha256Digest& digest, std::size_t hex_digits);

// Compares two digests without an early exit.
bool digests_equal(const Sha256Digest& a, const Sha256Digest& b);

}  // namespace prm_mock
