#include "prm_mock/server.hpp"

#include <sys/socket.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "admin/admin_endpoints.hpp"
#include "admin/admin_origin_policy.hpp"
#include "admin/metrics.hpp"
#include "contract/contract.hpp"
#include "diagnostics/error_response.hpp"
#include "http/connection_pseudo_headers.hpp"
#include "http/connection_server.hpp"
#include "http/exchange_context.hpp"
#include "http/host_allow_list.hpp"
#include "http/listen_port.hpp"
#include "http/request_target.hpp"
#include "http/url_host.hpp"
#include "journal/journal.hpp"
#include "journal/request_log.hpp"
#include "prm_mock/version.hpp"
#include "publish/fixture_responder.hpp"
#include "publish/publish_endpoint.hpp"
#include "publish/request_body.hpp"
#include "record/upstream_recorder.hpp"
#include "server/route_hint.hpp"
#include "stubs/fixture_loader.hpp"
#include "stubs/fixture_watcher.hpp"
#include "text/uuid.hpp"

namespace prm_mock {
namespace {

std::string resolve_base_path(const Config& config, const Contract& contract) {
  std::string base = config.base_path.empty() ? contract.server_base_path() : config.base_path;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base;
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

// Handling a request is CPU work of tens of microseconds, and no worker waits for a delay or a
// held connection (the reactor keeps those on timers): about one worker per core keeps the cores
// busy without threads taking turns on them.
int worker_threads(int configured) {
  if (configured > 0) return configured;
  return std::max(2, static_cast<int>(std::thread::hardware_concurrency()));
}

constexpr int kListenBacklog = 1024;
constexpr size_t kAdvertisedKeepAliveMax = 1000000;
constexpr std::size_t kBodyLimitForOtherRoutes = 1024 * 1024;

}  // namespace

struct Server::Impl {
  Config config;
  Contract contract;
  std::string base_path;
  std::string publish_path;
  FixtureStore fixtures;
  std::unique_ptr<StatefulRegistry> state;
  std::unique_ptr<Responder> responder;
  PublishEndpoint publish;
  Journal journal;
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
        base_path(resolve_base_path(config, contract)),
        publish_path(base_path + contract.operation_path()),
        fixtures(load_fixtures(config, contract)),
        state(config.stateful ? std::make_unique<StatefulRegistry>() : nullptr),
        // record mode: the upstream answers instead of the fixtures.
        responder(config.upstream.empty()
                      ? std::unique_ptr<Responder>(
                            std::make_unique<FixtureResponder>(fixtures, state.get()))
                      : std::make_unique<UpstreamRecorder>(config, contract, base_path)),
        publish(config, contract, *responder),
        journal(journal_options(config)),
        admin(AdminServices{std::chrono::steady_clock::now(), version(),
                            contract.operation_method() + " " + publish_path, config.admin_token,
                            &contract, &journal, &metrics, &fixtures, config.max_json_depth,
                            config.max_body_bytes, [this] { reset_state(); },
                            [this] { return connection_metrics(); }}),
        allowed_hosts(config.host, config.allowed_hosts),
        admin_origins(config.admin_cors_origins, !config.tls_cert.empty()) {
    if (!config.fixture_dirs.empty()) {
      const LogFormat format = config.log_format;
      watcher = std::make_unique<FixtureWatcher>(
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
    for (const std::string& warning : contract.warnings()) log_event(config.log_format, warning);
    configure_http();
  }

  // POST /__admin/reset: published identities forgotten, fixtures as their files say (run-time
  // additions and deletions undone).
  void reset_state() {
    if (state) state->reset();
    LoadResult reloaded = load_fixture_set(as_paths(config.fixture_dirs), contract);
    if (reloaded.ok()) fixtures.replace(reloaded.set);
  }

  std::string connection_metrics() const {
    return "# HELP prm_mock_connections_open Client connections open now.\n"
           "# TYPE prm_mock_connections_open gauge\n"
           "prm_mock_connections_open " +
           std::to_string(http.open_connections()) +
           "\n"
           "# HELP prm_mock_connections_refused_total Connections refused over --max-connections.\n"
           "# TYPE prm_mock_connections_refused_total counter\n"
           "prm_mock_connections_refused_total " +
           std::to_string(http.connections_refused()) +
           "\n"
           "# HELP prm_mock_request_heads_timed_out_total Request heads not complete within "
           "--request-timeout.\n"
           "# TYPE prm_mock_request_heads_timed_out_total counter\n"
           "prm_mock_request_heads_timed_out_total " +
           std::to_string(http.request_heads_timed_out()) +
           "\n"
           "# HELP prm_mock_exchanges_waiting Delayed responses and held-open connections "
           "waiting on a timer.\n"
           "# TYPE prm_mock_exchanges_waiting gauge\n"
           "prm_mock_exchanges_waiting " +
           std::to_string(http.exchanges_waiting()) + "\n";
  }

  void configure_http() {
    using std::chrono::milliseconds;
    http.configure_connections(
        {worker_threads(config.threads), config.max_connections,
         milliseconds(config.idle_timeout_ms), milliseconds(config.request_timeout_ms),
         milliseconds(config.io_timeout_ms), config.tls_cert, config.tls_key,
         [this](const httplib::Request& request, const httplib::Response& response,
                ExchangeContext& exchange) { record_refused(request, response, exchange); }});
    // Only for the Keep-Alive header httplib writes: the idle limit itself is the reactor's.
    http.set_keep_alive_timeout(std::max<time_t>(1, (config.idle_timeout_ms + 999) / 1000));
    http.set_keep_alive_max_count(kAdvertisedKeepAliveMax);
    // Methods whose bodies httplib streams to a content reader reach dispatch() there; all others
    // are answered before routing, so that every path and method gets our JSON errors.
    http.set_pre_routing_handler(
        [this](const httplib::Request& request, httplib::Response& response) {
          if (httplib_reads_body_for(request.method))
            return httplib::Server::HandlerResponse::Unhandled;
          ExchangeContext& exchange = ConnectionServer::exchange_in_progress();
          RequestBody body(request, nullptr, exchange);
          dispatch(request, response, body, exchange);
          return httplib::Server::HandlerResponse::Handled;
        });
    const auto with_reader = [this](const httplib::Request& request, httplib::Response& response,
                                    const httplib::ContentReader& reader) {
      ExchangeContext& exchange = ConnectionServer::exchange_in_progress();
      RequestBody body(request, &reader, exchange);
      dispatch(request, response, body, exchange);
    };
    http.Post(".*", with_reader);
    http.Put(".*", with_reader);
    http.Patch(".*", with_reader);
    http.Delete(".*", with_reader);
    // Errors httplib raises itself, before routing, get our body too. The connection layer's head
    // check refuses what httplib would (a malformed request line, an over-long line), so this is
    // only for what httplib alone finds wrong in a well-formed head (a second '?' in the target,
    // a Range it cannot parse). Such a request is journaled like any other, and the connection
    // closes: httplib may have stopped reading in the middle of the head.
    http.set_error_handler(httplib::Server::HandlerWithResponse(
        [this](const httplib::Request& request, httplib::Response& response) {
          ExchangeContext& exchange = ConnectionServer::exchange_in_progress();
          const bool refused_before_routing = exchange.request_id.empty();
          if (!refused_before_routing && !response.body.empty()) {
            return httplib::Server::HandlerResponse::Unhandled;
          }
          if (exchange.request_id.empty()) exchange.request_id = new_uuid_v4();
          exchange.error_code = "BAD_REQUEST";
          set_error_response(response,
                             {response.status,
                              "BAD_REQUEST",
                              "the request could not be processed as HTTP (status " +
                                  std::to_string(response.status) + ")",
                              {},
                              -1},
                             exchange.request_id);
          if (refused_before_routing) {
            exchange.close_after_response = true;
            record_exchange(request, response, {}, exchange);
          }
          return httplib::Server::HandlerResponse::Handled;
        }));
    http.set_exception_handler(
        [](const httplib::Request&, httplib::Response& response, std::exception_ptr error) {
          std::string what = "unknown error";
          try {
            std::rethrow_exception(error);
          } catch (const std::exception& exception) {
            what = exception.what();
          } catch (...) {
          }
          ExchangeContext& exchange = ConnectionServer::exchange_in_progress();
          exchange.error_code = "INTERNAL_ERROR";
          exchange.close_after_response = true;  // the body may be half read
          set_error_response(response, {500, "INTERNAL_ERROR", "the mock failed: " + what, {}, -1},
                             exchange.request_id);
        });
    const bool cors = config.cors;
    http.set_post_routing_handler([this, cors](const httplib::Request& request,
                                               httplib::Response& response) {
      ExchangeContext& exchange = ConnectionServer::exchange_in_progress();
      if (exchange.request_id.empty()) exchange.request_id = new_uuid_v4();
      if (!response.has_header("X-Request-Id"))
        response.set_header("X-Request-Id", exchange.request_id);
      const bool http10_without_keep_alive =
          request.version == "HTTP/1.0" && request.get_header_value("Connection") != "Keep-Alive";
      if (exchange.close_after_response || http10_without_keep_alive) {
        response.set_header("Connection", "close");
      }
      if (is_admin_path(request.path)) {
        // The journal is not for every page in the developer's browser (admin_origin_policy.hpp).
        admin_origins.add_cors_headers(request, response);
      } else if (cors) {
        response.set_header("Access-Control-Allow-Origin", "*");
        response.set_header("Access-Control-Expose-Headers",
                            "X-Request-Id, X-Mock-Fixture, X-Mock-Violations, X-Mock-Warnings");
      }
    });
    if (!config.quiet) {
      const LogFormat format = config.log_format;
      http.set_logger([format](const httplib::Request& request, const httplib::Response& response) {
        log_exchange(request, response, ConnectionServer::exchange_in_progress(), format);
      });
    }
  }

  static JournalOptions journal_options(const Config& config) {
    JournalOptions options;
    options.limit = config.journal_limit;
    options.file_path = config.journal_file;
    options.max_bytes = config.journal_max_bytes;
    return options;
  }

  static bool httplib_reads_body_for(const std::string& method) {
    return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
  }

  static bool is_admin_path(const std::string& path) {
    return path.rfind(AdminEndpoints::kPrefix, 0) == 0;
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
    // httplib decodes %2F into '/', but the real API's router sees an encoded slash as part of
    // one segment: "/api%2Fregistries%2Fartifacts" is not the publish route there, nor here.
    if (request.path == publish_path && !has_encoded_slash(request.target)) {
      if (request.method == contract.operation_method()) {
        publish.handle(request, response, body, findings, exchange);
      } else {
        body.discard(config.max_body_bytes);
        if (request.method == "OPTIONS" && config.cors) {
          answer_preflight(response);
        } else {
          answer_method_not_allowed(request, response, exchange);
        }
      }
    } else {
      body.discard(kBodyLimitForOtherRoutes);
      answer_route_not_found(request, response, exchange);
    }
    record_exchange(request, response, std::move(findings), exchange);
  }

  // Journal and metrics, before the response is written: whoever has the answer finds the entry.
  void record_exchange(const httplib::Request& request, const httplib::Response& response,
                       PublishFindings findings, const ExchangeContext& exchange) {
    ExchangeRecord record;
    record.id = exchange.request_id;
    record.received_at = exchange.received_at;
    record.method = request.method;
    record.path = request.path;
    if (const auto question = request.target.find('?'); question != std::string::npos) {
      record.query = request.target.substr(question + 1);
    }
    for (const auto& header : request.headers) {
      if (!is_connection_pseudo_header(header.first)) record.headers.insert(header);
    }
    record.body_text = std::move(findings.body_text);
    record.body_json = std::move(findings.body);
    record.status = response.status;
    record.fixture = exchange.fixture;
    record.violations = std::move(findings.violations);
    record.warnings = std::move(findings.warnings);
    record.latency_us = std::chrono::duration_cast<std::chrono::microseconds>(
                            std::chrono::steady_clock::now() - exchange.started)
                            .count();
    record.delay_ms = exchange.delay.count();
    metrics.record(record.status, record.fixture, record.latency_us);
    journal.record(std::move(record));
  }

  // A request the connection layer refused before httplib parsed its head (a malformed head): the
  // journal, the metrics and the log get it like any other.
  void record_refused(const httplib::Request& request, const httplib::Response& response,
                      const ExchangeContext& exchange) {
    record_exchange(request, response, {}, exchange);
    if (!config.quiet) log_exchange(request, response, exchange, config.log_format);
  }

  void answer_preflight(httplib::Response& response) const {
    response.status = 204;
    response.set_header("Access-Control-Allow-Methods", contract.operation_method());
    response.set_header("Access-Control-Allow-Headers",
                        "Content-Type, X-API-Key, Authorization, Prefer");
    response.set_header("Access-Control-Max-Age", "600");
  }

  void answer_method_not_allowed(const httplib::Request& request, httplib::Response& response,
                                 ExchangeContext& exchange) const {
    exchange.error_code = "METHOD_NOT_ALLOWED";
    response.set_header("Allow", contract.operation_method());
    set_error_response(response,
                       {405,
                        "METHOD_NOT_ALLOWED",
                        request.method + " is not allowed on " + publish_path + "; use " +
                            contract.operation_method(),
                        {},
                        -1},
                       exchange.request_id);
  }

  void answer_route_not_found(const httplib::Request& request, httplib::Response& response,
                              ExchangeContext& exchange) const {
    exchange.error_code = "ROUTE_NOT_FOUND";
    const std::string meant = probable_path(request.path, publish_path, contract.operation_path());
    std::string message = "no route for " + request.method + " " + request.path + "; ";
    if (!meant.empty()) {
      message += "did you mean " + contract.operation_method() + " " + meant + "?";
      if (!base_path.empty() && request.path.rfind(base_path, 0) != 0) {
        message += " (the base path is " + base_path + ")";
      }
    } else {
      message += "this mock serves " + contract.operation_method() + " " + publish_path +
                 " and the admin API under /__admin";
    }
    set_error_response(response, {404, "ROUTE_NOT_FOUND", message, {}, -1}, exchange.request_id);
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
         impl_->base_path;
}

const Config& Server::config() const { return impl_->config; }

}  // namespace prm_mock
