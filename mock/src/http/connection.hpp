#pragma once
// One accepted client connection as it moves between the idle-connection thread and the workers.
// Exactly one of them owns it at a time (through unique_ptr), so its state needs no lock.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>

#include "http/exchange_context.hpp"
#include "http/socket_stream.hpp"

namespace prm_mock {

struct Connection {
  using Clock = std::chrono::steady_clock;

  Connection(int socket_fd, std::chrono::milliseconds io_timeout, std::atomic<int>& open_count)
      : socket_fd(socket_fd),
        stream(socket_fd, std::make_unique<PlainTransport>(socket_fd, io_timeout), io_timeout,
               exchange),
        idle_since(Clock::now()),
        open_count_(open_count) {
    open_count_.fetch_add(1, std::memory_order_relaxed);
  }
  ~Connection() {
    ::close(socket_fd);
    open_count_.fetch_sub(1, std::memory_order_relaxed);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // The first byte of the request being received: its time limit counts from here.
  void note_request_bytes() {
    if (!request_started) request_started = Clock::now();
  }
  // More of the request arrived while the reactor holds the connection.
  void note_bytes_received() {
    last_received = Clock::now();
    note_request_bytes();
  }
  // When the worker's reads of this request must end.
  Clock::time_point read_deadline(std::chrono::milliseconds request_timeout) const {
    return body_stalled ? Clock::now() : *request_started + request_timeout;
  }
  void note_request_done() {
    request_started.reset();
    idle_since = Clock::now();
  }

  const int socket_fd;
  ExchangeContext exchange;  // the request being served (declared before the stream that uses it)
  SocketStream stream;
  // The response to `exchange` is complete in the stream, held back until it is due (a delay, or
  // the next piece of a dribbled body).
  bool response_held_back = false;
  // A body being dribbled (ExchangeContext::dribble): the head left with the first of `pieces`
  // at `started`, piece i (from 0) leaves at started + over * i / (pieces - 1), and what has not
  // left waits in the stream.
  struct DribbleProgress {
    std::size_t head_bytes = 0;
    std::size_t body_bytes = 0;
    int pieces = 2;
    int pieces_sent = 0;
    Clock::time_point started;
    std::chrono::milliseconds over{1};

    Clock::time_point due(int piece) const { return started + over * piece / (pieces - 1); }
    // Bytes of piece `piece` (the head with the first): the body cut at body * i / pieces.
    std::size_t bytes(int piece) const {
      const auto end = [this](int i) {
        return body_bytes * static_cast<std::size_t>(i) / static_cast<std::size_t>(pieces);
      };
      return end(piece + 1) - end(piece) + (piece == 0 ? head_bytes : 0);
    }
  };
  std::optional<DribbleProgress> dribbling;
  bool tls_pending = false;   // HTTPS: the handshake still has to run (on a worker)
  bool in_epoll_set = false;  // registered with the reactor's epoll (armed or not)
  Clock::time_point idle_since;
  std::optional<Clock::time_point> request_started;
  Clock::time_point last_received{};
  // The body being read ahead stopped arriving (--io-timeout) or is late (--request-timeout): the
  // worker's first read that waits gives up at once, so the request is answered 408 and journaled.
  bool body_stalled = false;

 private:
  std::atomic<int>& open_count_;
};

using ConnectionPtr = std::unique_ptr<Connection>;

}  // namespace prm_mock
