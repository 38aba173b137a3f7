#include "http/listen_port.hpp"

#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "http/url_host.hpp"
#include "prm_mock/server.hpp"

namespace prm_mock {
namespace {

struct BindAttempt {
  int error = 0;              // errno of the failed bind (0: it binds now)
  std::string resolve_error;  // set when the host does not resolve
};

// Binds a throw-away socket the way httplib binds the server's: our socket options, dual-stack
// for IPv6, each address the host resolves to until one binds.
BindAttempt try_bind(const std::string& host, int port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  const int resolved =
      ::getaddrinfo(host.empty() ? nullptr : host.c_str(), service.c_str(), &hints, &found);
  if (resolved != 0) return {0, ::gai_strerror(resolved)};
  BindAttempt attempt;
  for (const addrinfo* address = found; address != nullptr; address = address->ai_next) {
    const int probe =
        ::socket(address->ai_family, address->ai_socktype | SOCK_CLOEXEC, address->ai_protocol);
    if (probe < 0) {
      attempt.error = errno;
      continue;
    }
    set_listen_socket_options(probe);
    if (address->ai_family == AF_INET6) {
      const int no = 0;
      ::setsockopt(probe, IPPROTO_IPV6, IPV6_V6ONLY, &no, sizeof no);
    }
    const bool bound = ::bind(probe, address->ai_addr, address->ai_addrlen) == 0;
    attempt.error = bound ? 0 : errno;
    ::close(probe);
    if (bound) break;
  }
  ::freeaddrinfo(found);
  return attempt;
}

}  // namespace

void set_listen_socket_options(int socket) {
  const int yes = 1;
  ::setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
}

void throw_bind_failure(const std::string& host, int port) {
  const std::string where = url_host(host) + ":" + std::to_string(port);
  const BindAttempt attempt = try_bind(host, port);
  if (!attempt.resolve_error.empty()) {
    throw std::runtime_error("cannot listen on " + where + ": host '" + host +
                             "' does not resolve (" + attempt.resolve_error + ")");
  }
  if (attempt.error == EADDRINUSE) {
    throw PortInUseError("port " + std::to_string(port) + " is already in use (" + where +
                         "): another server, perhaps a prm-mock left running, listens there; "
                         "stop it or pick another --port (0 picks a free one)");
  }
  if (attempt.error == EACCES) {
    throw std::runtime_error("cannot listen on " + where +
                             ": ports below 1024 need root (or CAP_NET_BIND_SERVICE)");
  }
  if (attempt.error != 0) {
    throw std::runtime_error("cannot listen on " + where + ": " + std::strerror(attempt.error));
  }
  // The port binds now: whatever held it let go between the two attempts.
  throw std::runtime_error("cannot listen on " + where + " (it was busy a moment ago; try again)");
}

}  // namespace prm_mock
