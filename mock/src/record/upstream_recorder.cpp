#include "record/upstream_recorder.hpp"

#include <chrono>
#include <stdexcept>

#include "diagnostics/error_response.hpp"
#include "http/connection_pseudo_headers.hpp"
#include "http/exchange_context.hpp"
#include "journal/request_log.hpp"
#include "record/fixture_name.hpp"
#include "record/recorded_fixture.hpp"
#include "record/recorded_headers.hpp"
#include "stubs/fixture_loader.hpp"
#include "text/ascii_text.hpp"
#include "text/utc_time_text.hpp"

namespace prm_mock {
namespace {

UpstreamTarget parsed_or_throw(const std::string& url) {
  auto target = parse_upstream_url(url);
  if (!target) {
    throw std::runtime_error("--upstream: expected an http:// or https:// URL, got '" + url + "'");
  }
  return *target;
}

httplib::Request forwarded_request(const httplib::Request& request, std::string path,
                                   const std::string& body_text) {
  httplib::Request forwarded;
  forwarded.method = request.method;
  forwarded.path = std::move(path);
  for (const auto& [name, value] : request.headers) {
    // Accept-Encoding is replaced by identity: the body relayed and recorded is plain JSON.
    if (is_connection_pseudo_header(name) || is_hop_by_hop_header(name) ||
        equals_ignoring_case(name, "Accept-Encoding"))
      continue;
    forwarded.headers.emplace(name, value);
  }
  forwarded.headers.emplace("Accept-Encoding", "identity");
  forwarded.body = body_text;
  return forwarded;
}

void answer_upstream_error(httplib::Response& response, int status, const std::string& code,
                           const std::string& message, ExchangeContext& exchange) {
  exchange.error_code = code;
  set_error_response(response, ErrorDetails{status, code, message, {}, -1}, exchange.request_id);
}

}  // namespace

UpstreamRecorder::UpstreamRecorder(const Config& config, const Contract& contract,
                                   std::string base_path)
    : config_(config),
      contract_(contract),
      base_path_(std::move(base_path)),
      target_(parsed_or_throw(config.upstream)),
      store_(config.record_out) {}

void UpstreamRecorder::respond(const httplib::Request& request, const std::string& body_text,
                               const rapidjson::Value& body, httplib::Response& response,
                               ExchangeContext& exchange) const {
  httplib::Client client(target_.origin);
  const auto timeout = std::chrono::milliseconds(config_.upstream_timeout_ms);
  client.set_connection_timeout(timeout);
  client.set_read_timeout(timeout);
  client.set_write_timeout(timeout);
  client.set_keep_alive(false);
  client.set_decompress(false);  // relay bytes as received
  if (!config_.upstream_ca.empty()) client.set_ca_cert_path(config_.upstream_ca.c_str());
  client.enable_server_certificate_verification(!config_.insecure);

  const auto started = std::chrono::steady_clock::now();
  const httplib::Result result = client.send(
      forwarded_request(request, upstream_path(target_, base_path_, request.path), body_text));
  if (!result) {
    const bool timed_out = result.error() == httplib::Error::ConnectionTimeout ||
                           std::chrono::steady_clock::now() - started >= timeout;
    if (timed_out) {
      answer_upstream_error(response, 504, "UPSTREAM_TIMEOUT",
                            "the upstream did not answer within " +
                                std::to_string(config_.upstream_timeout_ms) + " ms",
                            exchange);
    } else {
      answer_upstream_error(response, 502, "UPSTREAM_UNAVAILABLE",
                            "the upstream could not be reached or sent no valid HTTP answer (" +
                                httplib::to_string(result.error()) + ")",
                            exchange);
    }
    return;
  }

  const httplib::Response& answer = *result;
  response.status = answer.status;
  for (const auto& [name, value] : answer.headers) {
    // Access-Control-* would repeat the ones this server adds itself (--cors).
    if (is_hop_by_hop_header(name) || equals_ignoring_case(name, "Content-Type") ||
        starts_with_ignoring_case(name, "Access-Control-"))
      continue;
    response.headers.emplace(name, value);
  }
  const std::string content_type = answer.get_header_value("Content-Type");
  response.body = answer.body;
  if (!content_type.empty()) response.set_header("Content-Type", content_type);

  exchange.fixture = record(body, answer, exchange);
}

std::string UpstreamRecorder::record(const rapidjson::Value& body, const httplib::Response& answer,
                                     const ExchangeContext& request_exchange) const {
  rapidjson::Document answer_body;
  const bool has_body = !answer.body.empty();
  if (has_body) {
    answer_body.Parse(answer.body.c_str(), answer.body.size());
    if (answer_body.HasParseError()) {
      log_event(config_.log_format, "not recorded: the upstream's " +
                                        std::to_string(answer.status) + " body is not JSON");
      return "";
    }
  }
  RecordedAnswer recorded_answer;
  recorded_answer.status = answer.status;
  for (const auto& [name, value] : answer.headers) {
    if (is_hop_by_hop_header(name) || is_set_by_mock(name)) continue;
    recorded_answer.headers.emplace_back(
        name, recorded_header_value(name, value, config_.redact_headers));
  }
  recorded_answer.body = has_body ? &answer_body : nullptr;

  rapidjson::Document scratch;
  const rapidjson::Value response = response_value(recorded_answer, scratch.GetAllocator());
  RecordedExchange exchange;
  exchange.request_body = &body;
  exchange.keep_request = contract_.validate(body).empty();
  exchange.at = format_utc_rfc3339_ms(request_exchange.received_at);
  exchange.from = config_.upstream;

  // A file is only written when it loads: e.g. a body string containing "{{" would read as a
  // template, and a fixture that breaks the --fixtures set is worse than none.
  std::string load_problem;
  const auto fixture_text = [&](const std::string& name) {
    std::string text = recorded_fixture_text(name, response, exchange);
    const LoadResult trial = load_fixture_layers(
        {FixtureLayer{"recording", {FixtureFile{name + ".json", text}}, {}}}, contract_);
    if (!trial.ok()) {
      load_problem = to_string(trial.problems.front());
      return std::string();
    }
    return text;
  };
  // Render once up front to find a fixture that would not load before touching the directory.
  fixture_text(fixture_name_for(body));
  if (!load_problem.empty()) {
    log_event(config_.log_format, "not recorded: the fixture would not load: " + load_problem);
    return "";
  }
  std::string problem;
  const auto name = store_.record(fixture_name_for(body), response, fixture_text, problem);
  if (!name) {
    log_event(config_.log_format, "not recorded: " + problem);
    return "";
  }
  return *name;
}

}  // namespace prm_mock
