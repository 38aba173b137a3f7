#pragma once
#include "cli/command_options.hpp"
#include "prm_mock/config.hpp"

namespace prm_mock {

// `prm-mock serve` (and `record`, which is serve with config.upstream set): runs the mock until
// SIGTERM or SIGINT, then drains in-flight requests and returns 0. A second signal during the drain
// exits at once. Once listening it writes the bound port to options.port_file when that is set.
// Returns kExitPortInUse when another server listens on the port, 1 when it cannot start for any
// other reason, 2 for an unusable contract.
int run_serve_command(const Config& config, const ServeOptions& options);

inline constexpr int kExitPortInUse = 3;

}  // namespace prm_mock
