#pragma once
// The admin API under /__admin (DESIGN §5). For now: health.
#include <chrono>
#include <string>

#include <httplib.h>

#include "request_body.hpp"

namespace prm_mock {

struct AdminFacts {
  std::chrono::steady_clock::time_point started;
  std::string version;
  std::string publish_route;  // e.g. "POST /api/registries/artifacts"
};

class AdminEndpoints {
 public:
  explicit AdminEndpoints(AdminFacts facts) : facts_(std::move(facts)) {}

  static constexpr std::string_view kPrefix = "/__admin";

  void handle(const httplib::Request& request, httplib::Response& response, RequestBody& body) const;

 private:
  AdminFacts facts_;
};

}  // namespace prm_mock
