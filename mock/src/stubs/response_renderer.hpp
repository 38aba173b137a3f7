#pragma once
// What the server sends for a chosen fixture: status, headers and body with templates filled in,
// plus the delay and fault the server applies itself.
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "stubs/fixture.hpp"
#include "stubs/request_context.hpp"

namespace prm_mock {

struct RenderedResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;  // fixture headers, templates applied
  std::string content_type;  // "application/json" unless the fixture says otherwise
  bool has_body = false;
  std::string body;          // JSON text when has_body
  std::string fixture_name;  // for X-Mock-Fixture
  int delay_ms = 0;          // the fixture's delay, sampled for this request
  Fault fault = Fault::None;
};

// The response of `fixture`, or of its step `step` when it is a sequence (a step past the last is
// the last).
RenderedResponse render(const Fixture& fixture, const RequestContext& request,
                        std::size_t step = 0);

}  // namespace prm_mock
