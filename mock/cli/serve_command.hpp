#pragma once
#include "prm_mock/config.hpp"

namespace prm_mock {

// `prm-mock serve`: runs the mock until SIGTERM or SIGINT, then drains in-flight requests and
// returns 0. A second signal during the drain exits at once. Returns kExitPortInUse when another
// server listens on the port, 1 when it cannot start for any other reason.
int run_serve_command(const Config& config);

inline constexpr int kExitPortInUse = 3;

}  // namespace prm_mock
