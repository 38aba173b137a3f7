#pragma once
// cpp-httplib's Server with our own connection handling. httplib keeps parsing requests, routing
// and writing responses; we own accepting, the threads, and how long a connection lives:
//  - idle keep-alive connections wait in one epoll thread (ConnectionReactor), not on a worker, so
//    256 connections on 64 workers do not starve (httplib's pool holds a thread per connection);
//  - a connection is handed to a worker only once a whole request head has arrived, so slow or
//    silent clients (slowloris) cost no worker; time limits end them;
//  - every head is checked strictly (RequestHeadCheck) before httplib parses it; a malformed one
//    is answered here (400, 414, 431 or 501, then closed), as soon as it is known to be malformed;
//  - connections beyond --max-connections get a 503 instead of an unbounded queue;
//  - a connection closes after a handler left body bytes unread, and carries out faults;
//  - a response a handler delays waits on a timer in the reactor, and a connection a handler holds
//    open (the timeout fault) waits there too: no worker waits for either;
//  - shut_down() closes idle and held connections at once; requests that arrived are still
//    answered, delayed responses at once;
//  - a request a handler turns into an event stream (ExchangeContext::event_stream) gets the
//    stream's own head instead of httplib's response, and its connection lives on in the reactor;
//  - a client speaking the other protocol than the port (a TLS handshake on the plain-HTTP port,
//    plain HTTP on the HTTPS port) is told so where it can be: the journal and the log, and a 400
//    in clear text for the plain-HTTP client;
//  - it keeps httplib's post-routing and Expect: 100-continue hooks, to put right what httplib
//    gets wrong in a response's head (response_head.hpp) and to close the connection after a final
//    answer to Expect: 100-continue, whose body was never read.
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "http/connection_reactor.hpp"
#include "http/event_source.hpp"
#include "http/event_stream_limits.hpp"
#include "http/exchange_context.hpp"
#include "http/worker_pool.hpp"

namespace prm_mock {

class TlsContext;

struct ConnectionSettings {
  int threads = 2;
  int max_connections = 1024;
  std::chrono::milliseconds idle_timeout{60000};
  std::chrono::milliseconds request_timeout{30000};
  std::chrono::milliseconds io_timeout{10000};
  std::string tls_cert;  // both set: HTTPS
  std::string tls_key;
  // Told of each request whose head was refused here, before httplib saw it, with the response
  // about to be sent: the server journals and logs it like any other (this layer knows nothing of
  // the journal). Not told of bytes that never began a request line.
  std::function<void(const httplib::Request&, const httplib::Response&, ExchangeContext&)>
      on_refused_request;
  // Told of each client that spoke the other protocol than the port, with what is known of its
  // request (nothing for a TLS handshake: method and path are empty), the response (status 0: none
  // was sent, a TLS client cannot read one) and the exchange, whose error_code
  // ("TLS_ON_PLAIN_PORT", "PLAIN_HTTP_ON_TLS_PORT") and first_problem say what happened.
  std::function<void(const httplib::Request&, const httplib::Response&, ExchangeContext&)>
      on_wrong_protocol;
  // What event streams send (it outlives the server); none: a request marked as a stream is
  // answered with the head only.
  const EventSource* event_source = nullptr;
  // A stream without events for this long gets a comment line.
  std::chrono::milliseconds event_keep_alive = event_stream::kKeepAliveInterval;
};

class ConnectionServer : public httplib::Server {
 public:
  ConnectionServer();
  ~ConnectionServer() override;

  // Before serving. Throws std::runtime_error when the TLS certificate or key cannot be used.
  void configure_connections(const ConnectionSettings& settings);
  bool serves_tls() const { return tls_ != nullptr; }

  // httplib's setters of the same names, hidden: the connection layer keeps these hooks and calls
  // `handler` from its own. After the post-routing handler it settles the response's head
  // (response_head.hpp); when the Expect: 100-continue handler answers finally (any status but
  // 100), the connection closes after that answer, since the body it announced was never read.
  ConnectionServer& set_post_routing_handler(Handler handler);
  ConnectionServer& set_expect_100_continue_handler(Expect100ContinueHandler handler);

  // For httplib's handlers, once their response is complete and before they return it to httplib:
  // keeps the body as it is or has it compressed for clients that accept it, with Vary
  // (response_encoding.hpp). Only during the call that exchange_in_progress() is valid for.
  static void settle_encoding_of(httplib::Response& response);

  // Serves on the bound socket until shut_down(), then returns once in-flight requests are
  // answered. Replaces httplib's listen_after_bind(), which would run httplib's own loop.
  bool serve_connections();
  bool listen_after_bind() = delete;

  // Stops accepting and closes idle connections; requests in flight finish. Safe from any
  // thread, more than once, before or during serve_connections().
  void shut_down() { reactor_.shut_down(); }
  bool shutting_down() const { return reactor_.shutting_down(); }

  // The record of the exchange httplib is handling on this thread. Only for httplib's callbacks
  // (handlers, pre- and post-routing, error, exception, logger), whose signature has no room for
  // it: the connection loop binds its connection's record to the thread for the one call to
  // httplib that parses, routes and answers a request, and nothing else reads the binding.
  // Throws std::logic_error outside such a call.
  static ExchangeContext& exchange_in_progress();

  // The bound listening socket (-1 before bind or once serving ended).
  int listening_socket() const { return svr_sock_; }
  int open_connections() const { return reactor_.open_connections(); }
  std::uint64_t connections_refused() const { return reactor_.connections_refused(); }
  std::uint64_t request_heads_timed_out() const { return reactor_.request_heads_timed_out(); }
  std::size_t exchanges_waiting() const { return reactor_.exchanges_waiting(); }
  int event_streams_open() const { return reactor_.event_streams_open(); }
  std::uint64_t event_stream_dropped() const { return reactor_.event_stream_dropped(); }
  // Any thread: the event source has news for the streams (cheap; see ConnectionReactor).
  void events_arrived() { reactor_.events_arrived(); }
  std::uint64_t tls_on_plain_port() const {
    return tls_on_plain_port_.load(std::memory_order_relaxed);
  }
  std::uint64_t plain_http_on_tls_port() const {
    return plain_http_on_tls_port_.load(std::memory_order_relaxed);
  }

 private:
  enum class NextRequest { Ready, NotYet, ClientLeft };
  enum class HeadArrival { Ready, ClientLeft, TimedOut };

  void serve_connection(ConnectionPtr connection);
  // After httplib answered: the response goes now, later (a delay) or never (held open).
  // False when the connection left this worker (handed to the reactor, or closed).
  bool complete_exchange(ConnectionPtr& connection);
  // The exchange became an event stream: its head replaces httplib's response, and the
  // connection goes to the reactor (or closes after the head, for HEAD). Always false.
  bool start_event_stream(ConnectionPtr& connection);
  // Sends the response; false when the connection then ends (it is closed, or lingers).
  bool send_response(ConnectionPtr& connection);
  // A dribbled response (ExchangeContext::dribble): sends the pieces that are due, then waits in
  // the reactor for the next one; false when the connection left this worker.
  bool send_due_pieces(ConnectionPtr& connection);
  // The response has left (or failed to): the connection goes on or ends, as send_response says.
  bool after_response_sent(ConnectionPtr& connection, bool sent);
  NextRequest wait_briefly_for_request(Connection& connection);
  HeadArrival receive_request_head(Connection& connection);
  void refuse_request_head(ConnectionPtr connection);
  void close_tls_on_plain_port(ConnectionPtr connection);
  void refuse_plain_http_on_tls_port(ConnectionPtr connection);
  void answer_head_timeout(ConnectionPtr connection);
  bool start_tls(Connection& connection);
  // Ends the connection after its last response (or fault).
  void finish(ConnectionPtr connection);
  // How long a closing connection's late request bytes are discarded before it closes.
  static constexpr std::chrono::seconds kLingerTime{2};
  // A hold's cap: a client without a timeout of its own cannot keep a connection for ever.
  static constexpr std::chrono::minutes kHoldOpenCap{2};

  ConnectionSettings settings_;
  std::string keep_alive_value_;  // the Keep-Alive header, from settings_.idle_timeout
  Handler post_routing_;          // the server's, run before the head is settled
  std::atomic<std::uint64_t> tls_on_plain_port_{0};
  std::atomic<std::uint64_t> plain_http_on_tls_port_{0};
  std::unique_ptr<TlsContext> tls_;
  WorkerPool* pool_ = nullptr;  // set while serve_connections() runs
  ConnectionReactor reactor_;
};

}  // namespace prm_mock
