#pragma once
#include "prm_mock/config.hpp"

namespace prm_mock {

// `prm-mock serve`: runs the mock until SIGTERM or SIGINT, then drains in-flight requests and
// returns 0. A second signal during the drain exits at once. Returns 1 when it cannot start.
int run_serve_command(const Config& config);

}  // namespace prm_mock
