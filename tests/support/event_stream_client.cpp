#include "event_stream_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>
#include <string_view>

#include "loopback_connect.hpp"

namespace prm_mock::testing {

EventStreamClient::EventStreamClient(int port, const std::string& target,
                                     const std::string& extra_headers, const char* method,
                                     int receive_buffer) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (receive_buffer > 0) {
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
  }
  connect_to_loopback(fd_, port);
  const std::string request = std::string(method) + " " + target +
                              " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n" +
                              extra_headers + "\r\n";
  if (::send(fd_, request.data(), request.size(), MSG_NOSIGNAL) !=
      static_cast<ssize_t>(request.size())) {
    throw std::runtime_error("send failed");
  }
}

EventStreamClient::~EventStreamClient() { close(); }

void EventStreamClient::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

bool EventStreamClient::receive(std::chrono::steady_clock::time_point deadline) {
  if (closed_ || fd_ < 0) return false;
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  pollfd descriptor{fd_, POLLIN, 0};
  if (::poll(&descriptor, 1, static_cast<int>(std::max<long>(0, left.count()))) <= 0) return false;
  char chunk[65536];
  const ssize_t received = ::recv(fd_, chunk, sizeof chunk, 0);
  if (received <= 0) {
    closed_ = true;
    return false;
  }
  buffer_.append(chunk, static_cast<std::size_t>(received));
  return true;
}

std::string EventStreamClient::head(std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  for (;;) {
    const auto end = buffer_.find("\r\n\r\n");
    if (end != std::string::npos) {
      std::string head = buffer_.substr(0, end + 4);
      buffer_.erase(0, end + 4);
      return head;
    }
    if (!receive(deadline)) return {};
  }
}

std::optional<StreamEvent> EventStreamClient::next(std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  for (;;) {
    const auto end = buffer_.find("\n\n");
    if (end != std::string::npos) {
      const std::string block = buffer_.substr(0, end + 1);
      buffer_.erase(0, end + 2);
      StreamEvent event;
      std::size_t start = 0;
      while (start < block.size()) {
        const std::size_t line_end = block.find('\n', start);
        const std::string_view line(block.data() + start, line_end - start);
        start = line_end + 1;
        const auto field = [&line](std::string_view name) -> std::optional<std::string> {
          if (!line.starts_with(name)) return std::nullopt;
          return std::string(line.substr(name.size()));
        };
        if (const auto value = field("id: ")) event.id = *value;
        if (const auto value = field("event: ")) event.event = *value;
        if (const auto value = field("data: ")) event.data = *value;
        if (const auto value = field(": ")) event.comment = *value;
        if (const auto value = field("retry: ")) event.retry = *value;
      }
      return event;
    }
    if (!receive(deadline)) return std::nullopt;
  }
}

std::optional<StreamEvent> EventStreamClient::next_event(std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    auto event = next(std::max(left, std::chrono::milliseconds(0)));
    if (!event || !event->event.empty()) return event;
  }
}

bool EventStreamClient::wait_closed_by_server(std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!closed_) {
    if (!receive(deadline) && !closed_) return false;
  }
  return true;
}

}  // namespace prm_mock::testing
