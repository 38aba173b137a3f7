#pragma once
// HTTPS for clients that refuse plain HTTP (--tls-cert/--tls-key): an OpenSSL server context
// loaded once, and a Transport that runs one connection's TLS session on top of its socket.
#include <openssl/ssl.h>

#include <chrono>
#include <memory>
#include <string>

#include "http/transport.hpp"

namespace prm_mock {

class TlsContext {
 public:
  // Throws std::runtime_error naming the file and OpenSSL's reason when the pair cannot be used.
  TlsContext(const std::string& certificate_file, const std::string& key_file);
  ~TlsContext();
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;

  // Runs the server side of the handshake on `socket_fd`, each step bounded by `io_timeout`;
  // nullptr when the client is not speaking TLS, gives up, or is too slow.
  std::unique_ptr<Transport> accept(int socket_fd, std::chrono::milliseconds io_timeout) const;

 private:
  SSL_CTX* context_ = nullptr;
};

}  // namespace prm_mock
