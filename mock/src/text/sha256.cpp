#include "text/sha256.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <stdexcept>

namespace prm_mock {

Sha256Digest sha256_digest(std::string_view text) {
  Sha256Digest digest{};
  unsigned int size = 0;
  if (EVP_Digest(text.data(), text.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1 ||
      size != digest.size()) {
    throw std::runtime_error("SHA-256 is unavailable");
  }
  return digest;
}

std::string sha256_hex_prefix(const Sha256Digest& digest, std::size_t hex_digits) {
  static constexpr char kHex[] = "0123456789abcdef";
  hex_digits = std::min(hex_digits, digest.size() * 2);
  std::string hex;
  hex.reserve(hex_digits);
  for (std::size_t i = 0; i < hex_digits; ++i) {
    const unsigned char byte = digest[i / 2];
    hex += kHex[i % 2 == 0 ? byte >> 4 : byte & 0x0f];
  }
  return hex;
}

bool digests_equal(const Sha256Digest& a, const Sha256Digest& b) {
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace prm_mock
