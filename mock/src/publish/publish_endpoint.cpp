#include "publish/publish_endpoint.hpp"

#include "diagnostics/error_response.hpp"
#include "diagnostics/violations_header.hpp"
#include "http/exchange_context.hpp"
#include "http/media_type.hpp"
#include "publish/advisory_rules.hpp"
#include "publish/auth.hpp"
#include "publish/json_body.hpp"
#include "publish/request_body_errors.hpp"

namespace prm_mock {
namespace {

std::string count_of(std::size_t count, const char* noun) {
  return std::to_string(count) + " " + noun + (count == 1 ? "" : "s");
}

void reject_publish(httplib::Response& response, ErrorDetails error, ExchangeContext& exchange) {
  exchange.error_code = error.code;
  exchange.first_problem = error.violations.empty() ? error.message
                                                    : error.violations.front().pointer + ": " +
                                                          error.violations.front().message;
  set_error_response(response, error, exchange.request_id);
}

std::string first_problem_of(const Violations& violations) {
  return violations.empty() ? std::string()
                            : violations.front().pointer + ": " + violations.front().message;
}

}  // namespace

PublishEndpoint::PublishEndpoint(const Config& config, const Contract& contract,
                                 const Responder& responder)
    : config_(config), contract_(contract), responder_(responder) {}

void PublishEndpoint::handle(const httplib::Request& request, httplib::Response& response,
                             RequestBody& body, PublishFindings& findings,
                             ExchangeContext& exchange) const {
  // Step 2: auth.
  const AuthOutcome auth = authenticate(request.headers, config_.api_keys);
  if (!auth.accepted) {
    body.discard(config_.max_body_bytes);
    response.set_header("WWW-Authenticate", "Bearer");
    return reject_publish(response, {401, "UNAUTHORIZED", auth.problem, {}, -1}, exchange);
  }
  // Step 3: media type.
  if (const std::string problem = json_media_type_problem(request.get_header_value("Content-Type"));
      !problem.empty()) {
    body.discard(config_.max_body_bytes);
    return reject_publish(response, {415, "UNSUPPORTED_MEDIA_TYPE", problem, {}, -1}, exchange);
  }
  // Step 4: size, without buffering more than the limit (and a body whose framing is broken or that
  // stops arriving is refused here too).
  std::string& text = findings.body_text;
  if (auto error = body_read_error(body.read(text, config_.max_body_bytes), body,
                                   config_.max_body_bytes, "request body")) {
    return reject_publish(response, std::move(*error), exchange);
  }
  // Step 5: syntax.
  auto parsed = std::make_shared<rapidjson::Document>();
  if (const auto error = parse_json_body(text, *parsed, config_.max_json_depth)) {
    ErrorDetails details{
        400, error->code, error->message, {}, static_cast<long long>(error->offset)};
    return reject_publish(response, std::move(details), exchange);
  }
  findings.body = parsed;
  const rapidjson::Document& document = *parsed;
  // Step 6: contract, then the advisory rules.
  if (config_.validation != ValidationMode::Off) {
    Violations violations = contract_.validate(document);
    Violations warnings = check_advisory_rules(document);
    const bool only_advisory = violations.empty();
    if (config_.strict_advisory) {
      violations.insert(violations.end(), warnings.begin(), warnings.end());
      warnings.clear();
    }
    findings.violations = violations;
    findings.warnings = warnings;
    if (!violations.empty()) {
      if (config_.validation == ValidationMode::Strict) {
        return reject_publish(
            response,
            {400, only_advisory ? "ADVISORY_RULE_VIOLATION" : "CONTRACT_VIOLATION",
             (only_advisory ? "request body breaks advisory rules under --strict ("
                            : "request body violates the contract (") +
                 count_of(violations.size(), "problem") + ")",
             std::move(violations), -1},
            exchange);
      }
      exchange.first_problem = first_problem_of(violations);
      response.set_header("X-Mock-Violations", violations_header_value(violations));
    }
    if (!warnings.empty()) {
      if (exchange.first_problem.empty()) exchange.first_problem = first_problem_of(warnings);
      response.set_header("X-Mock-Warnings", violations_header_value(warnings));
    }
  }
  // Step 7: the fixture that matches best answers.
  responder_.respond(request, text, document, response, exchange);
}

}  // namespace prm_mock
