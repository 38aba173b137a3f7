#include "stubs/response_renderer.hpp"

#include <algorithm>

namespace prm_mock {

RenderedResponse render(const Fixture& fixture, const RequestContext& request) {
  RenderedResponse response;
  response.status = fixture.status;
  response.content_type = fixture.content_type;
  response.fixture_name = fixture.name;
  response.delay_ms = request.delay_random != nullptr ? fixture.delay.sample(*request.delay_random)
                                                      : fixture.delay.sample_unseeded();
  response.fault = fixture.fault;
  response.headers.reserve(fixture.headers.size());
  for (const auto& header : fixture.headers) {
    std::string value;
    header.value.render_text(request, value);
    // A value echoed from the request body could hold a line break: never let it split the header.
    std::replace_if(
        value.begin(), value.end(), [](char c) { return c == '\r' || c == '\n' || c == '\0'; },
        ' ');
    response.headers.emplace_back(header.name, std::move(value));
  }
  if (fixture.body) {
    response.has_body = true;
    response.body = fixture.body->render(request);
  }
  return response;
}

}  // namespace prm_mock
