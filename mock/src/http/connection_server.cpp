#include "http/connection_server.hpp"

#include <sys/resource.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <stdexcept>

#include "diagnostics/error_response.hpp"
#include "http/canned_response.hpp"
#include "http/event_stream_head.hpp"
#include "http/exchange_context.hpp"
#include "http/header_lines.hpp"
#include "http/http_date.hpp"
#include "http/refused_request.hpp"
#include "http/response_encoding.hpp"
#include "http/response_head.hpp"
#include "http/tls_transport.hpp"
#include "text/uuid.hpp"

namespace prm_mock {
namespace {

using Clock = Connection::Clock;

// After a response, a worker keeps the connection this long for the client's next request before
// handing it to the reactor: a busy keep-alive client is then served without a thread hand-off.
// Not at all when other connections wait for a worker, so nobody waits on an idle client.
constexpr auto kNextRequestGrace = std::chrono::milliseconds(2);
// Requests served on one connection in a row (pipelined or fast) while others wait for a worker.
constexpr int kRequestsPerTurn = 16;

// Reads and drops what arrives until the client closes or `deadline` passes.
void discard_input_until(int socket_fd, Clock::time_point deadline) {
  char discard[16 * 1024];
  while (Clock::now() < deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (!wait_readable(socket_fd, left)) break;
    const ssize_t received = ::recv(socket_fd, discard, sizeof discard, 0);
    if (received <= 0 && !(received < 0 && errno == EINTR)) break;
  }
}

// The whole of a response this layer wrote itself, through the transport (so over TLS too).
void write_whole_response(SocketStream& stream, const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t written = stream.write(bytes.data() + sent, bytes.size() - sent);
    if (written <= 0) return;
    sent += static_cast<std::size_t>(written);
  }
}

// For a head whose header values httplib would alter (percent-decoded, or dropped when empty):
// what puts them back as sent, once httplib has parsed the head and before anything reads them.
// Empty (nothing to do, nothing allocated) for the usual head.
std::function<void(httplib::Request&)> header_values_as_sent(SocketStream& stream) {
  const RequestHeadCheck& head = stream.request_head();
  if (!head.has_values_httplib_alters()) return nullptr;
  // Valid while httplib parses the head: it reads the head from the buffer, which is refilled
  // only once all of it has been read, and calls this before it reads any body byte.
  const std::string_view lines = stream.scanned_head().substr(
      head.header_lines_start(), head.scanned() - 2 - head.header_lines_start());
  return [lines](httplib::Request& request) { restore_header_values_as_sent(lines, request); };
}

// The exchange whose request httplib is handling on this thread (see exchange_in_progress), and
// that request as httplib holds it, once parsed: its handlers get it read-only, but its writer
// decides a body's encoding from it (see settle_encoding_of).
thread_local ExchangeContext* exchange_bound_to_thread = nullptr;
thread_local httplib::Request* request_bound_to_thread = nullptr;

class ExchangeBinding {
 public:
  explicit ExchangeBinding(ExchangeContext& exchange) { exchange_bound_to_thread = &exchange; }
  ~ExchangeBinding() {
    exchange_bound_to_thread = nullptr;
    request_bound_to_thread = nullptr;
  }
  ExchangeBinding(const ExchangeBinding&) = delete;
  ExchangeBinding& operator=(const ExchangeBinding&) = delete;
};

constexpr const char* kPlainHttpOnTlsPort =
    "plain HTTP on an HTTPS port: use https:// (prm-mock was started with --tls-cert/--tls-key)";

// On the HTTPS port, before the handshake: whether the client's first byte is an upper-case
// letter, the start of an HTTP method. A TLS session starts with a record type (0x14-0x18), an
// SSL 2 hello with a byte of 0x80 or more: never a letter.
bool starts_with_http_method(int socket_fd) {
  unsigned char first = 0;
  const ssize_t peeked = ::recv(socket_fd, &first, 1, MSG_PEEK | MSG_DONTWAIT);
  return peeked == 1 && first >= 'A' && first <= 'Z';
}

// Each connection is a descriptor; a default soft limit of 1024 would cap us below
// --max-connections. Raising the soft limit to the hard one is what servers commonly do.
void raise_open_file_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
  }
}

// What the journal is told a canned error response holds: the status, body and headers of the
// bytes canned_error_response writes (all but Date, which is dated as it is written).
httplib::Response canned_error_as_journaled(int status, const ExchangeContext& exchange) {
  httplib::Response response;
  set_error_response(response, {status, exchange.error_code, exchange.first_problem, {}, -1},
                     exchange.request_id);
  response.set_header("X-Request-Id", exchange.request_id);
  response.set_header("Connection", "close");
  return response;
}

}  // namespace

ExchangeContext& ConnectionServer::exchange_in_progress() {
  if (exchange_bound_to_thread == nullptr) {
    throw std::logic_error("exchange_in_progress() called outside a request's handling");
  }
  return *exchange_bound_to_thread;
}

void ConnectionServer::settle_encoding_of(httplib::Response& response) {
  // Unbound only when httplib answers before handing the request over (a Range it cannot parse).
  if (request_bound_to_thread != nullptr) {
    settle_content_encoding(*request_bound_to_thread, response);
  }
}

ConnectionServer::ConnectionServer()
    : reactor_([this](ConnectionPtr connection) { pool_->enqueue(std::move(connection)); }) {
  httplib::Server::set_post_routing_handler(
      [this](const httplib::Request& request, httplib::Response& response) {
        if (post_routing_) post_routing_(request, response);
        ExchangeContext& exchange = exchange_in_progress();
        settle_response_head(request, response, exchange, keep_alive_value_);
        // The stream's head carries the headers the handlers set (X-Request-Id, CORS).
        if (exchange.event_stream && response.status == 200) {
          exchange.event_stream->head = event_stream_head(response);
        }
      });
}

ConnectionServer& ConnectionServer::set_post_routing_handler(Handler handler) {
  post_routing_ = std::move(handler);
  return *this;
}

ConnectionServer& ConnectionServer::set_expect_100_continue_handler(
    Expect100ContinueHandler handler) {
  httplib::Server::set_expect_100_continue_handler(
      [handler = std::move(handler)](const httplib::Request& request, httplib::Response& response) {
        const int status = handler(request, response);
        // The answer goes out before the body, which the client may send anyway: nothing after
        // it on the connection can be framed (RFC 9110 §10.1.1 lets a server close instead).
        if (status != 100) exchange_in_progress().close_after_response = true;
        return status;
      });
  return *this;
}

ConnectionServer::~ConnectionServer() {
  const socket_t listening = svr_sock_.exchange(INVALID_SOCKET);
  if (listening != INVALID_SOCKET) ::close(listening);
}

void ConnectionServer::configure_connections(const ConnectionSettings& settings) {
  settings_ = settings;
  keep_alive_value_ = keep_alive_header_value(settings.idle_timeout);
  tls_ = settings.tls_cert.empty()
             ? nullptr
             : std::make_unique<TlsContext>(settings.tls_cert, settings.tls_key);
}

bool ConnectionServer::serve_connections() {
  const socket_t listening = svr_sock_.exchange(INVALID_SOCKET);
  if (listening == INVALID_SOCKET) return false;
  raise_open_file_limit();
  WorkerPool pool(settings_.threads,
                  [this](ConnectionPtr connection) { serve_connection(std::move(connection)); });
  pool_ = &pool;
  reactor_.run(listening, {settings_.max_connections, settings_.idle_timeout,
                           settings_.request_timeout, settings_.io_timeout, tls_ != nullptr,
                           settings_.event_source, settings_.event_keep_alive});
  // The reactor has stopped accepting and handed over every request that had arrived.
  pool.finish_and_join();
  pool_ = nullptr;
  return true;
}

bool ConnectionServer::start_tls(Connection& connection) {
  auto transport = tls_->accept(connection.socket_fd, settings_.io_timeout);
  if (!transport) return false;
  connection.stream.replace_transport(std::move(transport));
  connection.tls_pending = false;
  return true;
}

ConnectionServer::NextRequest ConnectionServer::wait_briefly_for_request(Connection& connection) {
  SocketStream& stream = connection.stream;
  const bool others_waiting = pool_->has_waiting();
  const auto grace_end =
      Clock::now() + (others_waiting ? Clock::duration::zero() : kNextRequestGrace);
  if (!stream.transport().can_read_ahead()) {
    // TLS: whatever arrives is handed to the session, which reads whole records itself.
    if (stream.has_buffered_bytes()) return NextRequest::Ready;
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(grace_end - Clock::now());
    return wait_readable(connection.socket_fd, left) ? NextRequest::Ready : NextRequest::NotYet;
  }
  // The request can be served now: it is whole; or its head is, and its body is not to be waited
  // for in the reactor: the reactor gave up on it (it is answered 408), or the server is shutting
  // down (a parked connection would close, so this worker reads the rest within the time limits).
  const auto servable = [&] {
    return stream.request_ready() ||
           (stream.request_head_ready() && (connection.body_stalled || shutting_down()));
  };
  for (;;) {
    if (servable()) return NextRequest::Ready;
    // Others are waiting for a worker: no grace, and no recv() that so soon after a response
    // would almost always find nothing. Parked, the connection is back once its request is in.
    if (others_waiting) return NextRequest::NotYet;
    const auto outcome = stream.read_ahead();
    if (outcome == SocketStream::ReadAhead::Received) {
      connection.note_bytes_received();
      continue;
    }
    if (outcome == SocketStream::ReadAhead::Closed) {
      // A whole head that came with the close is still a request; half of one is not.
      return stream.request_head_ready() ? NextRequest::Ready : NextRequest::ClientLeft;
    }
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(grace_end - Clock::now());
    if (left.count() <= 0 || !wait_readable(connection.socket_fd, left)) {
      return servable() ? NextRequest::Ready : NextRequest::NotYet;
    }
  }
}

void ConnectionServer::serve_connection(ConnectionPtr connection) {
  Connection& current = *connection;
  if (current.tls_pending) {
    if (starts_with_http_method(current.socket_fd)) {
      return refuse_plain_http_on_tls_port(std::move(connection));
    }
    if (!start_tls(current)) return;
  }
  if (current.response_held_back) {
    // A delayed response, or the next piece of a dribbled one, now due.
    current.response_held_back = false;
    if (!(current.dribbling ? send_due_pieces(connection) : send_response(connection))) return;
  }
  int served_this_turn = 0;
  for (;;) {
    const NextRequest next = wait_briefly_for_request(current);
    if (next == NextRequest::ClientLeft) return;
    if (next == NextRequest::NotYet) {
      if (current.stream.has_buffered_bytes()) current.note_request_bytes();
      reactor_.park(std::move(connection));
      return;
    }
    if (served_this_turn >= kRequestsPerTurn && pool_->has_waiting()) {
      // Fair share: this connection has its next request ready but others are waiting.
      pool_->enqueue(std::move(connection));
      return;
    }
    ExchangeContext& exchange = current.exchange;
    exchange.reset_for_next_request();
    current.note_request_bytes();
    current.stream.set_read_deadline(current.read_deadline(settings_.request_timeout));
    current.body_stalled = false;
    const HeadArrival arrival = receive_request_head(current);
    if (arrival == HeadArrival::ClientLeft) return;
    if (arrival == HeadArrival::TimedOut) return answer_head_timeout(std::move(connection));
    if (current.stream.request_head().verdict() == RequestHeadCheck::Verdict::Invalid) {
      return refuse_request_head(std::move(connection));
    }
    const auto restore_values = header_values_as_sent(current.stream);
    current.stream.skip_empty_lines_before_head();
    // During shutdown a request that already arrived is still served, but its response says
    // "Connection: close" and ends the connection. Deciding this before the request (not after)
    // matters: a client that got a keep-alive response may already have sent its next request.
    const bool last_request = shutting_down();
    bool client_closes = false;
    bool processed = false;
    {
      const ExchangeBinding binding(exchange);
      processed = process_request(current.stream, last_request, client_closes,
                                  [&restore_values](httplib::Request& request) {
                                    if (restore_values) restore_values(request);
                                    request_bound_to_thread = &request;
                                  });
    }
    current.stream.start_next_head();
    ++served_this_turn;
    // A fault makes httplib's writes fail on purpose; otherwise a failed exchange ends it all.
    if ((!processed && exchange.fault == ConnectionFault::None) || client_closes || last_request) {
      exchange.close_after_response = true;
    }
    if (!complete_exchange(connection)) return;
  }
}

bool ConnectionServer::complete_exchange(ConnectionPtr& connection) {
  Connection& current = *connection;
  const ExchangeContext& exchange = current.exchange;
  if (exchange.event_stream && !exchange.event_stream->head.empty()) {
    return start_event_stream(connection);
  }
  if (exchange.fault == ConnectionFault::HoldOpen) {
    reactor_.hold_open(std::move(connection), Clock::now() + kHoldOpenCap);
    return false;
  }
  if (exchange.response_deferred()) {
    current.response_held_back = true;
    if (reactor_.send_later(connection, *exchange.respond_at)) return false;
    current.response_held_back = false;  // shutting down: it goes now
  }
  return send_response(connection);
}

bool ConnectionServer::start_event_stream(ConnectionPtr& connection) {
  Connection& current = *connection;
  ExchangeContext::EventStream stream = std::move(*current.exchange.event_stream);
  current.exchange.event_stream.reset();
  current.exchange.close_after_response = true;
  // httplib framed its rendering by a length; the stream runs until the connection closes.
  current.stream.discard_unsent();
  current.note_request_done();
  // The reactor writes streams straight to the socket: plain TCP only (the admin API refuses a
  // stream over TLS before it gets here).
  const bool streamable = settings_.event_source != nullptr && !stream.head_only &&
                          current.stream.transport().can_read_ahead();
  // Whatever the client pipelined behind the request is never answered: the reactor discards it.
  if (streamable &&
      reactor_.stream_events(connection, stream.from, stream.head + event_stream_preamble())) {
    return false;
  }
  // HEAD, or shutting down: the head alone, then the close (an EventSource retries later).
  write_whole_response(current.stream, stream.head);
  finish(std::move(connection));
  return false;
}

bool ConnectionServer::send_response(ConnectionPtr& connection) {
  // Dated now rather than when decided (response_head.hpp).
  if (connection->exchange.respond_at) connection->stream.date_if_undated(http_date_now());
  if (const auto& dribble = connection->exchange.dribble) {
    SocketStream& stream = connection->stream;
    const std::size_t head = stream.unsent_head_bytes();
    // Without a body of two bytes or more (a HEAD request, a 204) there is nothing to dribble.
    if (head != 0 && stream.unsent_bytes() >= head + 2) {
      Connection::DribbleProgress progress;
      progress.head_bytes = head;
      progress.body_bytes = stream.unsent_bytes() - head;
      progress.pieces = static_cast<int>(
          std::min<std::size_t>(static_cast<std::size_t>(dribble->chunks), progress.body_bytes));
      progress.started = Clock::now();
      progress.over = dribble->over;
      connection->dribbling = progress;
      return send_due_pieces(connection);
    }
  }
  return after_response_sent(connection, connection->stream.flush());
}

// A dribble reuses the delayed response's path: between pieces the connection waits in the
// reactor on a send_later timer, and the worker the reactor hands it to when due writes the next
// piece (serve_connection, response_held_back). The reactor itself never writes a piece: a piece
// may be large, and over TLS only a worker may drive the session. No worker waits between pieces;
// a piece a slow client does not take is bounded by the I/O timeout, as any response is.
bool ConnectionServer::send_due_pieces(ConnectionPtr& connection) {
  Connection& current = *connection;
  Connection::DribbleProgress& progress = *current.dribbling;
  while (progress.pieces_sent < progress.pieces) {
    const auto due = progress.due(progress.pieces_sent);
    if (due > Clock::now()) {
      current.response_held_back = true;
      // Handed over: another worker may already have it, so nothing here touches it again.
      if (reactor_.send_later(connection, due)) return false;
      // Shutting down: the rest goes at once, as a delayed response does.
      current.response_held_back = false;
      break;
    }
    if (!current.stream.send_front(progress.bytes(progress.pieces_sent))) {
      current.dribbling.reset();
      return after_response_sent(connection, false);
    }
    ++progress.pieces_sent;
  }
  current.dribbling.reset();
  return after_response_sent(connection, current.stream.flush());
}

bool ConnectionServer::after_response_sent(ConnectionPtr& connection, bool sent) {
  connection->note_request_done();
  const ExchangeContext& exchange = connection->exchange;
  if (sent && !exchange.close_after_response && exchange.fault == ConnectionFault::None) {
    return true;
  }
  finish(std::move(connection));
  return false;
}

ConnectionServer::HeadArrival ConnectionServer::receive_request_head(Connection& connection) {
  // Plain TCP heads were read ahead whole before the connection came here; TLS bytes can only be
  // read by the session, so a TLS head is read now, within the request's time limit.
  SocketStream& stream = connection.stream;
  while (!stream.request_head_ready()) {
    switch (stream.receive_head_bytes()) {
      case SocketStream::HeadRead::Received:
        break;
      case SocketStream::HeadRead::Closed:
        return HeadArrival::ClientLeft;  // half a head was never a request
      case SocketStream::HeadRead::TimedOut:
        return HeadArrival::TimedOut;
    }
  }
  return HeadArrival::Ready;
}

void ConnectionServer::refuse_request_head(ConnectionPtr connection) {
  SocketStream& stream = connection->stream;
  const RequestHeadCheck& head = stream.request_head();
  if (head.tls_handshake()) return close_tls_on_plain_port(std::move(connection));
  ExchangeContext& exchange = connection->exchange;
  exchange.request_id = new_uuid_v4();
  exchange.error_code = "BAD_REQUEST";
  exchange.first_problem = std::string(head.problem()) + " (byte " +
                           std::to_string(head.scanned()) + " of the request head)";
  // What follows a malformed head cannot be framed: the connection ends with this response.
  exchange.close_after_response = true;
  if (settings_.on_refused_request) {
    if (const auto request = readable_part_of_refused_head(stream.scanned_head(), head)) {
      const httplib::Response response = canned_error_as_journaled(head.status(), exchange);
      settings_.on_refused_request(*request, response, exchange);  // journaled before it is sent
    }
  }
  write_whole_response(
      stream,
      canned_error_response(head.status(), refused_head_reason(head.status()), exchange.error_code,
                            exchange.first_problem, exchange.request_id));
  finish(std::move(connection));
}

void ConnectionServer::close_tls_on_plain_port(ConnectionPtr connection) {
  tls_on_plain_port_.fetch_add(1, std::memory_order_relaxed);
  ExchangeContext& exchange = connection->exchange;
  exchange.request_id = new_uuid_v4();
  exchange.error_code = "TLS_ON_PLAIN_PORT";
  exchange.first_problem = connection->stream.request_head().problem();
  exchange.close_after_response = true;
  if (settings_.on_wrong_protocol) {
    // Method and path are inside the encrypted stream: nothing of the request can be read.
    httplib::Response unanswered;
    unanswered.status = 0;
    settings_.on_wrong_protocol(httplib::Request(), unanswered, exchange);
  }
  // No HTTP answer: the client expects a TLS ServerHello and would report any other bytes as a
  // protocol error of its own, which says less than the journal and the log do.
  finish(std::move(connection));
}

void ConnectionServer::refuse_plain_http_on_tls_port(ConnectionPtr connection) {
  plain_http_on_tls_port_.fetch_add(1, std::memory_order_relaxed);
  ExchangeContext& exchange = connection->exchange;
  exchange.reset_for_next_request();
  exchange.request_id = new_uuid_v4();
  exchange.error_code = "PLAIN_HTTP_ON_TLS_PORT";
  exchange.first_problem = kPlainHttpOnTlsPort;
  exchange.close_after_response = true;
  if (settings_.on_wrong_protocol) {
    // The request line, when it has arrived, names the request in the journal; the bytes stay
    // on the socket (a peek) for the lingering close to discard.
    char arrived[RequestHeadCheck::kMaxLineBytes];
    const ssize_t peeked =
        ::recv(connection->socket_fd, arrived, sizeof arrived, MSG_PEEK | MSG_DONTWAIT);
    const httplib::Response response = canned_error_as_journaled(400, exchange);
    settings_.on_wrong_protocol(
        request_line_only({arrived, peeked > 0 ? static_cast<std::size_t>(peeked) : 0}), response,
        exchange);
  }
  // In clear text, like nginx's answer to the same mistake: this client reads plain HTTP. The
  // stream's transport is still the plain one, as no handshake ran.
  write_whole_response(connection->stream,
                       canned_error_response(400, "Bad Request", exchange.error_code,
                                             exchange.first_problem, exchange.request_id));
  finish(std::move(connection));
}

void ConnectionServer::answer_head_timeout(ConnectionPtr connection) {
  reactor_.count_head_timed_out();
  connection->exchange.close_after_response = true;
  write_whole_response(
      connection->stream,
      canned_error_response(408, "Request Timeout", "REQUEST_TIMEOUT",
                            "the request head did not arrive within --request-timeout"));
  finish(std::move(connection));
}

void ConnectionServer::finish(ConnectionPtr connection) {
  const ExchangeContext& exchange = connection->exchange;
  if (exchange.fault == ConnectionFault::Reset) {
    // A zero linger makes close() send RST instead of FIN: the client sees "connection reset".
    linger abort_now{1, 0};
    ::setsockopt(connection->socket_fd, SOL_SOCKET, SO_LINGER, &abort_now, sizeof abort_now);
    return;
  }
  if (exchange.fault != ConnectionFault::None) return;  // closes silently
  // What this layer wrote itself (a refusal, a 408) is still collected in the stream.
  connection->stream.flush();
  connection->stream.transport().say_goodbye();
  if (!exchange.close_after_response) return;
  // The client may still be sending the body we refused (a 413, say). Closing a socket with
  // unread data makes the kernel send RST, which can destroy our response before the client
  // reads it; so send FIN now and let the reactor discard what still arrives until the client
  // closes or kLingerTime passes (a lingering close), without a worker waiting for it.
  ::shutdown(connection->socket_fd, SHUT_WR);
  const auto until = Clock::now() + kLingerTime;
  if (reactor_.linger(connection, until)) return;
  // Shutting down, the reactor has stopped: this worker drains, bounded by the same time.
  discard_input_until(connection->socket_fd, until);
}

}  // namespace prm_mock
