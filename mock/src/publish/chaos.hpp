#pragma once
// --chaos: for soak tests, a share of the publishes that a fixture would answer 2xx get an error
// or a transport fault instead, decided per request from its seeded stream
// (text/seeded_random.hpp), so a seeded run injects the same answers into the same requests.
#include <httplib.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/exchange_context.hpp"
#include "text/seeded_random.hpp"

namespace prm_mock {

enum class ChaosKind { Status500, Status503, Status429, ConnectionReset, EmptyResponse, Timeout };

// The spelling of --chaos and of the journal and metrics: "500", "503", "429", "connection_reset",
// "empty_response", "timeout".
std::string_view chaos_kind_name(ChaosKind kind);

// Seconds in the Retry-After of an injected 429 or 503: short, so a retrying client's soak test
// keeps its pace.
inline constexpr int kChaosRetryAfterSeconds = 1;

struct ChaosPolicy {
  double rate = 0;  // share of eligible publishes answered by chaos, 0-1
  std::vector<ChaosKind> kinds;
  bool enabled() const { return rate > 0 && !kinds.empty(); }
};

// "RATE" or "RATE:WHAT,WHAT..."; the default set is 500, 503, 429, connection_reset and
// empty_response. Throws std::invalid_argument with a message for the command line.
ChaosPolicy parse_chaos_spec(std::string_view spec);

// Whether this request gets chaos, and which; always draws the same number of values from
// `random`, so the decision for one request never depends on another's.
std::optional<ChaosKind> choose_chaos(const ChaosPolicy& policy, RandomStream& random);

// Answers with `kind` instead of the fixture: a JSON error body (code CHAOS_INJECTED) or a fault
// the connection loop carries out; marks the exchange for the journal, log and metrics.
void answer_with_chaos(ChaosKind kind, httplib::Response& response, ExchangeContext& exchange);

}  // namespace prm_mock
