#pragma once
// The one thread that waits on sockets: it accepts new connections, holds idle keep-alive ones
// (reading ahead until a whole request head has arrived, or enough of one to know it is invalid,
// so a slow or silent client costs no worker), hands ready ones to the WorkerPool, enforces the
// idle and request-head time limits, and refuses connections beyond the cap with a 503.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <unordered_map>

#include "connection.hpp"

namespace prm_mock {

struct ReactorSettings {
  int max_connections = 1024;
  std::chrono::milliseconds idle_timeout{60000};
  std::chrono::milliseconds request_timeout{30000};
  std::chrono::milliseconds io_timeout{10000};
  bool tls = false;
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
  // Any thread, any time, more than once; also before run().
  void shut_down();
  bool shutting_down() const { return shutting_down_.load(std::memory_order_acquire); }
  // Readable once shutting down: handlers that wait (fixture delays) watch it to stop early.
  int shutdown_event_fd() const { return shutdown_event_fd_; }
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

  // False when out of file descriptors (accepting pauses briefly).
  bool accept_all(int listening_fd);
  void refuse(int socket_fd);
  void on_parked_event(int socket_fd);
  void on_refused_event(int socket_fd);
  void enforce_time_limits();
  ConnectionPtr take_locked(ParkedMap::iterator parked);
  void close_all_for_shutdown();

  ReactorSettings settings_;
  Dispatch dispatch_;
  int epoll_fd_ = -1;
  int shutdown_event_fd_ = -1;
  std::atomic<bool> shutting_down_{false};
  std::atomic<int> open_connections_{0};
  std::atomic<std::uint64_t> refused_total_{0};
  std::atomic<std::uint64_t> timed_out_total_{0};
  Connection::Clock::time_point accept_paused_until_{};
  std::mutex parked_mutex_;
  ParkedMap parked_;
  // Refused sockets (reactor thread only), drained until the client closes or a second passes, so
  // that our 503 is not destroyed by the RST that closing with unread bytes would send.
  std::unordered_map<int, Connection::Clock::time_point> refused_;
};

}  // namespace prm_mock
