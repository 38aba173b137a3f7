#include "admin_endpoints.hpp"

#include <charconv>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "error_response.hpp"
#include "http/exchange_context.hpp"
#include "journal/journal_entry.hpp"
#include "journal/journal_query.hpp"

namespace prm_mock {
namespace {

constexpr std::size_t kAdminBodyLimit = 1024 * 1024;

void answer_error(httplib::Response& response, int status, const char* code, std::string message) {
  ExchangeContext& exchange = current_exchange();
  exchange.error_code = code;
  set_error_response(response, {status, code, std::move(message), {}, -1}, exchange.request_id);
}

// Compares without an early exit, so the time taken does not tell how much of a guess was right.
bool equal_in_constant_time(const std::string& given, const std::string& expected) {
  unsigned char difference = given.size() == expected.size() ? 0 : 1;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    difference |= static_cast<unsigned char>(expected[i] ^ (i < given.size() ? given[i] : 0));
  }
  return difference == 0;
}

std::optional<long long> integer_parameter(const std::string& text) {
  long long value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
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

AdminEndpoints::AdminEndpoints(AdminServices services) : services_(std::move(services)) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  services_.contract->document().Accept(writer);
  contract_json_.assign(buffer.GetString(), buffer.GetSize());
}

void AdminEndpoints::handle(const httplib::Request& request, httplib::Response& response,
                            RequestBody& body) const {
  body.discard(kAdminBodyLimit);
  const std::string& path = request.path;
  const std::string& method = request.method;
  const auto allow = [&](const char* methods) {
    response.set_header("Allow", methods);
    answer_error(response, 405, "METHOD_NOT_ALLOWED",
                 method + " is not allowed on " + path + "; use " + methods);
  };

  if (path == "/__admin/health") {
    if (method != "GET" && method != "HEAD") return allow("GET");
    response.set_content(health_json(services_), "application/json");
    return;
  }
  if (!services_.admin_token.empty() &&
      !equal_in_constant_time(request.get_header_value("Authorization"),
                              "Bearer " + services_.admin_token)) {
    response.set_header("WWW-Authenticate", "Bearer");
    return answer_error(response, 401, "UNAUTHORIZED",
                        "the admin API needs 'Authorization: Bearer <token>' (--admin-token)");
  }

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
        return answer_error(response, 400, "BAD_QUERY", "status: expected an HTTP status 100-599");
      }
      query.status = static_cast<int>(*status);
    }
    if (request.has_param("fixture")) query.fixture = request.get_param_value("fixture");
    if (request.has_param("since")) query.since = request.get_param_value("since");
    if (request.has_param("limit")) {
      const auto limit = integer_parameter(request.get_param_value("limit"));
      if (!limit || *limit < 0) return answer_error(response, 400, "BAD_QUERY", "limit: expected a count >= 0");
      query.limit = static_cast<std::size_t>(*limit);
    }
    const JournalListing listing = services_.journal->list(query);
    if (!listing.problem.empty()) return answer_error(response, 400, "BAD_QUERY", listing.problem);
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
    response.set_content(
        services_.metrics->prometheus_text(journal.size(), journal.total(), journal.dropped()),
        "text/plain; version=0.0.4");
    return;
  }
  answer_error(response, 404, "ROUTE_NOT_FOUND",
               "no admin endpoint at " + path +
                   "; see /__admin/health, /__admin/requests, /__admin/reset, /__admin/contract, "
                   "/__admin/metrics");
}

}  // namespace prm_mock
