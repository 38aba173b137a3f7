#pragma once
// `prm-mock verify`: replays every recorded fixture against a live server and reports drift.
#include <ostream>

#include "cli/command_options.hpp"
#include "prm_mock/config.hpp"

namespace prm_mock {

// Reads the fixtures in config.fixture_dirs (default: config.record_out), POSTs each one's
// recorded.request to options.target (with config's first API key, upstream CA, timeout and
// contract paths) and compares status and body shape, and the values at options.compare_values.
// Prints one line per fixture and a summary (or one JSON document with options.json). Returns 0
// when all pass, 1 on any drift, 2 on a usage problem (no --target, nothing recorded to replay).
int run_verify_command(const Config& config, const VerifyOptions& options, std::ostream& out,
                       std::ostream& err);

}  // namespace prm_mock
