#pragma once
// The one thread that waits on sockets and clocks: it accepts new connections, holds idle
// keep-alive ones (reading ahead until a whole request head has arrived, or enough of one to know
// it is invalid, so a slow or silent client costs no worker), hands ready ones to the WorkerPool,
// enforces the idle and request-head time limits, and refuses connections beyond the cap with a
// 503. It also keeps the exchanges that wait on purpose: a response a fixture delays waits here on
// a timer and goes back to a worker to be sent when due; a connection a fixture holds open (the
// timeout fault) waits here until the client closes it or the hold's cap passes. Either costs a
// socket and a timer, never a thread. And it writes event streams (Server-Sent Events): a stream
// lives here for as long as its client stays, written without blocking when its source has news
// (coalesced: at most one write per stream every event_stream::kWriteInterval).
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "http/connection.hpp"
#include "http/event_source.hpp"
#include "http/event_stream_limits.hpp"
#include "http/event_stream_reader.hpp"

namespace prm_mock {

struct ReactorSettings {
  int max_connections = 1024;
  std::chrono::milliseconds idle_timeout{60000};
  std::chrono::milliseconds request_timeout{30000};
  std::chrono::milliseconds io_timeout{10000};
  bool tls = false;
  const EventSource* event_source = nullptr;  // what event streams send; none: no streams
  std::chrono::milliseconds event_keep_alive = event_stream::kKeepAliveInterval;
};

class ConnectionReactor {
 public:
  using Dispatch = std::function<void(ConnectionPtr)>;

  // `dispatch` hands a connection with a request ready to a worker.
  explicit ConnectionReactor(Dispatch dispatch);
  ~ConnectionReactor();
  ConnectionReactor(const ConnectionReactor&) = delete;
  ConnectionReactor& operator=(const ConnectionReactor&) = delete;

  // Accepts on `listening_fd` until shut_down(); then closes it and every connection that has no
  // whole request waiting, dispatches those that have, and returns.
  void run(int listening_fd, ReactorSettings settings);
  // From a worker: the connection waits here for its next request (closed if shutting down).
  void park(ConnectionPtr connection);
  // From a worker: the response in the connection's stream (or the next piece of a dribbled
  // body) is sent at `due`, when the reactor hands the connection back to a worker. False (the
  // connection left with the caller) when shutting down: then it is sent at once.
  bool send_later(ConnectionPtr& connection, Connection::Clock::time_point due);
  // From a worker: the connection stays open, unanswered, until the client closes it or `until`
  // passes; then it closes. Shutting down closes it at once.
  void hold_open(ConnectionPtr connection, Connection::Clock::time_point until);
  // From a worker, after the last response and a FIN: what the client still sends is discarded
  // until it closes or `until` passes, then the connection closes (a lingering close). False
  // (the connection left with the caller) when shutting down.
  bool linger(ConnectionPtr& connection, Connection::Clock::time_point until);
  // From a worker: the connection becomes an event stream, sending `first_bytes` (its head and
  // preamble), then the source's events after `from`, until the client closes it or the server
  // shuts down. Pipelined requests behind it are discarded. False (the connection left with the
  // caller) when shutting down.
  bool stream_events(ConnectionPtr& connection, EventCursor from, std::string first_bytes);
  // Any thread: the event source has news. Cheap when called often: the first call after a write
  // wakes the reactor, the others find the wake-up already pending (one atomic read).
  void events_arrived();
  int event_streams_open() const { return streams_open_.load(std::memory_order_relaxed); }
  // Events streams skipped because their readers fell behind.
  std::uint64_t event_stream_dropped() const {
    return stream_dropped_total_.load(std::memory_order_relaxed);
  }
  // Exchanges waiting here on purpose (delayed responses, dribbled bodies between pieces and held
  // connections), for the metrics.
  // Lingering closes are not counted: their exchange is over.
  std::size_t exchanges_waiting() const { return waiting_count_.load(std::memory_order_relaxed); }
  // Any thread, any time, more than once; also before run().
  void shut_down();
  bool shutting_down() const { return shutting_down_.load(std::memory_order_acquire); }
  int open_connections() const { return open_connections_.load(std::memory_order_relaxed); }
  std::uint64_t connections_refused() const {
    return refused_total_.load(std::memory_order_relaxed);
  }
  std::uint64_t request_heads_timed_out() const {
    return timed_out_total_.load(std::memory_order_relaxed);
  }
  // A worker timed out a head itself (TLS heads are read on workers).
  void count_head_timed_out() { timed_out_total_.fetch_add(1, std::memory_order_relaxed); }

 private:
  using ParkedMap = std::unordered_map<int, ConnectionPtr>;
  // What a connection waits here for, with a timer.
  enum class WaitKind {
    DueResponse,  // a delayed response: back to a worker when due
    HeldOpen,     // the timeout fault: closed when the client leaves or the cap passes
    Lingering,    // closing: input discarded until the client leaves or the time passes
  };
  struct Waiting {
    ConnectionPtr connection;
    Connection::Clock::time_point due;
    WaitKind kind;
  };
  using WaitingMap = std::unordered_map<int, Waiting>;

  // False when out of file descriptors (accepting pauses briefly).
  bool accept_all(int listening_fd);
  void refuse(int socket_fd);
  void on_parked_event(int socket_fd);
  void on_refused_event(int socket_fd);
  void on_draining_event(WaitingMap::iterator waiting);
  bool wait_locked(ConnectionPtr& connection, Connection::Clock::time_point due, WaitKind kind);
  void end_wait_locked(WaitingMap::iterator waiting);
  void fire_due_timers();
  int milliseconds_to_next_wake(Connection::Clock::time_point next_limit_check);
  void enforce_time_limits();
  ConnectionPtr take_locked(ParkedMap::iterator parked);
  void close_all_for_shutdown();
  // Event streams (reactor thread).
  using StreamMap = std::unordered_map<int, std::unique_ptr<EventStreamReader>>;
  void adopt_arriving_streams();
  void on_stream_event(StreamMap::iterator stream, std::uint32_t events);
  void write_streams(Connection::Clock::time_point now);
  void keep_streams_alive(Connection::Clock::time_point now);
  // After a write: watches the socket for room while bytes wait; closes the stream when `open`
  // is false. Returns the next stream.
  StreamMap::iterator settle_stream(StreamMap::iterator stream, bool open);

  ReactorSettings settings_;
  Dispatch dispatch_;
  int epoll_fd_ = -1;
  int shutdown_event_fd_ = -1;
  int wake_fd_ = -1;    // a worker set a timer: the reactor recomputes how long it may sleep
  int events_fd_ = -1;  // the event source has news for the streams
  std::atomic<bool> shutting_down_{false};
  std::atomic<int> open_connections_{0};
  std::atomic<std::uint64_t> refused_total_{0};
  std::atomic<std::uint64_t> timed_out_total_{0};
  Connection::Clock::time_point accept_paused_until_{};
  // Guards parked_, waiting_ and timers_: workers add to them, the reactor takes from them.
  std::mutex parked_mutex_;
  ParkedMap parked_;
  WaitingMap waiting_;
  std::set<std::pair<Connection::Clock::time_point, int>> timers_;  // (due, socket) of waiting_
  std::atomic<std::size_t> waiting_count_{0};
  // Refused sockets (reactor thread only), drained until the client closes or a second passes, so
  // that our 503 is not destroyed by the RST that closing with unread bytes would send.
  std::unordered_map<int, Connection::Clock::time_point> refused_;
  // Connections handed over as event streams, not yet taken by the reactor (under parked_mutex_).
  struct ArrivingStream {
    ConnectionPtr connection;
    EventCursor from;
    std::string first_bytes;
  };
  std::vector<ArrivingStream> arriving_streams_;
  StreamMap streams_;  // reactor thread only
  std::atomic<int> streams_open_{0};
  std::atomic<std::uint64_t> stream_dropped_total_{0};
  // Set by events_arrived() with the wake-up, cleared by the next write of the streams: until
  // then further news costs no system call.
  std::atomic<bool> events_pending_{false};
  bool streams_to_write_ = false;  // reactor thread: a write of the streams is due
  Connection::Clock::time_point streams_written_{};
};

}  // namespace prm_mock
