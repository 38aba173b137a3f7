#pragma once
// `prm-mock verify`: replays every recorded fixture against a live server and reports drift.
#include <ostream>

#include "prm_mock/config.hpp"

namespace prm_mock {

// Reads the fixtures in config.fixture_dirs (default: config.record_out), POSTs each one's
// recorded.request to config.verify_target and compares status and body shape. Prints one line
// per fixture and a summary (or one JSON document with config.verify_json). Returns 0 when all
// pass, 1 on any drift, 2 on a usage problem (no --target, nothing recorded to replay).
int run_verify_command(const Config& config, std::ostream& out, std::ostream& err);

}  // namespace prm_mock
