#pragma once
// The admin API under /__admin: health, the request journal and its search, run-time fixtures,
// reset, the contract in use, metrics, and the inspector page that shows the journal in a browser.
// Every answer is JSON (metrics: Prometheus text; the page: HTML, script, style); errors use
// error_response.hpp's body.
#include <httplib.h>

#include <chrono>
#include <functional>
#include <mutex>
#include <span>
#include <string>
#include <string_view>

#include "admin/metrics.hpp"
#include "contract/contract.hpp"
#include "journal/journal.hpp"
#include "publish/request_body.hpp"
#include "stubs/fixture_store.hpp"
#include "stubs/scope_store.hpp"

namespace prm_mock {

struct AdminServices {
  std::chrono::steady_clock::time_point started;
  std::string version;
  std::string publish_route;  // e.g. "POST /api/registries/artifacts"
  std::string admin_token;    // empty: no token needed
  const Contract* contract = nullptr;
  Journal* journal = nullptr;
  const Metrics* metrics = nullptr;  // also the fixtures' hits
  FixtureStore* fixtures = nullptr;
  ScopeStore* scopes = nullptr;      // sequence positions and --stateful memory, per scope
  std::size_t max_json_depth = 256;  // admin bodies get the API's limits
  std::size_t max_body_bytes = 10 * 1024 * 1024;
  std::function<void()> reset_state;  // state and run-time fixtures back to start
  // The connection layer's figures (open, refused, timed out), added to /__admin/metrics.
  std::function<ConnectionFigures()> connection_figures;
  // HTTPS: the event stream is refused (the reactor writes streams to plain sockets only).
  bool serves_tls = false;
};

struct AdminCall;

class AdminEndpoints {
 public:
  explicit AdminEndpoints(AdminServices services);

  static constexpr std::string_view kPrefix = "/__admin";

  // Answers a request under kPrefix from the route table in admin_endpoints.cpp: 404 for a path
  // no route has, 405 with Allow for a method its routes lack, 401 without the admin token
  // (except for health). A route's body is read by its handler or discarded for it.
  void handle(const httplib::Request& request, httplib::Response& response, RequestBody& body,
              ExchangeContext& exchange) const;

 private:
  struct Route;
  struct RouteMatch;
  using Handler = void (AdminEndpoints::*)(AdminCall& call) const;
  static std::span<const Route> routes();
  static RouteMatch match_route(std::string_view path, std::string_view method);
  // The admin paths a client can use, listed in the 404 for any other.
  static std::string route_index();
  static bool encoded_slash_outside_name(std::string_view target);
  bool token_accepted(const httplib::Request& request) const;
  // Answers (and discards the body) when no route may answer; false when `match.route` may.
  bool refuse(AdminCall& call, const RouteMatch& match) const;

  // One handler per route of the table.
  void health(AdminCall& call) const;
  void list_requests(AdminCall& call) const;  // requests_routes.cpp
  void stream_requests(AdminCall& call) const;
  void clear_requests(AdminCall& call) const;
  void count_requests(AdminCall& call) const;
  void find_requests(AdminCall& call) const;
  void get_request(AdminCall& call) const;
  void list_fixtures(AdminCall& call) const;  // fixtures_routes.cpp
  void add_fixture(AdminCall& call) const;
  void get_fixture(AdminCall& call) const;
  void delete_fixture(AdminCall& call) const;
  void list_scopes(AdminCall& call) const;  // scopes_routes.cpp
  void clear_scopes(AdminCall& call) const;
  void reset_scope(AdminCall& call) const;
  void reset(AdminCall& call) const;
  void contract(AdminCall& call) const;
  void metrics(AdminCall& call) const;
  void inspector_html(AdminCall& call) const;  // inspector_routes.cpp
  void inspector_script(AdminCall& call) const;
  void inspector_style(AdminCall& call) const;

  void search_requests(AdminCall& call, bool only_count) const;

  AdminServices services_;
  std::string contract_json_;  // serialised once: the document does not change while serving
  // Run-time fixture edits read, change and replace the whole set: one at a time.
  mutable std::mutex fixture_edits_;
};

}  // namespace prm_mock
