#include "http/tls_transport.hpp"

#include <openssl/err.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <algorithm>
#include <stdexcept>

namespace prm_mock {
namespace {

std::string openssl_reason() {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "unknown OpenSSL error";
  char text[256];
  ERR_error_string_n(code, text, sizeof text);
  return text;
}

// OpenSSL reads and writes the socket itself, so the I/O timeout becomes the socket's own:
// a client that stalls mid-record makes SSL_read fail instead of blocking a worker forever.
void set_socket_timeouts(int socket_fd, std::chrono::milliseconds timeout) {
  timeval limit{};
  limit.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  limit.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
  ::setsockopt(socket_fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  ::setsockopt(socket_fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
}

class TlsTransport final : public Transport {
 public:
  explicit TlsTransport(SSL* session) : session_(session) {}
  ~TlsTransport() override { SSL_free(session_); }

  ssize_t receive(char* destination, std::size_t size) override {
    const int received =
        SSL_read(session_, destination, static_cast<int>(std::min<std::size_t>(size, 1 << 30)));
    if (received > 0) return received;
    const int error = SSL_get_error(session_, received);
    ERR_clear_error();
    return error == SSL_ERROR_ZERO_RETURN ? 0 : -1;
  }

  ssize_t send(const char* source, std::size_t size) override {
    const int sent =
        SSL_write(session_, source, static_cast<int>(std::min<std::size_t>(size, 1 << 30)));
    if (sent > 0) return sent;
    ERR_clear_error();
    return -1;
  }

  bool has_pending_bytes() const override { return SSL_pending(session_) > 0; }

  void say_goodbye() override {
    // One close_notify, without waiting for the client's: the socket closes right after.
    SSL_shutdown(session_);
    ERR_clear_error();
  }

 private:
  SSL* session_;
};

}  // namespace

TlsContext::TlsContext(const std::string& certificate_file, const std::string& key_file) {
  context_ = SSL_CTX_new(TLS_server_method());
  if (context_ == nullptr)
    throw std::runtime_error("TLS: cannot create a context: " + openssl_reason());
  SSL_CTX_set_min_proto_version(context_, TLS1_2_VERSION);
  // Our SocketStream retries partial writes itself; a moving buffer is fine between retries.
  SSL_CTX_set_mode(context_, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  if (SSL_CTX_use_certificate_chain_file(context_, certificate_file.c_str()) != 1) {
    const std::string reason = openssl_reason();
    SSL_CTX_free(context_);
    throw std::runtime_error("--tls-cert '" + certificate_file + "': " + reason);
  }
  if (SSL_CTX_use_PrivateKey_file(context_, key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    const std::string reason = openssl_reason();
    SSL_CTX_free(context_);
    throw std::runtime_error("--tls-key '" + key_file + "': " + reason);
  }
  if (SSL_CTX_check_private_key(context_) != 1) {
    const std::string reason = openssl_reason();
    SSL_CTX_free(context_);
    throw std::runtime_error("--tls-key '" + key_file + "' does not belong to --tls-cert '" +
                             certificate_file + "': " + reason);
  }
}

TlsContext::~TlsContext() { SSL_CTX_free(context_); }

std::unique_ptr<Transport> TlsContext::accept(int socket_fd,
                                              std::chrono::milliseconds io_timeout) const {
  set_socket_timeouts(socket_fd, io_timeout);
  SSL* session = SSL_new(context_);
  if (session == nullptr) return nullptr;
  if (SSL_set_fd(session, socket_fd) != 1 || SSL_accept(session) != 1) {
    ERR_clear_error();
    SSL_free(session);
    return nullptr;
  }
  return std::make_unique<TlsTransport>(session);
}

}  // namespace prm_mock
