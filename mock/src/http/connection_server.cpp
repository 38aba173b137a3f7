#include "connection_server.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>

#include "exchange_context.hpp"
#include "socket_stream.hpp"

namespace prm_mock {
namespace {

// The client may still be sending the body we refused (a 413, say). Closing a socket with unread
// data makes the kernel send RST, which can destroy our response before the client reads it; so
// send FIN first and discard what still arrives, for a bounded time, like a lingering close.
void close_lingering(int socket_fd) {
  ::shutdown(socket_fd, SHUT_WR);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  char discard[16 * 1024];
  while (std::chrono::steady_clock::now() < deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (!wait_readable(socket_fd, left)) break;
    const ssize_t received = ::recv(socket_fd, discard, sizeof discard, 0);
    if (received <= 0 && !(received < 0 && errno == EINTR)) break;
  }
}

}  // namespace

ConnectionServer::ConnectionServer() {
  shutdown_event_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (shutdown_event_fd_ < 0) throw std::runtime_error("eventfd failed");
}

ConnectionServer::~ConnectionServer() {
  if (shutdown_event_fd_ >= 0) ::close(shutdown_event_fd_);
}

void ConnectionServer::shut_down() {
  if (!shutting_down_.exchange(true, std::memory_order_acq_rel)) {
    // Never read back, so it stays readable and wakes every idle connection now and later.
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto written = ::write(shutdown_event_fd_, &one, sizeof one);
  }
  // httplib's stop() only closes the listening socket once its accept loop has started, so a stop
  // right after start would be lost; closing it here works at any point.
  const socket_t listening = svr_sock_.exchange(INVALID_SOCKET);
  if (listening != INVALID_SOCKET) {
    ::shutdown(listening, SHUT_RDWR);
    ::close(listening);
  }
}

bool ConnectionServer::wait_for_next_request(int socket_fd, const SocketStream& stream) const {
  if (stream.has_buffered_bytes()) return true;
  pollfd descriptors[2] = {{socket_fd, POLLIN, 0}, {shutdown_event_fd_, POLLIN, 0}};
  for (;;) {
    // The idle limit is httplib's keep-alive timeout, so the Keep-Alive header it sends is true.
    const int ready = ::poll(descriptors, 2, static_cast<int>(keep_alive_timeout_sec_ * 1000));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return false;
    // Bytes that already arrived are a request in flight: served even while shutting down. Only
    // a connection with nothing to read is closed by the shutdown.
    return (descriptors[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0;
  }
}

bool ConnectionServer::process_and_close_socket(socket_t sock) {
  SocketStream stream(sock, read_timeout_, write_timeout_);
  ExchangeContext& exchange = current_exchange();
  bool ok = true;
  while (wait_for_next_request(sock, stream)) {
    exchange.reset_for_next_request(sock, shutdown_event_fd_);
    bool client_closes = false;
    // During shutdown a request that already arrived is still served, but its response says
    // "Connection: close" and ends the connection. Deciding this before the request (not after)
    // matters: a client that got a keep-alive response may already have sent its next request.
    const bool last_request = shutting_down();
    ok = process_request(stream, last_request, client_closes, nullptr);
    if (!ok || client_closes || last_request || exchange.close_after_response ||
        exchange.fault != ConnectionFault::None) {
      break;
    }
  }
  if (exchange.fault == ConnectionFault::Reset) {
    // A zero linger makes close() send RST instead of FIN: the client sees "connection reset".
    linger abort_now{1, 0};
    ::setsockopt(sock, SOL_SOCKET, SO_LINGER, &abort_now, sizeof abort_now);
  } else if (exchange.close_after_response) {
    close_lingering(sock);
  }
  ::close(sock);
  exchange.fault = ConnectionFault::None;
  exchange.socket = -1;
  return ok;
}

}  // namespace prm_mock
