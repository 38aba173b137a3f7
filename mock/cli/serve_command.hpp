#pragma once
#include "cli/command_options.hpp"
#include "prm_mock/config.hpp"

namespace prm_mock {

// `prm-mock serve`: runs the mock until SIGTERM or SIGINT, then drains in-flight requests and
// returns 0. A second signal during the drain exits at once. Once listening it writes the bound
// port to options.port_file when that is set. Returns kExitPortInUse when another server listens
// on the port, 2 for an unusable contract, 1 when it cannot start for any other reason.
int run_serve_command(const Config& config, const ServeOptions& options);

// `prm-mock record`: serve with config.upstream answering each request and its answer written to
// config.record_out as a fixture. 2, with a usage message, when there is no --upstream.
int run_record_command(const Config& config, const ServeOptions& options);

inline constexpr int kExitPortInUse = 3;

}  // namespace prm_mock
