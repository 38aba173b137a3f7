#pragma once
// A throwaway certificate for 127.0.0.1 made with the openssl CLI: cert.pem and key.pem in
// `directory`. For TLS tests (serving HTTPS, recording from an https upstream).
#include <cstdlib>
#include <filesystem>
#include <string>

namespace prm_mock::testing {

inline bool make_self_signed_certificate(const std::filesystem::path& directory) {
  const std::string command =
      "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1"
      " -addext subjectAltName=IP:127.0.0.1 -keyout '" +
      (directory / "key.pem").string() + "' -out '" + (directory / "cert.pem").string() +
      "' >/dev/null 2>&1";
  return std::system(command.c_str()) == 0;
}

}  // namespace prm_mock::testing
