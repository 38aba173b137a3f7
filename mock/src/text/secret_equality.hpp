#pragma once
// Comparing a presented secret (the admin token) with the configured one without the time taken
// telling an attacker anything: not how many leading bytes were right, nor the secret's length.
#include <string_view>

namespace prm_mock {

// Both sides are hashed to SHA-256 digests of one fixed size, which are compared without an early
// exit. The time then depends only on the lengths being hashed: the presented one, which the
// caller knows, and the secret's, which is the same for every guess.
bool secrets_equal(std::string_view presented, std::string_view secret);

}  // namespace prm_mock
