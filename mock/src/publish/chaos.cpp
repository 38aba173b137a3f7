#include "publish/chaos.hpp"

#include <array>
#include <charconv>
#include <stdexcept>
#include <utility>

#include "diagnostics/error_response.hpp"

namespace prm_mock {
namespace {

constexpr std::array<std::pair<ChaosKind, std::string_view>, 6> kChaosNames{{
    {ChaosKind::Status500, "500"},
    {ChaosKind::Status503, "503"},
    {ChaosKind::Status429, "429"},
    {ChaosKind::ConnectionReset, "connection_reset"},
    {ChaosKind::EmptyResponse, "empty_response"},
    {ChaosKind::Timeout, "timeout"},
}};

// A connection held unanswered for up to 2 minutes is too disruptive for a default soak test, so
// timeout is only injected when asked for by name.
constexpr std::array<ChaosKind, 5> kDefaultKinds{ChaosKind::Status500, ChaosKind::Status503,
                                                 ChaosKind::Status429, ChaosKind::ConnectionReset,
                                                 ChaosKind::EmptyResponse};

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

double chaos_rate_of(std::string_view text) {
  double rate = -1;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), rate);
  if (text.empty() || error != std::errc{} || end != text.data() + text.size() || !(rate >= 0) ||
      rate > 1) {
    throw std::invalid_argument("chaos rate '" + std::string(text) +
                                "' is not a number from 0 to 1");
  }
  return rate;
}

ChaosKind chaos_kind_of(std::string_view name) {
  for (const auto& [kind, spelling] : kChaosNames) {
    if (spelling == name) return kind;
  }
  std::string known;
  for (const auto& entry : kChaosNames)
    known += (known.empty() ? "" : ", ") + std::string(entry.second);
  throw std::invalid_argument("unknown chaos answer '" + std::string(name) + "' (known: " + known +
                              ")");
}

void answer_error(int status, httplib::Response& response, ExchangeContext& exchange) {
  std::string message = "chaos: injected " + std::to_string(status) + " (--chaos)";
  exchange.error_code = "CHAOS_INJECTED";
  exchange.first_problem = message;
  set_error_response(response, {status, "CHAOS_INJECTED", std::move(message), {}, -1},
                     exchange.request_id);
  if (status == 429 || status == 503) {
    response.set_header("Retry-After", std::to_string(kChaosRetryAfterSeconds));
  }
}

}  // namespace

std::string_view chaos_kind_name(ChaosKind kind) {
  for (const auto& [each, spelling] : kChaosNames) {
    if (each == kind) return spelling;
  }
  return "?";
}

ChaosPolicy parse_chaos_spec(std::string_view spec) {
  ChaosPolicy policy;
  const std::size_t colon = spec.find(':');
  policy.rate = chaos_rate_of(trimmed(spec.substr(0, colon)));
  if (colon == std::string_view::npos) {
    policy.kinds.assign(kDefaultKinds.begin(), kDefaultKinds.end());
    return policy;
  }
  std::string_view rest = spec.substr(colon + 1);
  while (true) {
    const std::size_t comma = rest.find(',');
    const std::string_view name = trimmed(rest.substr(0, comma));
    if (name.empty())
      throw std::invalid_argument("empty chaos answer in '" + std::string(spec) + "'");
    policy.kinds.push_back(chaos_kind_of(name));
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return policy;
}

std::optional<ChaosKind> choose_chaos(const ChaosPolicy& policy, RandomStream& random) {
  const double roll = random.uniform01();
  const std::uint64_t pick = random.next();
  if (!policy.enabled() || roll >= policy.rate) return std::nullopt;
  return policy.kinds[pick % policy.kinds.size()];
}

void answer_with_chaos(ChaosKind kind, httplib::Response& response, ExchangeContext& exchange) {
  exchange.chaos = std::string(chaos_kind_name(kind));
  response.set_header("X-Mock-Chaos", exchange.chaos);
  switch (kind) {
    case ChaosKind::Status500:
      return answer_error(500, response, exchange);
    case ChaosKind::Status503:
      return answer_error(503, response, exchange);
    case ChaosKind::Status429:
      return answer_error(429, response, exchange);
    case ChaosKind::ConnectionReset:
      exchange.fault = ConnectionFault::Reset;
      break;
    case ChaosKind::EmptyResponse:
      exchange.fault = ConnectionFault::CloseSilently;
      break;
    case ChaosKind::Timeout:
      exchange.fault = ConnectionFault::HoldOpen;
      break;
  }
  // No bytes reach the client: the journal keeps the status the caller set (the fixture's).
  exchange.error_code = "CHAOS_INJECTED";
  exchange.first_problem = "chaos: injected " + exchange.chaos + " (--chaos)";
}

}  // namespace prm_mock
