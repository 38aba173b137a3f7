#include "http/event_stream_reader.hpp"

#include <sys/socket.h>

#include <algorithm>
#include <cerrno>

#include "http/event_stream_limits.hpp"

namespace prm_mock {
namespace {

// A buffer that held a large write gives its memory back once sent: an idle reader keeps little.
constexpr std::size_t kBufferKeptWhenDrained = 64 * 1024;

}  // namespace

EventStreamReader::EventStreamReader(ConnectionPtr connection, EventCursor cursor,
                                     std::string first_bytes, Clock::time_point now)
    : connection_(std::move(connection)),
      cursor_(cursor),
      tokens_(event_stream::kBurst),
      refilled_(now),
      unsent_(std::move(first_bytes)),
      last_written_(now) {}

EventStreamReader::Written EventStreamReader::write_events(
    const EventSource& source, Clock::time_point now, event_stream::ReaderAllowance allowance) {
  Written written;
  // A reader that has not taken the last write gets nothing new: what arrives meanwhile is
  // skipped later, within its allowance, instead of piling up here.
  if (has_unsent() && (!(written.open = send_unsent()) || has_unsent())) return written;
  const std::chrono::duration<double> elapsed = now - refilled_;
  tokens_ = std::min(allowance.burst, tokens_ + elapsed.count() * allowance.per_second);
  refilled_ = now;
  // A reader held to its rate is written kHeldReaderBatchSeconds' worth at a time, not an event
  // per write interval: under a flood, 100 readers then cost 100 writes a second, not 2,000.
  const double batch = allowance.per_second * event_stream::kHeldReaderBatchSeconds;
  if (tokens_ < std::min(allowance.burst, std::max(1.0, batch))) {
    written.more = true;  // whether events wait is the source's to say, at the next write
    return written;
  }
  const EventsAppended appended = source.append_events(cursor_, static_cast<std::size_t>(tokens_),
                                                       event_stream::kMaxBytesPerWrite, unsent_);
  tokens_ -= static_cast<double>(appended.events);
  written.more = appended.more;
  written.dropped = appended.dropped;
  if (has_unsent()) {
    last_written_ = now;
    written.open = send_unsent();
  }
  return written;
}

bool EventStreamReader::keep_alive(Clock::time_point now, std::chrono::milliseconds interval) {
  if (has_unsent() || now - last_written_ < interval) return true;
  unsent_ += ": keep-alive\n\n";
  last_written_ = now;
  return send_unsent();
}

bool EventStreamReader::send_unsent() {
  while (has_unsent()) {
    const ssize_t count = ::send(socket_fd(), unsent_.data() + sent_, unsent_.size() - sent_,
                                 MSG_DONTWAIT | MSG_NOSIGNAL);
    if (count > 0) {
      sent_ += static_cast<std::size_t>(count);
      continue;
    }
    if (count < 0 && errno == EINTR) continue;
    if (count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;
    return false;
  }
  if (unsent_.capacity() > kBufferKeptWhenDrained) {
    std::string().swap(unsent_);
  } else {
    unsent_.clear();
  }
  sent_ = 0;
  return true;
}

bool EventStreamReader::discard_input() {
  char discard[4096];
  for (;;) {
    const ssize_t received = ::recv(socket_fd(), discard, sizeof discard, MSG_DONTWAIT);
    if (received > 0) continue;
    if (received < 0 && errno == EINTR) continue;
    return received < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
  }
}

}  // namespace prm_mock
