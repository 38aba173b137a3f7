#include "admin/admin_endpoints.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <optional>
#include <regex>

#include "admin/admin_call.hpp"
#include "http/request_target.hpp"
#include "text/secret_equality.hpp"
#include "text/utf8_text.hpp"

namespace prm_mock {

struct AdminEndpoints::Route {
  enum class Access { Open, Token };  // Token: needs --admin-token when one is set
  enum class Body { Read, Discard };  // Discard: dropped before the handler runs

  std::string_view method;  // "GET" answers HEAD as well
  // Exact, or ending in "{name}" (the rest of the path, a fixture name) or "{id}" (the rest of
  // the path, a journal entry's id). An exact path wins over a parameter: "count" is no id.
  std::string_view path;
  Access access;
  Body body;
  Handler handler;
};

// The admin API, one row per route. The first row whose path and method match answers (a GET row
// answers HEAD too); a path with rows but none for the method gets 405 with their methods in Allow,
// any other path 404. Only health and the inspector page are open without --admin-token. A Read
// route's handler reads the JSON body itself (AdminCall::read_json_body or read_json_text); for
// every other answer, refusals included, the body is discarded, so that none of it is taken for the
// connection's next request.
std::span<const AdminEndpoints::Route> AdminEndpoints::routes() {
  using enum Route::Access;
  using enum Route::Body;
  using A = AdminEndpoints;
  // clang-format off
  static constexpr Route kRoutes[] = {
      // method   path                        access body     handler
      {"GET",     "/__admin/health",          Open,  Discard, &A::health},
      {"GET",     "/__admin/requests",        Token, Discard, &A::list_requests},
      {"GET",     "/__admin/requests/stream", Token, Discard, &A::stream_requests},
      {"DELETE",  "/__admin/requests",        Token, Discard, &A::clear_requests},
      {"POST",    "/__admin/requests/count",  Token, Read,    &A::count_requests},
      {"POST",    "/__admin/requests/find",   Token, Read,    &A::find_requests},
      {"GET",     "/__admin/requests/{id}",   Token, Discard, &A::get_request},
      {"GET",     "/__admin/fixtures",        Token, Discard, &A::list_fixtures},
      {"POST",    "/__admin/fixtures",        Token, Read,    &A::add_fixture},
      {"GET",     "/__admin/fixtures/{name}", Token, Discard, &A::get_fixture},
      {"DELETE",  "/__admin/fixtures/{name}", Token, Discard, &A::delete_fixture},
      {"GET",     "/__admin/scopes",          Token, Discard, &A::list_scopes},
      {"DELETE",  "/__admin/scopes",          Token, Discard, &A::clear_scopes},
      {"POST",    "/__admin/scopes/reset",    Token, Read,    &A::reset_scope},
      {"POST",    "/__admin/reset",           Token, Discard, &A::reset},
      {"GET",     "/__admin/contract",        Token, Discard, &A::contract},
      {"GET",     "/__admin/metrics",         Token, Discard, &A::metrics},
      // The inspector page: no data in it, so open; its calls above send the token.
      {"GET",     "/__admin/",                Open,  Discard, &A::inspector_html},
      {"GET",     "/__admin/ui",              Open,  Discard, &A::inspector_html},
      {"GET",     "/__admin/ui/app.js",       Open,  Discard, &A::inspector_script},
      {"GET",     "/__admin/ui/app.css",      Open,  Discard, &A::inspector_style},
  };
  // clang-format on
  return kRoutes;
}

namespace {

constexpr std::string_view kNameParameter = "{name}";  // a fixture name, checked
constexpr std::string_view kIdParameter = "{id}";      // a journal entry's id, looked up

// The parameter a route's path ends in ("{name}", "{id}"), else empty.
std::string_view path_parameter(std::string_view route_path) {
  for (const std::string_view parameter : {kNameParameter, kIdParameter}) {
    if (route_path.ends_with(parameter)) return parameter;
  }
  return {};
}

bool has_path_parameter(std::string_view route_path) { return !path_parameter(route_path).empty(); }

// What a route's path is before its parameter.
std::string_view before_path_parameter(std::string_view route_path) {
  return route_path.substr(0, route_path.size() - path_parameter(route_path).size());
}

// Whether `path` is a route's path; if so, what stands for its parameter (empty when it has none).
std::optional<std::string_view> admin_path_match(std::string_view route_path,
                                                 std::string_view path) {
  if (!has_path_parameter(route_path)) {
    return route_path == path ? std::optional<std::string_view>(std::string_view()) : std::nullopt;
  }
  const std::string_view prefix = before_path_parameter(route_path);
  if (!path.starts_with(prefix)) return std::nullopt;
  return path.substr(prefix.size());
}

bool admin_method_matches(std::string_view route_method, std::string_view method) {
  return route_method == method || (route_method == "GET" && method == "HEAD");
}

// A name is one path segment: it never holds a '/', decoded or not.
bool valid_fixture_name(std::string_view name) {
  static const std::regex kName("^[A-Za-z0-9._-]{1,100}$");
  return std::regex_match(name.begin(), name.end(), kName);
}

std::string health_json(const AdminServices& services) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("status");
  writer.String("ok");
  writer.Key("version");
  writer.String(services.version.c_str());
  writer.Key("serves");
  writer.String(services.publish_route.c_str());
  writer.Key("uptimeSeconds");
  writer.Double(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - services.started).count());
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace

std::string AdminEndpoints::route_index() {
  std::string index;
  std::string_view previous;
  for (const Route& route : routes()) {
    if (route.path == previous) continue;
    if (!index.empty()) index += ", ";
    index += route.path;
    previous = route.path;
  }
  return index;
}

// What the table says about one request's path and method.
struct AdminEndpoints::RouteMatch {
  const Route* route = nullptr;  // the row that answers, if one does
  bool path_known = false;       // some row has the path
  bool open = false;             // every row with the path is open
  bool named = false;            // the path has a "{name}", to be checked as a fixture name
  std::string_view name;         // what stands for the path's "{name}" or "{id}"
  std::string allow;             // the methods of the rows with the path
};

AdminEndpoints::RouteMatch AdminEndpoints::match_route(std::string_view path,
                                                       std::string_view method) {
  RouteMatch match;
  match.open = true;
  const std::span<const Route> table = routes();
  // "/__admin/requests/count" is that route's path, not an id: its rows alone answer it (405
  // for a GET).
  const bool exact_path = std::any_of(table.begin(), table.end(), [path](const Route& route) {
    return !has_path_parameter(route.path) && route.path == path;
  });
  for (const Route& route : table) {
    if (exact_path && has_path_parameter(route.path)) continue;
    const auto name = admin_path_match(route.path, path);
    if (!name) continue;
    match.path_known = true;
    match.open = match.open && route.access == Route::Access::Open;
    match.named = path_parameter(route.path) == kNameParameter;
    match.name = *name;
    if (!match.allow.empty()) match.allow += ", ";
    match.allow += route.method;
    if (!match.route && admin_method_matches(route.method, method)) match.route = &route;
  }
  match.open = match.open && match.path_known;
  return match;
}

// httplib decodes the path before routing, so "%2F" would act as a separator: "/__admin%2Freset"
// would reset. No admin path holds an encoded slash, except in a "{name}", whose check refuses it,
// or an "{id}", which no entry has.
bool AdminEndpoints::encoded_slash_outside_name(std::string_view target) {
  if (!has_encoded_slash(target)) return false;
  const std::string_view raw_path = target_path(target);
  for (const Route& route : routes()) {
    if (has_path_parameter(route.path) && raw_path.starts_with(before_path_parameter(route.path)))
      return false;
  }
  return true;
}

bool AdminEndpoints::token_accepted(const httplib::Request& request) const {
  return services_.admin_token.empty() || secrets_equal(request.get_header_value("Authorization"),
                                                        "Bearer " + services_.admin_token);
}

// In this order: an encoded slash (404, even without the token), the token (401), an unknown path
// (404), an invalid name (400), a method the path's rows lack (405). A refused body is discarded.
bool AdminEndpoints::refuse(AdminCall& call, const RouteMatch& match) const {
  const httplib::Request& request = call.request;
  const std::string_view target = request.target;
  const bool encoded_slash = encoded_slash_outside_name(target);
  const bool unauthorized = !encoded_slash && !match.open && !token_accepted(request);
  const bool bad_name = match.named && !valid_fixture_name(match.name);
  if (!encoded_slash && !unauthorized && match.route && !bad_name) return false;
  call.body.discard(services_.max_body_bytes);
  if (encoded_slash) {
    call.answer_error(404, "ROUTE_NOT_FOUND",
                      "no admin endpoint at " + valid_utf8(target_path(target)) +
                          ": an encoded slash ('%2F') never separates admin path segments");
  } else if (unauthorized) {
    call.response.set_header("WWW-Authenticate", "Bearer");
    call.answer_error(401, "UNAUTHORIZED",
                      "the admin API needs 'Authorization: Bearer <token>' (--admin-token)");
  } else if (!match.path_known) {
    call.answer_error(
        404, "ROUTE_NOT_FOUND",
        "no admin endpoint at " + valid_utf8(request.path) + "; see " + route_index());
  } else if (bad_name) {
    call.answer_error(
        400, "BAD_FIXTURE_NAME",
        "fixture names use only letters, digits, '.', '_' and '-' (1-100 characters)");
  } else {
    call.response.set_header("Allow", match.allow);
    call.answer_error(
        405, "METHOD_NOT_ALLOWED",
        request.method + " is not allowed on " + request.path + "; use " + match.allow);
  }
  return true;
}

AdminEndpoints::AdminEndpoints(AdminServices services) : services_(std::move(services)) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  services_.contract->document().Accept(writer);
  contract_json_.assign(buffer.GetString(), buffer.GetSize());
}

void AdminEndpoints::handle(const httplib::Request& request, httplib::Response& response,
                            RequestBody& body, ExchangeContext& exchange) const {
  const RouteMatch match = match_route(request.path, request.method);
  AdminCall call{request, response, body, exchange, match.name};
  if (refuse(call, match)) return;
  if (match.route->body == Route::Body::Discard) body.discard(services_.max_body_bytes);
  (this->*match.route->handler)(call);
}

void AdminEndpoints::health(AdminCall& call) const { call.answer_json(health_json(services_)); }

void AdminEndpoints::reset(AdminCall& call) const {
  services_.journal->clear();
  if (services_.reset_state) services_.reset_state();
  call.answer_json(R"({"reset":true})");
}

void AdminEndpoints::contract(AdminCall& call) const { call.answer_json(contract_json_); }

void AdminEndpoints::metrics(AdminCall& call) const {
  const Journal& journal = *services_.journal;
  std::string text = services_.metrics->prometheus_text(journal.size(), journal.total(),
                                                        journal.dropped(), journal.held_bytes());
  if (services_.connection_figures) text += connection_metrics_text(services_.connection_figures());
  call.response.set_content(text, "text/plain; version=0.0.4");
}

}  // namespace prm_mock
