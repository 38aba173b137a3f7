#pragma once
// A throwaway certificate for 127.0.0.1 made with the openssl CLI: cert.pem and key.pem in
// `directory`. For TLS tests (serving HTTPS, recording from an https upstream).
#include <httplib.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "prm_mock/config.hpp"

namespace prm_mock::testing {

inline bool make_self_signed_certificate(const std::filesystem::path& directory) {
  const std::string command =
      "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1"
      " -addext subjectAltName=IP:127.0.0.1 -keyout '" +
      (directory / "key.pem").string() + "' -out '" + (directory / "cert.pem").string() +
      "' >/dev/null 2>&1";
  return std::system(command.c_str()) == 0;
}

// `config` serving HTTPS with the certificate made above in `directory`.
inline void serve_tls_with(prm_mock::Config& config, const std::filesystem::path& directory) {
  config.tls_cert = (directory / "cert.pem").string();
  config.tls_key = (directory / "key.pem").string();
}

// `client` trusting that certificate alone and checking it, as a careful client does.
inline void trust_only(httplib::SSLClient& client, const prm_mock::Config& config) {
  client.set_ca_cert_path(config.tls_cert.c_str());
  client.enable_server_certificate_verification(true);
}

}  // namespace prm_mock::testing
