#include "http/connection_reactor.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <stdexcept>
#include <vector>

#include "http/canned_response.hpp"

namespace prm_mock {
namespace {

using Clock = Connection::Clock;
// Time limits are checked this often: precise enough for limits of a second or more, and cheap
// (one pass over the parked connections).
constexpr auto kLimitCheckInterval = std::chrono::milliseconds(50);
constexpr auto kRefusalDrainTime = std::chrono::seconds(1);
// Past this many refusals still draining, close at once: a flood must not pile up descriptors.
constexpr std::size_t kMaxRefusalsDraining = 4096;
// Out of file descriptors: stop accepting for a moment instead of spinning on a readable socket.
constexpr auto kAcceptPauseWhenOutOfDescriptors = std::chrono::milliseconds(100);

bool watch(int epoll_fd, int fd) {
  epoll_event event{};
  event.events = EPOLLIN | EPOLLRDHUP;
  event.data.fd = fd;
  return ::epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &event) == 0;
}

void unwatch(int epoll_fd, int fd) { ::epoll_ctl(epoll_fd, EPOLL_CTL_DEL, fd, nullptr); }

// A client connection is watched for one event at a time (EPOLLONESHOT): the event disarms it, so
// handing it to a worker costs no epoll_ctl, and parking it again costs one (EPOLL_CTL_MOD). It is
// registered once, when first parked, and leaves the epoll set when its socket closes.
bool arm(int epoll_fd, Connection& connection) {
  epoll_event event{};
  event.events = EPOLLIN | EPOLLRDHUP | EPOLLONESHOT;
  event.data.fd = connection.socket_fd;
  const int operation = connection.in_epoll_set ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
  if (::epoll_ctl(epoll_fd, operation, connection.socket_fd, &event) != 0) return false;
  connection.in_epoll_set = true;
  return true;
}

int milliseconds_until(Clock::time_point when) {
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(when - Clock::now()).count();
  return left < 0 ? 0 : static_cast<int>(left);
}

}  // namespace

ConnectionReactor::ConnectionReactor(Dispatch dispatch) : dispatch_(std::move(dispatch)) {
  epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
  shutdown_event_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  events_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (epoll_fd_ < 0 || shutdown_event_fd_ < 0 || wake_fd_ < 0 || events_fd_ < 0) {
    throw std::runtime_error("epoll/eventfd failed");
  }
}

ConnectionReactor::~ConnectionReactor() {
  parked_.clear();
  waiting_.clear();
  arriving_streams_.clear();
  streams_.clear();
  for (const auto& [fd, deadline] : refused_) ::close(fd);
  ::close(epoll_fd_);
  ::close(shutdown_event_fd_);
  ::close(wake_fd_);
  ::close(events_fd_);
}

void ConnectionReactor::shut_down() {
  if (!shutting_down_.exchange(true, std::memory_order_acq_rel)) {
    // Never read back, so it stays readable: it wakes the reactor and every waiting handler.
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto written = ::write(shutdown_event_fd_, &one, sizeof one);
  }
}

void ConnectionReactor::run(int listening_fd, ReactorSettings settings) {
  settings_ = settings;
  ::fcntl(listening_fd, F_SETFL, ::fcntl(listening_fd, F_GETFL) | O_NONBLOCK);
  watch(epoll_fd_, shutdown_event_fd_);
  watch(epoll_fd_, wake_fd_);
  watch(epoll_fd_, events_fd_);
  bool accepting = watch(epoll_fd_, listening_fd);
  std::array<epoll_event, 256> events{};
  auto next_limit_check = Clock::now() + kLimitCheckInterval;
  while (!shutting_down()) {
    const int ready = ::epoll_wait(epoll_fd_, events.data(), static_cast<int>(events.size()),
                                   milliseconds_to_next_wake(next_limit_check));
    if (ready < 0 && errno != EINTR) break;
    for (int index = 0; index < ready; ++index) {
      const epoll_event& event = events[static_cast<std::size_t>(index)];
      const int fd = event.data.fd;
      if (fd == shutdown_event_fd_) continue;
      if (fd == wake_fd_ || fd == events_fd_) {
        std::uint64_t count = 0;
        [[maybe_unused]] const auto read = ::read(fd, &count, sizeof count);
        if (fd == wake_fd_) {
          adopt_arriving_streams();
        } else {
          streams_to_write_ = true;
        }
        continue;
      }
      if (const auto stream = streams_.find(fd); stream != streams_.end()) {
        on_stream_event(stream, event.events);
      } else if (fd == listening_fd) {
        if (!accept_all(listening_fd)) {
          unwatch(epoll_fd_, listening_fd);
          accepting = false;
          accept_paused_until_ = Clock::now() + kAcceptPauseWhenOutOfDescriptors;
        }
      } else if (refused_.count(fd) != 0) {
        on_refused_event(fd);
      } else {
        on_parked_event(fd);
      }
    }
    fire_due_timers();
    if (streams_to_write_ && Clock::now() >= streams_written_ + event_stream::kWriteInterval) {
      write_streams(Clock::now());
    }
    if (Clock::now() >= next_limit_check) {
      enforce_time_limits();
      keep_streams_alive(Clock::now());
      if (!accepting && Clock::now() >= accept_paused_until_)
        accepting = watch(epoll_fd_, listening_fd);
      next_limit_check = Clock::now() + kLimitCheckInterval;
    }
  }
  unwatch(epoll_fd_, listening_fd);
  ::close(listening_fd);
  close_all_for_shutdown();
}

bool ConnectionReactor::accept_all(int listening_fd) {
  for (;;) {
    const int fd = ::accept4(listening_fd, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      return !(errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM);
    }
    if (open_connections() >= settings_.max_connections) {
      refuse(fd);
      continue;
    }
    // Without TCP_NODELAY, Nagle's algorithm and delayed ACKs add ~40 ms to small responses.
    const int on = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    auto connection = std::make_unique<Connection>(fd, settings_.io_timeout, open_connections_);
    connection->tls_pending = settings_.tls;
    park(std::move(connection));
  }
}

void ConnectionReactor::refuse(int socket_fd) {
  refused_total_.fetch_add(1, std::memory_order_relaxed);
  if (refused_.size() >= kMaxRefusalsDraining || settings_.tls) {
    // Under TLS a plain-text 503 would be noise to the client; a prompt close is the refusal.
    ::close(socket_fd);
    return;
  }
  // Built per refusal (they are rare) so that each carries its own X-Request-Id.
  send_without_blocking(
      socket_fd, canned_error_response(503, "Service Unavailable", "TOO_MANY_CONNECTIONS",
                                       "the mock already has its maximum of open connections "
                                       "(--max-connections); close idle connections or retry"));
  ::shutdown(socket_fd, SHUT_WR);
  if (!watch(epoll_fd_, socket_fd)) {
    ::close(socket_fd);
    return;
  }
  refused_.emplace(socket_fd, Clock::now() + kRefusalDrainTime);
}

void ConnectionReactor::on_refused_event(int socket_fd) {
  char discard[4096];
  for (;;) {
    const ssize_t received = ::recv(socket_fd, discard, sizeof discard, MSG_DONTWAIT);
    if (received > 0) continue;
    if (received < 0 && errno == EINTR) continue;
    if (received < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    break;  // the client closed: our response was delivered
  }
  unwatch(epoll_fd_, socket_fd);
  ::close(socket_fd);
  refused_.erase(socket_fd);
}

void ConnectionReactor::park(ConnectionPtr connection) {
  const int fd = connection->socket_fd;
  std::lock_guard lock(parked_mutex_);
  // Shutting down: an idle connection just closes (the unique_ptr does it on return).
  if (shutting_down()) return;
  auto [parked, inserted] = parked_.emplace(fd, std::move(connection));
  if (!inserted || !arm(epoll_fd_, *parked->second)) parked_.erase(parked);
}

ConnectionPtr ConnectionReactor::take_locked(ParkedMap::iterator parked) {
  // Still armed when taken on a time limit or at shutdown: an event that fires before the
  // connection is parked again finds it in neither map and is ignored.
  ConnectionPtr connection = std::move(parked->second);
  parked_.erase(parked);
  return connection;
}

void ConnectionReactor::on_parked_event(int socket_fd) {
  ConnectionPtr ready;
  {
    std::lock_guard lock(parked_mutex_);
    const auto parked = parked_.find(socket_fd);
    if (parked == parked_.end()) {
      if (const auto waiting = waiting_.find(socket_fd); waiting != waiting_.end()) {
        on_draining_event(waiting);
      }
      return;
    }
    Connection& connection = *parked->second;
    SocketStream& stream = connection.stream;
    // TLS bytes can only be read by the session on a worker.
    if (connection.tls_pending || !stream.transport().can_read_ahead()) {
      ready = take_locked(parked);
    } else {
      const auto outcome = stream.read_ahead();
      if (outcome == SocketStream::ReadAhead::Received) connection.note_bytes_received();
      const bool closed = outcome == SocketStream::ReadAhead::Closed;
      // A whole head is a request even when the client left during its body: a worker answers
      // it (the body reader finds the body cut short) and the journal keeps it.
      if (stream.request_ready() || (closed && stream.request_head_ready())) {
        ready = take_locked(parked);
      } else if (closed || !arm(epoll_fd_, connection)) {
        // The client left; a partial request head was never a request.
        take_locked(parked);
      }
    }
  }
  if (ready) dispatch_(std::move(ready));
}

bool ConnectionReactor::send_later(ConnectionPtr& connection, Clock::time_point due) {
  std::lock_guard lock(parked_mutex_);
  return wait_locked(connection, due, WaitKind::DueResponse);
}

void ConnectionReactor::hold_open(ConnectionPtr connection, Clock::time_point until) {
  std::lock_guard lock(parked_mutex_);
  // Refused when shutting down: the connection then closes as `connection` goes.
  wait_locked(connection, until, WaitKind::HeldOpen);
}

bool ConnectionReactor::linger(ConnectionPtr& connection, Clock::time_point until) {
  std::lock_guard lock(parked_mutex_);
  return wait_locked(connection, until, WaitKind::Lingering);
}

bool ConnectionReactor::wait_locked(ConnectionPtr& connection, Clock::time_point due,
                                    WaitKind kind) {
  if (shutting_down()) return false;
  const int fd = connection->socket_fd;
  // Held and lingering connections are watched so that the client's close ends them; a delayed
  // response needs nothing but its timer (what the client sends meanwhile is its next request,
  // read once this one is answered).
  if (kind != WaitKind::DueResponse && !arm(epoll_fd_, *connection)) return false;
  const bool earliest = timers_.empty() || due < timers_.begin()->first;
  waiting_.emplace(fd, Waiting{std::move(connection), due, kind});
  timers_.emplace(due, fd);
  if (kind != WaitKind::Lingering) waiting_count_.fetch_add(1, std::memory_order_relaxed);
  if (earliest) {
    // The reactor may be asleep until a later time: make it look at the clock again.
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto written = ::write(wake_fd_, &one, sizeof one);
  }
  return true;
}

void ConnectionReactor::end_wait_locked(WaitingMap::iterator waiting) {
  const WaitKind kind = waiting->second.kind;
  if (kind != WaitKind::Lingering) waiting_count_.fetch_sub(1, std::memory_order_relaxed);
  timers_.erase({waiting->second.due, waiting->first});
  waiting_.erase(waiting);
}

void ConnectionReactor::on_draining_event(WaitingMap::iterator waiting) {
  // Whatever the client sends while held or lingering is dropped; its close (or a reset) ends
  // the wait.
  char discard[4096];
  for (;;) {
    const ssize_t received = ::recv(waiting->first, discard, sizeof discard, MSG_DONTWAIT);
    if (received > 0) continue;
    if (received < 0 && errno == EINTR) continue;
    if (received < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (arm(epoll_fd_, *waiting->second.connection)) return;
      break;
    }
    break;
  }
  end_wait_locked(waiting);  // the client left: the connection closes
}

void ConnectionReactor::fire_due_timers() {
  std::vector<ConnectionPtr> due_responses;
  {
    std::lock_guard lock(parked_mutex_);
    const auto now = Clock::now();
    while (!timers_.empty() && timers_.begin()->first <= now) {
      const auto waiting = waiting_.find(timers_.begin()->second);
      ConnectionPtr connection = std::move(waiting->second.connection);
      const WaitKind kind = waiting->second.kind;
      end_wait_locked(waiting);
      // A hold or a linger whose time is up closes here, as `connection` goes.
      if (kind == WaitKind::DueResponse) due_responses.push_back(std::move(connection));
    }
  }
  for (auto& connection : due_responses) dispatch_(std::move(connection));
}

int ConnectionReactor::milliseconds_to_next_wake(Clock::time_point next_limit_check) {
  auto wake = next_limit_check;
  if (streams_to_write_) wake = std::min(wake, streams_written_ + event_stream::kWriteInterval);
  std::lock_guard lock(parked_mutex_);
  if (!timers_.empty()) wake = std::min(wake, timers_.begin()->first);
  return milliseconds_until(wake);
}

void ConnectionReactor::enforce_time_limits() {
  const auto now = Clock::now();
  std::vector<ConnectionPtr> expired;
  std::vector<ConnectionPtr> stalled_bodies;
  {
    std::lock_guard lock(parked_mutex_);
    for (auto parked = parked_.begin(); parked != parked_.end();) {
      Connection& connection = *parked->second;
      const bool too_slow = connection.request_started &&
                            now - *connection.request_started >= settings_.request_timeout;
      if (!connection.tls_pending && connection.stream.request_head_ready()) {
        // A whole head whose body is being read ahead: a request, so a worker answers it (408)
        // and journals it once the body is late or stops arriving.
        if (too_slow || now - connection.last_received >= settings_.io_timeout) {
          connection.body_stalled = true;
          auto next = std::next(parked);
          stalled_bodies.push_back(take_locked(parked));
          parked = next;
        } else {
          ++parked;
        }
        continue;
      }
      const bool head_too_slow = too_slow;
      const bool idle_too_long =
          !connection.request_started && now - connection.idle_since >= settings_.idle_timeout;
      if (head_too_slow && !connection.tls_pending) {
        timed_out_total_.fetch_add(1, std::memory_order_relaxed);
        send_without_blocking(connection.socket_fd,
                              canned_error_response(408, "Request Timeout", "REQUEST_TIMEOUT",
                                                    "the request head did not arrive within "
                                                    "--request-timeout"));
      }
      if (head_too_slow || idle_too_long) {
        auto next = std::next(parked);
        expired.push_back(take_locked(parked));
        parked = next;
      } else {
        ++parked;
      }
    }
  }
  for (auto refused = refused_.begin(); refused != refused_.end();) {
    if (now < refused->second) {
      ++refused;
      continue;
    }
    unwatch(epoll_fd_, refused->first);
    ::close(refused->first);
    refused = refused_.erase(refused);
  }
  for (auto& connection : stalled_bodies) dispatch_(std::move(connection));
}

void ConnectionReactor::close_all_for_shutdown() {
  std::vector<ConnectionPtr> to_serve;
  {
    std::lock_guard lock(parked_mutex_);
    for (auto& [fd, connection] : parked_) {
      unwatch(epoll_fd_, fd);
      // Bytes that already arrived are a request in flight: it is still served (and answered
      // with "Connection: close"), or refused when its head is malformed. A connection with
      // nothing, or half of a head that may still be valid, just closes.
      if (connection->tls_pending || !connection->stream.transport().can_read_ahead()) {
        if (wait_readable(fd, std::chrono::milliseconds(0)))
          to_serve.push_back(std::move(connection));
        continue;
      }
      connection->stream.read_ahead();
      if (connection->stream.request_head_ready()) to_serve.push_back(std::move(connection));
    }
    parked_.clear();
    // Delayed responses are sent at once; held and lingering connections close.
    while (!waiting_.empty()) {
      const auto waiting = waiting_.begin();
      ConnectionPtr connection = std::move(waiting->second.connection);
      const WaitKind kind = waiting->second.kind;
      end_wait_locked(waiting);
      if (kind == WaitKind::DueResponse) to_serve.push_back(std::move(connection));
    }
    streams_open_.fetch_sub(static_cast<int>(arriving_streams_.size()), std::memory_order_relaxed);
    arriving_streams_.clear();
  }
  for (const auto& [fd, deadline] : refused_) ::close(fd);
  refused_.clear();
  // Streams end with the server: their clients reconnect to the next one.
  streams_open_.fetch_sub(static_cast<int>(streams_.size()), std::memory_order_relaxed);
  streams_.clear();
  for (auto& connection : to_serve) dispatch_(std::move(connection));
}

bool ConnectionReactor::stream_events(ConnectionPtr& connection, EventCursor from,
                                      std::string first_bytes) {
  {
    std::lock_guard lock(parked_mutex_);
    if (shutting_down()) return false;
    arriving_streams_.push_back({std::move(connection), from, std::move(first_bytes)});
    streams_open_.fetch_add(1, std::memory_order_relaxed);
  }
  const std::uint64_t one = 1;
  [[maybe_unused]] const auto written = ::write(wake_fd_, &one, sizeof one);
  return true;
}

void ConnectionReactor::events_arrived() {
  // Called for every request journaled: with no stream open, or a wake-up already pending, it
  // costs one or two atomic reads; only the first news after a write costs a system call.
  if (streams_open_.load(std::memory_order_relaxed) == 0) return;
  if (events_pending_.load(std::memory_order_relaxed) || events_pending_.exchange(true)) return;
  const std::uint64_t one = 1;
  [[maybe_unused]] const auto written = ::write(events_fd_, &one, sizeof one);
}

void ConnectionReactor::adopt_arriving_streams() {
  std::vector<ArrivingStream> arriving;
  {
    std::lock_guard lock(parked_mutex_);
    if (arriving_streams_.empty()) return;
    arriving.swap(arriving_streams_);
  }
  const auto now = Clock::now();
  for (ArrivingStream& stream : arriving) {
    Connection& connection = *stream.connection;
    const int fd = connection.socket_fd;
    // Watched for input (level-triggered, not one-shot) so that the client's close ends it, and
    // for output only while bytes wait (settle_stream).
    epoll_event event{};
    event.events = EPOLLIN | EPOLLRDHUP;
    event.data.fd = fd;
    const int operation = connection.in_epoll_set ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
    if (::epoll_ctl(epoll_fd_, operation, fd, &event) != 0) {
      streams_open_.fetch_sub(1, std::memory_order_relaxed);
      continue;  // the connection closes as `stream` goes
    }
    connection.in_epoll_set = true;
    // Best effort: a socket that refuses it keeps the kernel's default.
    const int send_buffer = event_stream::kKernelSendBufferBytes;
    ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &send_buffer, sizeof send_buffer);
    const auto [reader, inserted] = streams_.emplace(
        fd, std::make_unique<EventStreamReader>(std::move(stream.connection), stream.from,
                                                std::move(stream.first_bytes), now));
    // Its head, and what the source already has for it (a `since`), leave at once.
    const auto written = reader->second->write_events(
        *settings_.event_source, now, event_stream::reader_allowance(streams_.size()));
    stream_dropped_total_.fetch_add(written.dropped, std::memory_order_relaxed);
    streams_to_write_ = streams_to_write_ || written.more;
    settle_stream(reader, written.open);
  }
}

void ConnectionReactor::on_stream_event(StreamMap::iterator stream, std::uint32_t events) {
  EventStreamReader& reader = *stream->second;
  bool open = (events & (EPOLLERR | EPOLLHUP)) == 0;
  if (open && (events & (EPOLLIN | EPOLLRDHUP)) != 0) open = reader.discard_input();
  if (open && (events & EPOLLOUT) != 0) {
    open = reader.send_unsent();
    // Caught up: what arrived while it was not reading is its next write.
    if (open && !reader.has_unsent()) streams_to_write_ = true;
  }
  settle_stream(stream, open);
}

void ConnectionReactor::write_streams(Clock::time_point now) {
  // Cleared before the source is read: news from now on wakes the reactor again.
  events_pending_.store(false);
  streams_to_write_ = false;
  streams_written_ = now;
  for (auto stream = streams_.begin(); stream != streams_.end();) {
    const auto written = stream->second->write_events(
        *settings_.event_source, now, event_stream::reader_allowance(streams_.size()));
    stream_dropped_total_.fetch_add(written.dropped, std::memory_order_relaxed);
    streams_to_write_ = streams_to_write_ || written.more;
    stream = settle_stream(stream, written.open);
  }
}

void ConnectionReactor::keep_streams_alive(Clock::time_point now) {
  for (auto stream = streams_.begin(); stream != streams_.end();) {
    stream = settle_stream(stream, stream->second->keep_alive(now, settings_.event_keep_alive));
  }
}

ConnectionReactor::StreamMap::iterator ConnectionReactor::settle_stream(StreamMap::iterator stream,
                                                                        bool open) {
  EventStreamReader& reader = *stream->second;
  const bool wants_output = reader.has_unsent();
  if (open && wants_output != reader.watching_output) {
    epoll_event event{};
    event.events = EPOLLIN | EPOLLRDHUP | (wants_output ? EPOLLOUT : 0u);
    event.data.fd = stream->first;
    open = ::epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, stream->first, &event) == 0;
    reader.watching_output = wants_output;
  }
  if (open) return std::next(stream);
  streams_open_.fetch_sub(1, std::memory_order_relaxed);
  return streams_.erase(stream);  // the connection closes
}

}  // namespace prm_mock
