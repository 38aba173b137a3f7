#include "loopback_exchange.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>

namespace prm_mock::fuzzing {
namespace {

// Closes the descriptor on every path out of exchange().
class Socket {
 public:
  Socket() : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {}
  ~Socket() {
    if (fd_ >= 0) ::close(fd_);
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

int remaining_ms(std::chrono::steady_clock::time_point end) {
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now());
  return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

// libFuzzer's -timeout arms a periodic SIGALRM, and any thread of the process may take it: a
// poll() or connect() of this thread then fails with EINTR. Taken for a timeout or a refusal, that
// made false findings ("neither answered nor closed" with nothing received and no server end
// left, "cannot connect"). Waits are resumed instead, within the same deadline.
int poll_until(pollfd& descriptor, std::chrono::steady_clock::time_point end) {
  for (;;) {
    const int ready = ::poll(&descriptor, 1, remaining_ms(end));
    if (ready < 0 && errno == EINTR) continue;
    return ready;
  }
}

bool connect_until(int fd, const sockaddr_in& address, std::chrono::steady_clock::time_point end) {
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0) return true;
  if (errno != EINTR) return false;
  // Interrupted, the connection still completes in the background: wait for it and ask how.
  pollfd descriptor{fd, POLLOUT, 0};
  if (poll_until(descriptor, end) <= 0) return false;
  int error = 0;
  socklen_t size = sizeof error;
  return ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size) == 0 && error == 0;
}

}  // namespace

ExchangeResult exchange(int port, std::string_view bytes, std::chrono::milliseconds deadline) {
  const auto end = std::chrono::steady_clock::now() + deadline;
  ExchangeResult result;
  Socket socket;
  if (socket.fd() < 0) return result;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (!connect_until(socket.fd(), address, end)) return result;
  result.connected = true;
  sockaddr_in local{};
  socklen_t local_size = sizeof local;
  if (::getsockname(socket.fd(), reinterpret_cast<sockaddr*>(&local), &local_size) == 0) {
    result.local_port = ntohs(local.sin_port);
  }

  // Writes and reads interleave: a server may answer (e.g. 413) and stop reading before the
  // whole input is sent, and a blocking send would then wait forever on a full socket buffer.
  std::size_t& sent = result.sent;
  bool writing = true;
  if (bytes.empty()) {
    ::shutdown(socket.fd(), SHUT_WR);
    writing = false;
  }
  char buffer[16384];
  for (;;) {
    if (remaining_ms(end) == 0) return result;
    pollfd descriptor{socket.fd(), static_cast<short>(POLLIN | (writing ? POLLOUT : 0)), 0};
    if (poll_until(descriptor, end) <= 0) return result;
    if (descriptor.revents & POLLNVAL) {
      result.descriptor_closed_under_us = true;
      return result;
    }
    if (descriptor.revents & (POLLIN | POLLHUP | POLLERR)) {
      const ssize_t n = ::recv(socket.fd(), buffer, sizeof buffer, MSG_DONTWAIT);
      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
        result.closed_by_server = true;
        return result;
      }
      if (n > 0) result.received.append(buffer, static_cast<std::size_t>(n));
    }
    if (writing && (descriptor.revents & POLLOUT)) {
      const ssize_t n = ::send(socket.fd(), bytes.data() + sent, bytes.size() - sent,
                               MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n > 0) sent += static_cast<std::size_t>(n);
      if (n < 0 && errno != EAGAIN && errno != EINTR) writing = false;  // the server closed
      if (sent == bytes.size()) {
        ::shutdown(socket.fd(), SHUT_WR);
        writing = false;
      }
    }
  }
}

}  // namespace prm_mock::fuzzing
