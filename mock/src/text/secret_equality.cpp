#include "text/secret_equality.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <array>
#include <stdexcept>

namespace prm_mock {
namespace {

using Digest = std::array<unsigned char, 32>;

Digest sha256_of(std::string_view text) {
  Digest digest{};
  unsigned int size = 0;
  if (EVP_Digest(text.data(), text.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1 ||
      size != digest.size()) {
    throw std::runtime_error("SHA-256 is unavailable");
  }
  return digest;
}

}  // namespace

bool secrets_equal(std::string_view presented, std::string_view secret) {
  const Digest presented_digest = sha256_of(presented);
  const Digest secret_digest = sha256_of(secret);
  return CRYPTO_memcmp(presented_digest.data(), secret_digest.data(), secret_digest.size()) == 0;
}

}  // namespace prm_mock
