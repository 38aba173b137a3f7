#pragma once
#include <ostream>

#include "cli/command_options.hpp"
#include "prm_mock/config.hpp"

namespace prm_mock {

// `prm-mock tail`: follows GET /__admin/requests/stream of the mock at --url (default from
// --host/--port, as `health`) and prints one line per request as it is journaled (see
// tail_line_format.hpp), or with --json each entry's JSON. Sends --admin-token as a bearer token.
// When the mock cannot be reached or the stream ends it says so once on `err` and reconnects every
// second, resuming after the last event it printed (or from the first request of a mock that
// restarted). Returns 0 after SIGINT or SIGTERM, 1 when the mock refuses the stream (401 without
// the right token, 404 from a mock without it, 501 over HTTPS) or the URL is unusable.
int run_tail_command(const Config& config, const HealthOptions& health, const TailOptions& options,
                     std::ostream& out, std::ostream& err);

}  // namespace prm_mock
