#pragma once
// Everything a running mock can be told, with the defaults of DESIGN §6.
#include <cstddef>
#include <string>
#include <vector>

namespace prm_mock {

enum class ValidationMode { Strict, Warn, Off };
enum class LogFormat { Text, Json };

struct Config {
  std::string host = "127.0.0.1";
  int port = 4010;             // 0 picks a free port
  std::string port_file;       // when set, the bound port is written there once listening
  int threads = 64;            // worker threads; each keep-alive connection holds one while open
  std::size_t max_body_bytes = 10 * 1024 * 1024;
  std::size_t max_json_depth = 256;
  std::string base_path;       // empty: the contract's servers[0].url ("/api")
  std::vector<std::string> api_keys;  // empty: any non-empty key is accepted
  ValidationMode validation = ValidationMode::Strict;
  bool strict_advisory = false;  // --strict: advisory rules become 400s
  std::string contract_file;     // empty: the embedded contract
  LogFormat log_format = LogFormat::Text;
  bool cors = true;
  bool quiet = false;            // no per-request log lines (tests, benchmarks)
};

}  // namespace prm_mock
