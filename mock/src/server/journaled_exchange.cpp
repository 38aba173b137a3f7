#include "server/journaled_exchange.hpp"

#include "http/connection_pseudo_headers.hpp"

namespace prm_mock {
namespace {

// Nothing reaches the client when a fault resets or closes the connection or holds it open, or
// when no status was set (a TLS client on the plain port, which could not read an answer).
bool response_sent(const httplib::Response& response, const ExchangeContext& exchange) {
  return exchange.fault == ConnectionFault::None && response.status > 0;
}

}  // namespace

ExchangeRecord journal_record_of(const httplib::Request& request, const httplib::Response& response,
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
  record.scope = exchange.scope;
  record.violations = std::move(findings.violations);
  record.warnings = std::move(findings.warnings);
  record.latency_us = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::steady_clock::now() - exchange.started)
                          .count();
  record.delay_ms = exchange.delay.count();
  record.chaos = exchange.chaos;
  if (response_sent(response, exchange)) {
    record.response = ResponseRecord{response.status, response.headers, response.body};
  }
  return record;
}

}  // namespace prm_mock
