#pragma once
#include <ostream>
#include <string>

#include "cli/command_options.hpp"
#include "prm_mock/config.hpp"

namespace prm_mock {

// The URL `prm-mock health` probes: options.url when set (--url / PRM_MOCK_HEALTH_URL), else
// http://HOST:PORT from --host/--port (a wildcard host becomes 127.0.0.1), so that inside a
// container the same PRM_MOCK_* variables point the probe at the running server.
std::string health_probe_url(const Config& config, const HealthOptions& options);

// `prm-mock health`: GETs <url>/__admin/health. 0 when it answers 200 with "status":"ok", else 1
// (with the reason on `err`). Used by the container image's HEALTHCHECK, which has no curl.
int run_health_command(const Config& config, const HealthOptions& options, std::ostream& out,
                       std::ostream& err);

}  // namespace prm_mock
