#include "prm_mock/server.hpp"

#include <sys/socket.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <thread>

#include "admin/admin_endpoints.hpp"
#include "admin/admin_origin_policy.hpp"
#include "admin/metrics.hpp"
#include "admin/request_event_source.hpp"
#include "contract/contract.hpp"
#include "http/connection_server.hpp"
#include "http/exchange_context.hpp"
#include "http/host_allow_list.hpp"
#include "http/listen_port.hpp"
#include "http/url_host.hpp"
#include "journal/journal.hpp"
#include "journal/request_log.hpp"
#include "prm_mock/version.hpp"
#include "publish/fixture_responder.hpp"
#include "publish/publish_endpoint.hpp"
#include "publish/request_body.hpp"
#include "record/upstream_recorder.hpp"
#include "server/fallback_answers.hpp"
#include "server/journaled_exchange.hpp"
#include "stubs/fixture_loader.hpp"
#include "stubs/fixture_watcher.hpp"
#include "stubs/scope.hpp"
#include "stubs/scope_store.hpp"
#include "text/uuid.hpp"

namespace prm_mock {
namespace {

PublishRoute publish_route_of(const Config& config, const Contract& contract) {
  PublishRoute route;
  route.method = contract.operation_method();
  route.base_path = config.base_path.empty() ? contract.server_base_path() : config.base_path;
  while (!route.base_path.empty() && route.base_path.back() == '/') route.base_path.pop_back();
  route.operation_path = contract.operation_path();
  route.path = route.base_path + route.operation_path;
  return route;
}

// --state-scope. The CLI refuses a bad value first; a program embedding the server gets the
// same reason.
ScopeRule state_scope_of(const Config& config) {
  std::string problem;
  const auto rule = parse_scope_rule(config.state_scope, problem);
  if (!rule) throw std::invalid_argument("state scope '" + config.state_scope + "': " + problem);
  return *rule;
}

std::vector<std::filesystem::path> as_paths(const std::vector<std::string>& directories) {
  return {directories.begin(), directories.end()};
}

// The embedded defaults plus --fixtures directories; a bad set stops the start with every problem.
std::shared_ptr<const FixtureSet> load_fixtures(const Config& config, const Contract& contract) {
  LoadResult loaded = load_fixture_set(as_paths(config.fixture_dirs), contract);
  if (loaded.ok()) return loaded.set;
  std::string message = "the fixtures cannot be loaded:";
  for (const auto& problem : loaded.problems) message += "\n  " + to_string(problem);
  throw std::runtime_error(message);
}

// With --fixtures: a watcher that reloads the set when the files change, and logs each reload.
std::unique_ptr<FixtureWatcher> watch_fixtures(const Config& config, const Contract& contract,
                                               FixtureStore& fixtures) {
  if (config.fixture_dirs.empty()) return nullptr;
  const LogFormat format = config.log_format;
  return std::make_unique<FixtureWatcher>(
      as_paths(config.fixture_dirs), contract, fixtures, [format](const ReloadReport& report) {
        if (report.ok) {
          log_event(format,
                    "fixtures reloaded: " + std::to_string(report.fixture_count) + " fixtures");
          return;
        }
        std::string message = "fixture reload refused, keeping the last good set:";
        for (const auto& problem : report.problems) message += " " + to_string(problem) + ";";
        log_event(format, message);
      });
}

// --chaos, checked again here because an embedding test builds Config without the command line.
ChaosPolicy chaos_policy_of(const Config& config) {
  if (config.chaos.empty()) return {};
  try {
    return parse_chaos_spec(config.chaos);
  } catch (const std::invalid_argument& error) {
    throw std::runtime_error(std::string("--chaos: ") + error.what());
  }
}

JournalOptions journal_options(const Config& config) {
  JournalOptions options;
  options.limit = config.journal_limit;
  options.file_path = config.journal_file;
  options.max_bytes = config.journal_max_bytes;
  return options;
}

// Handling a request is CPU work of tens of microseconds, and no worker waits for a delay or a
// held connection (the reactor keeps those on timers): about one worker per core keeps the cores
// busy without threads taking turns on them.
int worker_threads(int configured) {
  if (configured > 0) return configured;
  return std::max(2, static_cast<int>(std::thread::hardware_concurrency()));
}

bool httplib_reads_body_for(const std::string& method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

bool is_admin_path(const std::string& path) { return path.starts_with(AdminEndpoints::kPrefix); }

constexpr int kListenBacklog = 1024;
constexpr std::size_t kBodyLimitForOtherRoutes = 1024 * 1024;

}  // namespace

// The stages a request goes through, wired together: httplib (through ConnectionServer) parses
// and routes; dispatch() checks the Host and sends the request to the admin API, the publish
// pipeline or a fallback answer; every exchange is journaled, counted and logged.
struct Server::Impl {
  Config config;
  Contract contract;
  PublishRoute route;
  FixtureStore fixtures;
  // The scope of a request no sequence names: --stateful's memory and the journal's "scope".
  ScopeRule state_scope;
  ScopeStore scopes;  // sequence positions and --stateful memory, per scope
  RequestRandomness randomness;
  std::unique_ptr<Responder> responder;
  PublishEndpoint publish;
  Journal journal;
  RequestEventSource journal_events;  // what GET /__admin/requests/stream sends
  Metrics metrics;
  AdminEndpoints admin;
  HostAllowList allowed_hosts;
  AdminOriginPolicy admin_origins;
  std::unique_ptr<FixtureWatcher> watcher;
  ConnectionServer http;
  std::thread serving_thread;
  int bound_port = -1;

  explicit Impl(Config given)
      : config(std::move(given)),
        contract(Contract::from_config(config)),
        route(publish_route_of(config, contract)),
        fixtures(load_fixtures(config, contract)),
        state_scope(state_scope_of(config)),
        randomness(config.seed),
        // record mode: the upstream answers instead of the fixtures.
        responder(config.upstream.empty()
                      ? std::unique_ptr<Responder>(std::make_unique<FixtureResponder>(
                            fixtures, scopes,
                            config.stateful ? std::optional<ScopeRule>(state_scope) : std::nullopt,
                            &randomness, chaos_policy_of(config)))
                      : std::make_unique<UpstreamRecorder>(config, contract, route.base_path)),
        publish(config, contract, *responder),
        journal(journal_options(config)),
        journal_events(journal),
        admin(AdminServices{std::chrono::steady_clock::now(), version(),
                            route.method + " " + route.path, config.admin_token, &contract,
                            &journal, &metrics, &fixtures, &scopes, config.max_json_depth,
                            config.max_body_bytes, [this] { reset_state(); },
                            [this] { return connection_figures(); }, !config.tls_cert.empty()}),
        allowed_hosts(config.host, config.allowed_hosts),
        admin_origins(config.admin_cors_origins, !config.tls_cert.empty()),
        watcher(watch_fixtures(config, contract, fixtures)) {
    for (const std::string& warning : contract.warnings()) log_event(config.log_format, warning);
    // Open event streams hear of each entry (and each clear) from here; the connection layer
    // coalesces the wake-ups.
    journal.set_change_listener([this] { http.events_arrived(); });
    if (!config.chaos.empty() && !config.quiet) {
      // The seed is what it takes to see the same injected answers again.
      log_event(config.log_format, "chaos: " + config.chaos + ", random seed " +
                                       std::to_string(randomness.seed()) + " (--seed repeats it)");
    }
    configure_http();
  }

  void configure_http() {
    configure_connections();
    route_requests();
    handle_httplib_failures();
    http.set_post_routing_handler(
        [this](const httplib::Request& request, httplib::Response& response) {
          add_common_headers(request, response);
        });
    if (!config.quiet) {
      const LogFormat format = config.log_format;
      http.set_logger([format](const httplib::Request& request, const httplib::Response& response) {
        log_exchange(request, response, ConnectionServer::exchange_in_progress(), format);
      });
    }
  }

  // POST /__admin/reset: every scope forgotten (sequence positions, published identities),
  // fixtures as their files say (run-time additions and deletions undone), their hits from 0.
  void reset_state() {
    scopes.reset();
    metrics.restart_fixture_hits();
    LoadResult reloaded = load_fixture_set(as_paths(config.fixture_dirs), contract);
    if (reloaded.ok()) fixtures.replace(reloaded.set);
  }

  ConnectionFigures connection_figures() const {
    return {http.open_connections(),   http.connections_refused(), http.request_heads_timed_out(),
            http.exchanges_waiting(),  http.tls_on_plain_port(),   http.plain_http_on_tls_port(),
            http.event_streams_open(), http.event_stream_dropped()};
  }

  void configure_connections() {
    using std::chrono::milliseconds;
    http.configure_connections(
        {worker_threads(config.threads), config.max_connections,
         milliseconds(config.idle_timeout_ms), milliseconds(config.request_timeout_ms),
         milliseconds(config.io_timeout_ms), config.tls_cert, config.tls_key,
         [this](const httplib::Request& request, const httplib::Response& response,
                ExchangeContext& exchange) { record_refused(request, response, exchange); },
         [this](const httplib::Request& request, const httplib::Response& response,
                ExchangeContext& exchange) { record_wrong_protocol(request, response, exchange); },
         &journal_events, milliseconds(config.event_stream_keep_alive_ms)});
  }

  // Methods whose bodies httplib streams to a content reader reach dispatch() there; all others
  // are answered before routing, so that every path and method gets our JSON errors.
  void route_requests() {
    http.set_pre_routing_handler(
        [this](const httplib::Request& request, httplib::Response& response) {
          if (httplib_reads_body_for(request.method))
            return httplib::Server::HandlerResponse::Unhandled;
          ExchangeContext& exchange = ConnectionServer::exchange_in_progress();
          RequestBody body(request, nullptr, exchange);
          dispatch(request, response, body, exchange);
          ConnectionServer::settle_encoding_of(response);
          return httplib::Server::HandlerResponse::Handled;
        });
    const auto with_reader = [this](const httplib::Request& request, httplib::Response& response,
                                    const httplib::ContentReader& reader) {
      ExchangeContext& exchange = ConnectionServer::exchange_in_progress();
      RequestBody body(request, &reader, exchange);
      dispatch(request, response, body, exchange);
      ConnectionServer::settle_encoding_of(response);
    };
    http.Post(".*", with_reader);
    http.Put(".*", with_reader);
    http.Patch(".*", with_reader);
    http.Delete(".*", with_reader);
    answer_expect_continue();
  }

  // Expect: 100-continue (RFC 9110 §10.1.1): the client sends the body once told "100 Continue".
  // When the head alone decides the answer (no key, another media type, a declared length over
  // the limit, an unknown path, a Host or an admin call refused), that answer is the final one and
  // the body is never asked for. The decision is dispatch()'s own: the request goes through it
  // with a body that cannot be read. A step that needs the body throws BodyNotSentYet, before
  // anything was journaled or changed: the steps before it only look at the head, and a handler
  // that takes a body reads it before it acts (keep it so). The response and the exchange are put
  // back as they were, and the client gets 100 Continue. A request decided here is journaled by
  // dispatch() like any other, and the connection closes after the answer (ConnectionServer), as
  // the client may send the body anyway.
  void answer_expect_continue() {
    http.set_expect_100_continue_handler(
        [this](const httplib::Request& request, httplib::Response& response) {
          ExchangeContext& exchange = ConnectionServer::exchange_in_progress();
          const httplib::Response undecided_response = response;
          const ExchangeContext undecided_exchange = exchange;
          RequestBody body = RequestBody::before_continue(request, exchange);
          try {
            dispatch(request, response, body, exchange);
          } catch (const BodyNotSentYet&) {
            response = undecided_response;
            exchange = undecided_exchange;
            return 100;
          } catch (...) {
            // httplib calls this outside its own exception handling.
            answer_internal_error(std::current_exception(), response, exchange);
          }
          return response.status;
        });
  }

  // Errors httplib raises itself, before routing, get our body too. The connection layer's head
  // check refuses what httplib would (a malformed request line, an over-long line), so this is
  // only for what httplib alone finds wrong in a well-formed head (a second '?' in the target,
  // a Range it cannot parse). Such a request is journaled like any other, and the connection
  // closes: httplib may have stopped reading in the middle of the head. An exception out of a
  // handler is a 500.
  void handle_httplib_failures() {
    http.set_error_handler(httplib::Server::HandlerWithResponse(
        [this](const httplib::Request& request, httplib::Response& response) {
          ExchangeContext& exchange = ConnectionServer::exchange_in_progress();
          const bool refused_before_routing = exchange.request_id.empty();
          if (!refused_before_routing && !response.body.empty()) {
            return httplib::Server::HandlerResponse::Unhandled;
          }
          if (refused_before_routing) exchange.request_id = new_uuid_v4();
          answer_unprocessable_request(response, exchange);
          if (refused_before_routing) {
            exchange.close_after_response = true;
            record_exchange(request, response, {}, exchange);
          }
          ConnectionServer::settle_encoding_of(response);
          return httplib::Server::HandlerResponse::Handled;
        }));
    http.set_exception_handler(
        [](const httplib::Request&, httplib::Response& response, std::exception_ptr error) {
          answer_internal_error(error, response, ConnectionServer::exchange_in_progress());
          ConnectionServer::settle_encoding_of(response);
        });
  }

  // On every response: X-Request-Id and CORS. (What the connection layer owns, Date and whether
  // the connection stays open, it adds itself after this: response_head.hpp.)
  void add_common_headers(const httplib::Request& request, httplib::Response& response) const {
    ExchangeContext& exchange = ConnectionServer::exchange_in_progress();
    if (exchange.request_id.empty()) exchange.request_id = new_uuid_v4();
    if (!response.has_header("X-Request-Id"))
      response.set_header("X-Request-Id", exchange.request_id);
    if (is_admin_path(request.path)) {
      // The journal is not for every page in the developer's browser (admin_origin_policy.hpp).
      admin_origins.add_cors_headers(request, response);
    } else if (config.cors) {
      response.set_header("Access-Control-Allow-Origin", "*");
      response.set_header("Access-Control-Expose-Headers",
                          "X-Request-Id, X-Mock-Fixture, X-Mock-Violations, X-Mock-Warnings");
    }
  }

  void dispatch(const httplib::Request& request, httplib::Response& response, RequestBody& body,
                ExchangeContext& exchange) {
    exchange.request_id = new_uuid_v4();
    response.set_header("X-Request-Id", exchange.request_id);
    // Before any route: a rebinding page must not reach the publish endpoint either.
    if (!allowed_hosts.allows(request)) {
      body.discard(config.max_body_bytes);
      allowed_hosts.answer_refusal(request, response, exchange);
      return record_exchange(request, response, {}, exchange);
    }
    if (is_admin_path(request.path)) {
      if (const auto verdict = admin_origins.judge(request); verdict != AdminOriginVerdict::Pass) {
        body.discard(config.max_body_bytes);
        return admin_origins.answer(verdict, request, response, exchange);
      }
      return admin.handle(request, response, body, exchange);
    }
    PublishFindings findings;
    if (!route.has_path_of(request)) {
      body.discard(kBodyLimitForOtherRoutes);
      answer_route_not_found(route, request, response, exchange);
    } else if (request.method == route.method) {
      publish.handle(request, response, body, findings, exchange);
    } else {
      body.discard(config.max_body_bytes);
      if (request.method == "OPTIONS" && config.cors) {
        answer_preflight(route, response);
      } else {
        answer_method_not_allowed(route, request, response, exchange);
      }
    }
    record_exchange(request, response, std::move(findings), exchange);
  }

  // What the journal keeps of an exchange. A sequence names the scope it counted in; any other
  // request is in its --state-scope scope (by default its API key's), so a test finds all of its
  // requests by one label.
  ExchangeRecord scoped_record_of(const httplib::Request& request,
                                  const httplib::Response& response, PublishFindings findings,
                                  const ExchangeContext& exchange) const {
    ExchangeRecord record = journal_record_of(request, response, std::move(findings), exchange);
    if (record.scope.empty()) record.scope = state_scope.label_for(record.headers);
    return record;
  }

  // Journal and metrics, before the response is written: whoever has the answer finds the entry.
  void record_exchange(const httplib::Request& request, const httplib::Response& response,
                       PublishFindings findings, const ExchangeContext& exchange) {
    ExchangeRecord record = scoped_record_of(request, response, std::move(findings), exchange);
    metrics.record(record.status, record.fixture, record.latency_us);
    if (!record.chaos.empty()) metrics.record_chaos(record.chaos);
    journal.record(std::move(record));
  }

  // A request the connection layer refused before httplib parsed its head (a malformed head): the
  // journal, the metrics and the log get it like any other.
  void record_refused(const httplib::Request& request, const httplib::Response& response,
                      const ExchangeContext& exchange) {
    record_exchange(request, response, {}, exchange);
    if (!config.quiet) log_exchange(request, response, exchange, config.log_format);
  }

  // A client that spoke the other protocol than the port (TLS on the plain-HTTP port, plain HTTP
  // on the HTTPS one). Its client library's error rarely says so, so the journal and the log do:
  // the entry carries the problem as a violation at "connection" (a TLS client's entry has no
  // method, no path and status 0, as nothing of its request could be read and no answer sent).
  // The connection metrics count these; the per-status request counter does not.
  void record_wrong_protocol(const httplib::Request& request, const httplib::Response& response,
                             const ExchangeContext& exchange) {
    PublishFindings findings;
    findings.violations.push_back({"connection", "", exchange.error_code, exchange.first_problem});
    journal.record(scoped_record_of(request, response, std::move(findings), exchange));
    if (!config.quiet) log_exchange(request, response, exchange, config.log_format);
  }
};

Server::Server(Config config) : impl_(std::make_unique<Impl>(std::move(config))) {}

Server::~Server() { stop(); }

int Server::bind() {
  auto& impl = *impl_;
  if (impl.bound_port >= 0) return impl.bound_port;
  impl.http.set_socket_options(set_listen_socket_options);
  const int port = impl.config.port == 0 ? impl.http.bind_to_any_port(impl.config.host)
                   : impl.http.bind_to_port(impl.config.host, impl.config.port) ? impl.config.port
                                                                                : -1;
  if (port < 0) throw_bind_failure(impl.config.host, impl.config.port);
  // httplib listens with a backlog of 5; bursts of new connections (parallel test suites) would
  // then wait on SYN retransmits. listen() again only enlarges the queue.
  ::listen(impl.http.listening_socket(), kListenBacklog);
  impl.bound_port = port;
  return port;
}

void Server::serve() {
  bind();
  impl_->http.serve_connections();
  // serve_connections returns once in-flight requests finished: their entries reach the file.
  impl_->journal.close();
}

int Server::start() {
  const int port = bind();
  if (!impl_->serving_thread.joinable()) {
    impl_->serving_thread = std::thread([this] { impl_->http.serve_connections(); });
  }
  return port;
}

void Server::stop() {
  if (!impl_) return;
  impl_->http.shut_down();
  if (impl_->serving_thread.joinable()) {
    impl_->serving_thread.join();
    // After the last in-flight request: every entry it journaled reaches the file.
    impl_->journal.close();
  }
}

int Server::port() const { return impl_->bound_port; }

std::string Server::base_url() const {
  return url_origin(impl_->http.serves_tls(), impl_->config.host, impl_->bound_port) +
         impl_->route.base_path;
}

const Config& Server::config() const { return impl_->config; }

}  // namespace prm_mock
