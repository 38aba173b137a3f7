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

// health.
struct HealthOptions {
  std::string url;  // --url: the server to probe; empty: http://HOST:PORT from Config's host/port
};

// verify.
struct VerifyOptions {
  std::string target;                       // --target: the live server to replay recordings to
  std::vector<std::string> compare_values;  // --compare-values: pointers whose values must match
  bool json = false;                        // --format json
};

}  // namespace prm_mock
