#include "connection_wait.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>

#include "exchange_context.hpp"

namespace prm_mock {
namespace {

int milliseconds_left(std::chrono::steady_clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

}  // namespace

void wait_unless_shutting_down(std::chrono::milliseconds duration) {
  const int shutdown_fd = current_exchange().shutdown_event_fd;
  const auto deadline = std::chrono::steady_clock::now() + duration;
  for (;;) {
    pollfd shutdown{shutdown_fd, POLLIN, 0};
    const int ready = ::poll(&shutdown, shutdown_fd >= 0 ? 1 : 0, milliseconds_left(deadline));
    if (ready < 0 && errno == EINTR) continue;
    return;
  }
}

void wait_for_client_to_give_up(std::chrono::milliseconds cap) {
  const ExchangeContext& exchange = current_exchange();
  const auto deadline = std::chrono::steady_clock::now() + cap;
  // POLLRDHUP reports the client's close even while unread request bytes are queued.
  pollfd descriptors[2] = {{exchange.socket, POLLRDHUP, 0},
                           {exchange.shutdown_event_fd, POLLIN, 0}};
  for (;;) {
    const int ready = ::poll(descriptors, 2, milliseconds_left(deadline));
    if (ready < 0 && errno == EINTR) continue;
    return;
  }
}

}  // namespace prm_mock
