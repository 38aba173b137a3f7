#include "stubs/response_renderer.hpp"

#include <algorithm>

namespace prm_mock {

RenderedResponse render(const Fixture& fixture, const RequestContext& request, std::size_t step) {
  const FixtureResponse& written = fixture.responses[std::min(step, fixture.responses.size() - 1)];
  RenderedResponse response;
  response.status = written.status;
  response.content_type = written.content_type;
  response.fixture_name = fixture.name;
  response.delay_ms = request.delay_random != nullptr ? written.delay.sample(*request.delay_random)
                                                      : written.delay.sample_unseeded();
  response.fault = written.fault;
  response.headers.reserve(written.headers.size());
  for (const auto& header : written.headers) {
    std::string value;
    header.value.render_text(request, value);
    // A value echoed from the request body could hold a line break: never let it split the header.
    std::replace_if(
        value.begin(), value.end(), [](char c) { return c == '\r' || c == '\n' || c == '\0'; },
        ' ');
    response.headers.emplace_back(header.name, std::move(value));
  }
  if (written.body) {
    response.has_body = true;
    response.body = written.body->render(request);
  }
  return response;
}

}  // namespace prm_mock
