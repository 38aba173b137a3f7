#pragma once
// What the flags set besides prm_mock::Config: options that only one command reads. They stay out
// of the public Config, which holds only what prm_mock::Server uses.
#include <string>
#include <vector>

namespace prm_mock {

// serve and record.
struct ServeOptions {
  std::string port_file;  // --port-file: when set, the bound port is written there once listening
};

// health and tail.
struct HealthOptions {
  std::string url;  // --url: the server to probe; empty: http://HOST:PORT from Config's host/port
};

// Whether tail colours its lines: auto colours only a terminal, and not under NO_COLOR.
enum class ColourMode { Auto, Always, Never };

// tail (its --url is HealthOptions::url, its --admin-token Config::admin_token).
struct TailOptions {
  std::string status;  // --status: "4xx", "2xx,5xx", "404"...; checked when parsed; empty: all
  bool json = false;   // --json: each entry's JSON on one line
  ColourMode colour = ColourMode::Auto;  // --color
};

// verify.
struct VerifyOptions {
  std::string target;                       // --target: the live server to replay recordings to
  std::vector<std::string> compare_values;  // --compare-values: pointers whose values must match
  bool json = false;                        // --format json
};

}  // namespace prm_mock
