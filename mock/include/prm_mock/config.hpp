#pragma once
// Everything a running mock can be told, with its defaults (prm-mock --help lists them). Options
// that only a command of the prm-mock executable reads (--port-file, health's --url, verify's
// --target...) are not here: prm_mock::Server never sees them.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace prm_mock {

enum class ValidationMode { Strict, Warn, Off };
enum class LogFormat { Text, Json };

struct Config {
  std::string host = "127.0.0.1";
  int port = 4010;                 // 0 picks a free port
  int threads = 0;                 // worker threads; 0: one per core (at least 2)
  int max_connections = 1024;      // open connections beyond it are refused with a 503 and closed
  int idle_timeout_ms = 60000;     // a keep-alive connection without a request is closed after it
  int request_timeout_ms = 30000;  // a request's head and body must arrive within it (slowloris)
  int io_timeout_ms = 10000;       // one read or write that waits longer ends the connection
  std::string tls_cert;            // with tls_key: serve HTTPS with this PEM certificate chain
  std::string tls_key;             // PEM private key of tls_cert
  std::size_t max_body_bytes = 10 * 1024 * 1024;
  std::size_t max_json_depth = 256;
  std::string base_path;              // empty: the contract's servers[0].url ("/api")
  std::vector<std::string> api_keys;  // empty: any non-empty key is accepted
  ValidationMode validation = ValidationMode::Strict;
  bool strict_advisory = false;  // --strict: advisory rules become 400s
  std::string contract_file;     // empty: the embedded contract
  bool assert_formats = true;    // --formats annotate: `format` describes strings, asserts nothing
  LogFormat log_format = LogFormat::Text;
  bool cors = true;
  bool quiet = false;                     // no per-request log lines (tests, benchmarks)
  std::vector<std::string> fixture_dirs;  // added to (and replacing by name) the embedded defaults
  bool stateful = false;  // a repeated (registryRef, prompt, model, version) is a duplicate
  // Whose publishes --stateful remembers together: "apiKey" (each API key its own), "global", or
  // "header:NAME" (each value of that header its own). Server() throws std::invalid_argument for
  // anything else.
  std::string state_scope = "apiKey";
  // Makes chaos, sampled delays and {{uuid}} reproducible; unset: a seed from std::random_device
  // (and {{uuid}} fully random).
  std::optional<std::uint64_t> seed;
  // --chaos "RATE[:WHAT,...]", e.g. "0.2" or "0.1:503,429,connection_reset"; empty: none.
  std::string chaos;
  std::size_t journal_limit = 10000;
  std::size_t journal_max_bytes = 256 * 1024 * 1024;  // memory the held entries may take
  std::string journal_file;  // when set, every journal entry is appended there as a JSON line
  std::string admin_token;   // when set, /__admin (except health) needs "Bearer <token>"
  // GET /__admin/requests/stream sends a comment line after this long without an event (not a
  // command-line option: tests of an embedded server shorten it).
  int event_stream_keep_alive_ms = 15000;
  // Host names answered besides localhost, 127.0.0.0/8 and [::1]. Empty on a non-loopback --host:
  // every Host is answered.
  std::vector<std::string> allowed_hosts;
  std::vector<std::string> admin_cors_origins;  // origins whose pages may use /__admin
  // record / verify: forwarding to a real API and checking recordings against it.
  std::string upstream;     // record: when set, requests are forwarded here instead of fixtures
  std::string upstream_ca;  // record: CA bundle (PEM) that signs an https upstream
  bool insecure = false;    // record: do not verify the upstream's certificate
  int upstream_timeout_ms = 30000;
  std::string record_out = "recordings";
  std::vector<std::string> redact_headers;  // redacted in recordings besides the credential ones
};

}  // namespace prm_mock
