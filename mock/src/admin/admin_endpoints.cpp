#include "admin/admin_endpoints.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <regex>

#include "admin/journal_search.hpp"
#include "diagnostics/error_response.hpp"
#include "http/exchange_context.hpp"
#include "http/media_type.hpp"
#include "http/request_target.hpp"
#include "journal/journal_entry.hpp"
#include "journal/journal_query.hpp"
#include "publish/json_body.hpp"
#include "publish/request_body_errors.hpp"
#include "stubs/fixture_compiler.hpp"
#include "stubs/fixture_set.hpp"
#include "text/secret_equality.hpp"
#include "text/utf8_text.hpp"
#include "text/whole_number.hpp"

namespace prm_mock {
namespace {

void answer_error(httplib::Response& response, ExchangeContext& exchange,
                  const ErrorDetails& error) {
  exchange.error_code = error.code;
  set_error_response(response, error, exchange.request_id);
}

void answer_error(httplib::Response& response, ExchangeContext& exchange, int status,
                  const char* code, std::string message) {
  answer_error(response, exchange, {status, code, std::move(message), {}, -1});
}

std::optional<long long> integer_parameter(const std::string& text) {
  return parse_whole_number<long long>(text);
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

// Reads and parses an admin request's JSON body under the same limits as the API; on failure the
// error is already answered.
std::shared_ptr<rapidjson::Document> read_json_body(const httplib::Request& request,
                                                    httplib::Response& response, RequestBody& body,
                                                    std::size_t max_bytes, std::size_t max_depth,
                                                    ExchangeContext& exchange) {
  if (const std::string problem = json_media_type_problem(request.get_header_value("Content-Type"));
      !problem.empty()) {
    body.discard(max_bytes);
    answer_error(response, exchange, 415, "UNSUPPORTED_MEDIA_TYPE", problem);
    return nullptr;
  }
  std::string text;
  if (const auto error =
          body_read_error(body.read(text, max_bytes), body, max_bytes, "admin request body")) {
    answer_error(response, exchange, *error);
    return nullptr;
  }
  auto document = std::make_shared<rapidjson::Document>();
  if (const auto error = parse_json_body(text, *document, max_depth)) {
    exchange.error_code = error->code;
    set_error_response(
        response, {400, error->code, error->message, {}, static_cast<long long>(error->offset)},
        exchange.request_id);
    return nullptr;
  }
  return document;
}

Violations as_violations(const FixtureProblems& problems) {
  Violations violations;
  for (const auto& problem : problems) {
    violations.push_back({"body", problem.field, "fixture", problem.file + ": " + problem.message});
  }
  return violations;
}

void answer_problems(httplib::Response& response, ExchangeContext& exchange, const char* code,
                     const std::string& what, const FixtureProblems& problems) {
  exchange.error_code = code;
  set_error_response(response,
                     {400, code,
                      what + " (" + std::to_string(problems.size()) + " problem" +
                          (problems.size() == 1 ? "" : "s") + ")",
                      as_violations(problems), -1},
                     exchange.request_id);
}

std::string fixture_summary_json(const Fixture& fixture) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("name");
  writer.String(fixture.name.c_str());
  writer.Key("file");
  writer.String(fixture.file.c_str());
  writer.Key("priority");
  writer.Int(fixture.priority);
  writer.Key("conditions");
  writer.Uint64(fixture.when.condition_count());
  writer.Key("status");
  writer.Int(fixture.status);
  writer.Key("delayMs");
  writer.Int(fixture.delay_ms);
  writer.Key("fault");
  if (fixture.fault == Fault::None) {
    writer.Null();
  } else {
    const std::string_view fault = fault_name(fixture.fault);
    writer.String(fault.data(), static_cast<rapidjson::SizeType>(fault.size()));
  }
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

bool valid_fixture_name(const std::string& name) {
  static const std::regex kName("^[A-Za-z0-9._-]{1,100}$");
  return std::regex_match(name, kName);
}

}  // namespace

void AdminEndpoints::handle_search(const httplib::Request& request, httplib::Response& response,
                                   RequestBody& body, bool only_count,
                                   ExchangeContext& exchange) const {
  const auto query = read_json_body(request, response, body, services_.max_body_bytes,
                                    services_.max_json_depth, exchange);
  if (!query) return;
  FixtureProblems problems;
  const auto search = JournalSearch::compile(*query, *services_.contract, problems);
  if (!search)
    return answer_problems(response, exchange, "BAD_QUERY", "the search is not a valid when object",
                           problems);
  const JournalSearchResult result = search->run(services_.journal->snapshot());
  std::string json = "{\"count\":" + std::to_string(result.matches.size());
  if (!only_count) json += ",\"requests\":" + entries_json_array(result.matches);
  if (result.matches.empty()) {
    json += ",\"nearMisses\":[";
    for (std::size_t i = 0; i < result.near_misses.size(); ++i) {
      const NearMiss& miss = result.near_misses[i];
      rapidjson::StringBuffer failed;
      rapidjson::Writer<rapidjson::StringBuffer> writer(failed);
      writer.StartArray();
      for (const auto& condition : miss.failed) {
        writer.String(condition.data(), static_cast<rapidjson::SizeType>(condition.size()));
      }
      writer.EndArray();
      if (i > 0) json += ',';
      json += "{\"failed\":" + std::string(failed.GetString(), failed.GetSize()) +
              ",\"request\":" + miss.entry->json + "}";
    }
    json += ']';
  }
  json += '}';
  response.set_content(json, "application/json");
}

void AdminEndpoints::handle_fixtures(const httplib::Request& request, httplib::Response& response,
                                     RequestBody& body, ExchangeContext& exchange) const {
  const std::string& method = request.method;
  FixtureStore& store = *services_.fixtures;
  constexpr std::string_view kCollection = "/__admin/fixtures";
  if (request.path == kCollection) {
    if (method == "GET" || method == "HEAD") {
      body.discard(services_.max_body_bytes);
      const auto set = store.current();
      std::string json = "{\"count\":" + std::to_string(set->size()) + ",\"fixtures\":[";
      bool first = true;
      for (const auto& fixture : set->ranked()) {
        if (!first) json += ',';
        first = false;
        json += fixture_summary_json(*fixture);
      }
      response.set_content(json + "]}", "application/json");
      return;
    }
    if (method != "POST") {
      body.discard(services_.max_body_bytes);
      response.set_header("Allow", "GET, POST");
      return answer_error(response, exchange, 405, "METHOD_NOT_ALLOWED",
                          method + " is not allowed on " + request.path);
    }
    if (const std::string problem =
            json_media_type_problem(request.get_header_value("Content-Type"));
        !problem.empty()) {
      body.discard(services_.max_body_bytes);
      return answer_error(response, exchange, 415, "UNSUPPORTED_MEDIA_TYPE", problem);
    }
    std::string text;
    if (const auto error = body_read_error(body.read(text, services_.max_body_bytes), body,
                                           services_.max_body_bytes, "fixture")) {
      return answer_error(response, exchange, *error);
    }
    // Exactly the checks a fixture file gets, with the same messages.
    FixtureProblems problems;
    auto fixture = compile_fixture(text, "POST /__admin/fixtures", *services_.contract, problems);
    if (!fixture)
      return answer_problems(response, exchange, "INVALID_FIXTURE", "the fixture is invalid",
                             problems);
    bool replaced = false;
    {
      std::lock_guard lock(fixture_edits_);
      const auto set = store.current();
      replaced = set->find(fixture->name) != nullptr;
      store.replace(set->with(fixture));
    }
    response.status = replaced ? 200 : 201;
    response.set_content(fixture_summary_json(*fixture), "application/json");
    return;
  }
  body.discard(services_.max_body_bytes);
  const std::string name = request.path.substr(kCollection.size() + 1);
  if (!valid_fixture_name(name)) {
    return answer_error(
        response, exchange, 400, "BAD_FIXTURE_NAME",
        "fixture names use only letters, digits, '.', '_' and '-' (1-100 characters)");
  }
  if (method == "GET" || method == "HEAD") {
    const auto fixture = store.current()->find(name);
    if (!fixture)
      return answer_error(response, exchange, 404, "FIXTURE_NOT_FOUND",
                          "no fixture named '" + name + "'");
    response.set_content(fixture->source_json, "application/json");
    return;
  }
  if (method == "DELETE") {
    std::lock_guard lock(fixture_edits_);
    const auto set = store.current();
    if (!set->find(name))
      return answer_error(response, exchange, 404, "FIXTURE_NOT_FOUND",
                          "no fixture named '" + name + "'");
    store.replace(set->without(name));
    response.set_content(R"({"deleted":true})", "application/json");
    return;
  }
  response.set_header("Allow", "GET, DELETE");
  answer_error(response, exchange, 405, "METHOD_NOT_ALLOWED",
               method + " is not allowed on " + request.path);
}

AdminEndpoints::AdminEndpoints(AdminServices services) : services_(std::move(services)) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  services_.contract->document().Accept(writer);
  contract_json_.assign(buffer.GetString(), buffer.GetSize());
}

void AdminEndpoints::handle(const httplib::Request& request, httplib::Response& response,
                            RequestBody& body, ExchangeContext& exchange) const {
  const std::string& path = request.path;
  const std::string& method = request.method;
  const auto allow = [&](const char* methods) {
    response.set_header("Allow", methods);
    answer_error(response, exchange, 405, "METHOD_NOT_ALLOWED",
                 method + " is not allowed on " + path + "; use " + methods);
  };

  // httplib decodes the path before routing, so "%2F" would act as a separator and
  // "/__admin%2Freset" would reset. An encoded slash is data, never structure (RFC 3986 §2.2), and
  // no admin route holds one. (After "/__admin/fixtures/" it is part of a fixture name, which the
  // name check refuses: no name holds a '/'.)
  if (const std::string_view raw_path = target_path(request.target);
      has_encoded_slash(raw_path) && !raw_path.starts_with("/__admin/fixtures/")) {
    body.discard(services_.max_body_bytes);
    return answer_error(response, exchange, 404, "ROUTE_NOT_FOUND",
                        "no admin endpoint at " + valid_utf8(raw_path) +
                            ": an encoded slash ('%2F') never separates admin path segments");
  }
  if (path == "/__admin/health") {
    if (method != "GET" && method != "HEAD") return allow("GET");
    response.set_content(health_json(services_), "application/json");
    return;
  }
  if (!services_.admin_token.empty() && !secrets_equal(request.get_header_value("Authorization"),
                                                       "Bearer " + services_.admin_token)) {
    response.set_header("WWW-Authenticate", "Bearer");
    return answer_error(response, exchange, 401, "UNAUTHORIZED",
                        "the admin API needs 'Authorization: Bearer <token>' (--admin-token)");
  }

  if (path == "/__admin/requests/count" || path == "/__admin/requests/find") {
    if (method != "POST") return allow("POST");
    return handle_search(request, response, body, path.ends_with("/count"), exchange);
  }
  if (path == "/__admin/fixtures" || path.starts_with("/__admin/fixtures/")) {
    return handle_fixtures(request, response, body, exchange);
  }
  body.discard(services_.max_body_bytes);
  if (path == "/__admin/requests") {
    if (method == "DELETE") {
      services_.journal->clear();
      response.set_content(R"({"cleared":true})", "application/json");
      return;
    }
    if (method != "GET" && method != "HEAD") return allow("GET, DELETE");
    JournalQuery query;
    if (request.has_param("status")) {
      const auto status = integer_parameter(request.get_param_value("status"));
      if (!status || *status < 100 || *status > 599) {
        return answer_error(response, exchange, 400, "BAD_QUERY",
                            "status: expected an HTTP status 100-599");
      }
      query.status = static_cast<int>(*status);
    }
    if (request.has_param("fixture")) query.fixture = request.get_param_value("fixture");
    if (request.has_param("since")) query.since = request.get_param_value("since");
    if (request.has_param("limit")) {
      const auto limit = integer_parameter(request.get_param_value("limit"));
      if (!limit || *limit < 0)
        return answer_error(response, exchange, 400, "BAD_QUERY", "limit: expected a count >= 0");
      query.limit = static_cast<std::size_t>(*limit);
    }
    const JournalListing listing = services_.journal->list(query);
    if (!listing.problem.empty())
      return answer_error(response, exchange, 400, "BAD_QUERY", listing.problem);
    response.set_content("{\"total\":" + std::to_string(listing.total) +
                             ",\"dropped\":" + std::to_string(listing.dropped) +
                             ",\"count\":" + std::to_string(listing.entries.size()) +
                             ",\"requests\":" + entries_json_array(listing.entries) + "}",
                         "application/json");
    return;
  }
  if (path == "/__admin/reset") {
    if (method != "POST") return allow("POST");
    services_.journal->clear();
    if (services_.reset_state) services_.reset_state();
    response.set_content(R"({"reset":true})", "application/json");
    return;
  }
  if (path == "/__admin/contract") {
    if (method != "GET" && method != "HEAD") return allow("GET");
    response.set_content(contract_json_, "application/json");
    return;
  }
  if (path == "/__admin/metrics") {
    if (method != "GET" && method != "HEAD") return allow("GET");
    const Journal& journal = *services_.journal;
    std::string text = services_.metrics->prometheus_text(journal.size(), journal.total(),
                                                          journal.dropped(), journal.held_bytes());
    if (services_.connection_metrics) text += services_.connection_metrics();
    response.set_content(text, "text/plain; version=0.0.4");
    return;
  }
  answer_error(response, exchange, 404, "ROUTE_NOT_FOUND",
               "no admin endpoint at " + valid_utf8(path) +
                   "; see /__admin/health, /__admin/requests[/count|/find], /__admin/fixtures, "
                   "/__admin/reset, /__admin/contract, /__admin/metrics");
}

}  // namespace prm_mock
