#pragma once
// The fixture file (schemas/fixture.schema.json) for one recorded exchange.
#include <rapidjson/document.h>

#include <string>
#include <utility>
#include <vector>

namespace prm_mock {

// Recordings answer their own requests ahead of the defaults (whose highest priority is 100), so a
// recorded 200 is not shadowed by, say, the rate-limited test value.
constexpr int kRecordedPriority = 1000;

struct RecordedAnswer {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // already filtered and redacted
  const rapidjson::Value* body = nullptr;                    // null: the answer had no body
};

// {status, headers?, body?} as the fixture's `response` member; also what decides whether two
// answers to the same identity are "the same".
rapidjson::Value response_value(const RecordedAnswer& answer,
                                rapidjson::Document::AllocatorType& allocator);

struct RecordedExchange {
  const rapidjson::Value* request_body = nullptr;  // the identity comes from here
  bool keep_request = true;  // false when the body violates the contract (--validation warn|off)
  std::string at;            // RFC 3339
  std::string from;          // the upstream URL
};

// The whole fixture file, pretty-printed: name, priority, when.body equals-conditions on the
// identity members present, response, recorded {at, from, request}.
std::string recorded_fixture_text(const std::string& name, const rapidjson::Value& response,
                                  const RecordedExchange& exchange);

}  // namespace prm_mock
