#include "http/socket_stream.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string_view>

#include "http/body_read_ahead.hpp"
#include "text/ascii_text.hpp"

namespace prm_mock {
namespace {

// Responses up to this size are collected and sent whole; a larger body goes out as httplib
// writes it, so memory per connection stays bounded.
constexpr size_t kMaxUnsentBytes = 64 * 1024;

bool wait_for(int socket_fd, short events, std::chrono::milliseconds timeout) {
  pollfd descriptor{socket_fd, events, 0};
  for (;;) {
    const int ready = ::poll(&descriptor, 1, static_cast<int>(timeout.count()));
    if (ready < 0 && errno == EINTR) continue;
    return ready > 0 && (descriptor.revents & (events | POLLHUP | POLLERR)) != 0;
  }
}

void describe_address(const sockaddr_storage& address, std::string& ip, int& port) {
  char text[INET6_ADDRSTRLEN] = {};
  if (address.ss_family == AF_INET) {
    const auto& v4 = reinterpret_cast<const sockaddr_in&>(address);
    ::inet_ntop(AF_INET, &v4.sin_addr, text, sizeof text);
    port = ntohs(v4.sin_port);
  } else if (address.ss_family == AF_INET6) {
    const auto& v6 = reinterpret_cast<const sockaddr_in6&>(address);
    ::inet_ntop(AF_INET6, &v6.sin6_addr, text, sizeof text);
    port = ntohs(v6.sin6_port);
  }
  ip = text;
}

}  // namespace

bool wait_readable(int socket_fd, std::chrono::milliseconds timeout) {
  return wait_for(socket_fd, POLLIN, timeout);
}

SocketStream::SocketStream(int socket_fd, std::unique_ptr<Transport> transport,
                           std::chrono::milliseconds io_timeout, ExchangeContext& exchange)
    : socket_fd_(socket_fd),
      exchange_(exchange),
      transport_(std::move(transport)),
      io_timeout_(io_timeout),
      buffer_(std::make_unique_for_overwrite<char[]>(kUsualCapacity)) {}

bool SocketStream::is_readable() const {
  if (has_buffered_bytes()) return true;
  return send_unsent() && wait_for(socket_fd_, POLLIN, io_timeout_);
}

bool SocketStream::is_writable() const { return wait_for(socket_fd_, POLLOUT, io_timeout_); }

const RequestHeadCheck& SocketStream::request_head() {
  const size_t unscanned_from = buffer_begin_ + head_check_.scanned();
  if (head_check_.verdict() == RequestHeadCheck::Verdict::Incomplete &&
      unscanned_from < buffer_end_) {
    const auto verdict =
        head_check_.scan({buffer_.get() + unscanned_from, buffer_end_ - unscanned_from});
    if (verdict == RequestHeadCheck::Verdict::Complete) {
      const size_t lines_start = head_check_.header_lines_start();
      body_read_ahead_ = body_bytes_to_read_ahead(
          scanned_head().substr(lines_start, head_check_.scanned() - 2 - lines_start));
    }
  }
  return head_check_;
}

bool SocketStream::request_ready() {
  const auto verdict = request_head().verdict();
  if (verdict != RequestHeadCheck::Verdict::Complete) {
    return verdict == RequestHeadCheck::Verdict::Invalid;
  }
  return buffer_end_ - buffer_begin_ >= head_check_.scanned() + body_read_ahead_;
}

void SocketStream::start_next_head() {
  head_check_.reset();
  body_read_ahead_ = 0;
  // A head that needed a larger buffer is rare: give the memory back once it has been read.
  const size_t buffered = buffer_end_ - buffer_begin_;
  if (capacity_ > kUsualCapacity && buffered <= kUsualCapacity) {
    auto usual = std::make_unique_for_overwrite<char[]>(kUsualCapacity);
    std::memcpy(usual.get(), buffer_.get() + buffer_begin_, buffered);
    buffer_ = std::move(usual);
    capacity_ = kUsualCapacity;
    buffer_begin_ = 0;
    buffer_end_ = buffered;
  }
}

size_t SocketStream::request_byte_limit() {
  switch (request_head().verdict()) {
    case RequestHeadCheck::Verdict::Incomplete:
      return RequestHeadCheck::kMaxHeadBytes;
    case RequestHeadCheck::Verdict::Complete:
      return head_check_.scanned() + body_read_ahead_;
    case RequestHeadCheck::Verdict::Invalid:
      break;
  }
  return 0;
}

bool SocketStream::make_room_for_request() {
  if (buffer_begin_ > 0) {
    std::memmove(buffer_.get(), buffer_.get() + buffer_begin_, buffer_end_ - buffer_begin_);
    buffer_end_ -= buffer_begin_;
    buffer_begin_ = 0;
  }
  if (buffer_end_ < capacity_) return true;
  const size_t limit = request_byte_limit();
  if (capacity_ >= limit) return false;
  const size_t larger = std::min(capacity_ * 2, limit);
  auto grown = std::make_unique_for_overwrite<char[]>(larger);
  std::memcpy(grown.get(), buffer_.get(), buffer_end_);
  buffer_ = std::move(grown);
  capacity_ = larger;
  return true;
}

SocketStream::ReadAhead SocketStream::read_ahead() {
  if (!make_room_for_request()) return ReadAhead::NothingYet;
  char* const free_space = buffer_.get() + buffer_end_;
  ssize_t received;
  do received = ::recv(socket_fd_, free_space, capacity_ - buffer_end_, MSG_DONTWAIT);
  while (received < 0 && errno == EINTR);
  if (received > 0) {
    buffer_end_ += static_cast<size_t>(received);
    return ReadAhead::Received;
  }
  if (received < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return ReadAhead::NothingYet;
  return ReadAhead::Closed;
}

SocketStream::HeadRead SocketStream::receive_head_bytes() {
  // No room: the head is ready (or invalid), so there is nothing to wait for.
  if (request_head_ready() || !make_room_for_request()) return HeadRead::Received;
  if (!wait_readable_in_time()) return HeadRead::TimedOut;
  char* const free_space = buffer_.get() + buffer_end_;
  const ssize_t received = transport_->receive(free_space, capacity_ - buffer_end_);
  if (received <= 0) return HeadRead::Closed;
  buffer_end_ += static_cast<size_t>(received);
  return HeadRead::Received;
}

void SocketStream::note_timeout() {
  read_timed_out_ = true;
  exchange_.read_timed_out = true;
}

bool SocketStream::wait_readable_in_time() {
  if (transport_->has_pending_bytes()) return true;
  const auto now = Clock::now();
  if (now >= read_deadline_) {
    note_timeout();
    return false;
  }
  const auto until_deadline = std::chrono::ceil<std::chrono::milliseconds>(read_deadline_ - now);
  if (wait_for(socket_fd_, POLLIN, std::min(io_timeout_, until_deadline))) return true;
  note_timeout();
  return false;
}

ssize_t SocketStream::read(char* destination, size_t size) {
  if (buffer_begin_ == buffer_end_) {
    if (!flush()) return -1;
    if (!wait_readable_in_time()) return -1;
    // Large reads (bodies) go straight to the caller; small ones (httplib reads request lines a
    // byte at a time) are served from one receive into the buffer.
    if (size >= capacity_) return transport_->receive(destination, size);
    const ssize_t received = transport_->receive(buffer_.get(), capacity_);
    if (received <= 0) return received;
    buffer_begin_ = 0;
    buffer_end_ = static_cast<size_t>(received);
  }
  const size_t count = std::min(size, buffer_end_ - buffer_begin_);
  std::memcpy(destination, buffer_.get() + buffer_begin_, count);
  buffer_begin_ += count;
  return static_cast<ssize_t>(count);
}

ssize_t SocketStream::write(const char* source, size_t size) {
  // A fault chosen by the handler replaces the response: report a failed write so httplib stops,
  // and let the connection loop carry the fault out on the socket.
  if (exchange_.fault != ConnectionFault::None) return -1;
  if (unsent_.size() + size <= kMaxUnsentBytes || exchange_.respond_at || exchange_.dribble) {
    unsent_.append(source, size);
    return static_cast<ssize_t>(size);
  }
  if (!flush()) return -1;
  return transport_->send(source, size);
}

void SocketStream::date_if_undated(std::string_view date) {
  if (!unsent_.starts_with("HTTP/")) return;
  const std::size_t status_line_end = unsent_.find("\r\n");
  const std::size_t head_end = unsent_.find("\r\n\r\n");
  if (status_line_end == std::string::npos || head_end == std::string::npos) return;
  // Header lines start after each CRLF; a name is matched whatever its case.
  constexpr std::string_view kName = "\r\ndate:";
  const std::string_view head(unsent_.data(), head_end + 2);
  for (std::size_t at = head.find("\r\n"); at != std::string_view::npos;
       at = head.find("\r\n", at + 2)) {
    if (starts_with_ignoring_case(head.substr(at), kName)) return;
  }
  unsent_.insert(status_line_end + 2, "Date: " + std::string(date) + "\r\n");
}

std::size_t SocketStream::unsent_head_bytes() const {
  if (!unsent_.starts_with("HTTP/")) return 0;
  const std::size_t head_end = unsent_.find("\r\n\r\n");
  return head_end == std::string::npos ? 0 : head_end + 4;
}

bool SocketStream::send_front(std::size_t count) {
  count = std::min(count, unsent_.size());
  std::size_t sent = 0;
  while (sent < count) {
    const ssize_t written = transport_->send(unsent_.data() + sent, count - sent);
    if (written <= 0) {
      unsent_.clear();
      return false;
    }
    sent += static_cast<std::size_t>(written);
  }
  unsent_.erase(0, count);
  return true;
}

bool SocketStream::send_unsent() const {
  size_t sent = 0;
  while (sent < unsent_.size()) {
    const ssize_t count = transport_->send(unsent_.data() + sent, unsent_.size() - sent);
    if (count <= 0) break;
    sent += static_cast<size_t>(count);
  }
  const bool all_sent = sent == unsent_.size();
  unsent_.clear();
  return all_sent;
}

void SocketStream::get_remote_ip_and_port(std::string& ip, int& port) const {
  describe_once(::getpeername, remote_ip_, remote_port_);
  ip = remote_ip_;
  port = remote_port_;
}

void SocketStream::get_local_ip_and_port(std::string& ip, int& port) const {
  describe_once(::getsockname, local_ip_, local_port_);
  ip = local_ip_;
  port = local_port_;
}

void SocketStream::describe_once(AddressLookup lookup, std::string& ip, int& port) const {
  if (port >= 0) return;
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (lookup(socket_fd_, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    describe_address(address, ip, port);
  }
}

}  // namespace prm_mock
