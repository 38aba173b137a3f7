#include "raw_connection.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <stdexcept>

#include "loopback_connect.hpp"
#include "test_server.hpp"

namespace prm_mock::testing {
namespace {

// Whole response length in `text` (head + Content-Length body), or npos if not complete yet.
std::size_t complete_response_length(const std::string& text) {
  const auto head_end = text.find("\r\n\r\n");
  if (head_end == std::string::npos) return std::string::npos;
  std::size_t body_length = 0;
  const auto header = text.find("Content-Length: ");
  if (header != std::string::npos && header < head_end) {
    body_length = std::strtoull(text.c_str() + header + 16, nullptr, 10);
  }
  const std::size_t total = head_end + 4 + body_length;
  return text.size() >= total ? total : std::string::npos;
}

}  // namespace

RawConnection::RawConnection(int port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  connect_to_loopback(fd_, port);
}

RawConnection::~RawConnection() { ::close(fd_); }

bool RawConnection::send(const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

std::string RawConnection::read_response(std::chrono::milliseconds limit) {
  std::vector<TimedRead> reads;
  return read_response(limit, reads);
}

std::string RawConnection::read_response(std::chrono::milliseconds limit,
                                         std::vector<TimedRead>& reads) {
  std::string received = std::move(pending_);
  pending_.clear();
  char buffer[8192];
  for (;;) {
    const std::size_t length = complete_response_length(received);
    if (length != std::string::npos) {
      pending_ = received.substr(length);
      received.resize(length);
      return received;
    }
    pollfd descriptor{fd_, POLLIN, 0};
    if (::poll(&descriptor, 1, static_cast<int>(limit.count())) <= 0) return received;
    const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
    if (n <= 0) return received;
    reads.push_back({std::chrono::steady_clock::now(), static_cast<std::size_t>(n)});
    received.append(buffer, static_cast<std::size_t>(n));
  }
}

bool RawConnection::wait_closed_by_server(std::chrono::milliseconds limit, std::string* received) {
  char buffer[8192];
  for (;;) {
    pollfd descriptor{fd_, POLLIN, 0};
    if (::poll(&descriptor, 1, static_cast<int>(limit.count())) <= 0) return false;
    const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
    if (n <= 0) return true;
    if (received) received->append(buffer, static_cast<std::size_t>(n));
  }
}

std::string publish_request(bool close) {
  return "POST /api/registries/artifacts HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: k-test\r\n"
         "Content-Type: application/json\r\nContent-Length: " +
         std::to_string(kValidBody.size()) + "\r\n" + (close ? "Connection: close\r\n" : "") +
         "\r\n" + kValidBody;
}

int status_of(const std::string& response) {
  if (response.rfind("HTTP/1.1 ", 0) != 0 || response.size() < 12) return 0;
  return std::atoi(response.c_str() + 9);
}

}  // namespace prm_mock::testing
