#pragma once
// The admin API under /__admin: health, the request journal, reset, the contract in use, and
// metrics. Every answer is JSON (metrics: Prometheus text); errors use error_response.hpp's body.
#include <httplib.h>

#include <chrono>
#include <functional>
#include <mutex>
#include <string>

#include "admin/metrics.hpp"
#include "contract/contract.hpp"
#include "journal/journal.hpp"
#include "publish/request_body.hpp"
#include "stubs/fixture_store.hpp"

namespace prm_mock {

struct AdminServices {
  std::chrono::steady_clock::time_point started;
  std::string version;
  std::string publish_route;  // e.g. "POST /api/registries/artifacts"
  std::string admin_token;    // empty: no token needed
  const Contract* contract = nullptr;
  Journal* journal = nullptr;
  const Metrics* metrics = nullptr;
  FixtureStore* fixtures = nullptr;
  std::size_t max_json_depth = 256;  // admin bodies get the API's limits
  std::size_t max_body_bytes = 10 * 1024 * 1024;
  std::function<void()> reset_state;  // state and run-time fixtures back to start
  // Prometheus lines about connections (open, refused, timed out), appended to /__admin/metrics.
  std::function<std::string()> connection_metrics;
};

class AdminEndpoints {
 public:
  explicit AdminEndpoints(AdminServices services);

  static constexpr std::string_view kPrefix = "/__admin";

  void handle(const httplib::Request& request, httplib::Response& response, RequestBody& body,
              ExchangeContext& exchange) const;

 private:
  void handle_fixtures(const httplib::Request& request, httplib::Response& response,
                       RequestBody& body, ExchangeContext& exchange) const;
  void handle_search(const httplib::Request& request, httplib::Response& response,
                     RequestBody& body, bool only_count, ExchangeContext& exchange) const;

  AdminServices services_;
  std::string contract_json_;
  // Run-time fixture edits read, change and replace the whole set: one at a time.
  mutable std::mutex fixture_edits_;  // serialised once: the document does not change while serving
};

}  // namespace prm_mock
