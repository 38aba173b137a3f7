#include "text/secret_equality.hpp"

#include "text/sha256.hpp"

namespace prm_mock {

bool secrets_equal(std::string_view presented, std::string_view secret) {
  return digests_equal(sha256_digest(presented), sha256_digest(secret));
}

}  // namespace prm_mock
