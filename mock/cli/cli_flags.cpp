#include "cli/cli_flags.hpp"

#include <array>

#include "cli/cli_values.hpp"
#include "http/http_authority.hpp"

namespace prm_mock {
namespace {

using Expectation = std::optional<std::string>;

Expectation set_host(Config& config, std::string_view value) {
  if (value.empty()) return "expected a host name or address";
  config.host = value;
  return std::nullopt;
}

Expectation set_port(Config& config, std::string_view value) {
  const auto port = parse_integer_in_range(value, 0, 65535);
  if (!port) return "expected an integer 0-65535";
  config.port = static_cast<int>(*port);
  return std::nullopt;
}

Expectation set_port_file(Config& config, std::string_view value) {
  if (value.empty()) return "expected a file path";
  config.port_file = value;
  return std::nullopt;
}

Expectation set_threads(Config& config, std::string_view value) {
  const auto threads = parse_integer_in_range(value, 1, 1024);
  if (!threads) return "expected an integer 1-1024";
  config.threads = static_cast<int>(*threads);
  return std::nullopt;
}

// Timeouts share one range: at least 1 ms, at most a day.
std::optional<int> parse_milliseconds(std::string_view value) {
  const auto milliseconds = parse_integer_in_range(value, 1, 86'400'000);
  if (!milliseconds) return std::nullopt;
  return static_cast<int>(*milliseconds);
}

Expectation set_max_connections(Config& config, std::string_view value) {
  const auto connections = parse_integer_in_range(value, 1, 100000);
  if (!connections) return "expected an integer 1-100000";
  config.max_connections = static_cast<int>(*connections);
  return std::nullopt;
}

Expectation set_idle_timeout(Config& config, std::string_view value) {
  const auto milliseconds = parse_milliseconds(value);
  if (!milliseconds) return "expected milliseconds, 1-86400000";
  config.idle_timeout_ms = *milliseconds;
  return std::nullopt;
}

Expectation set_request_timeout(Config& config, std::string_view value) {
  const auto milliseconds = parse_milliseconds(value);
  if (!milliseconds) return "expected milliseconds, 1-86400000";
  config.request_timeout_ms = *milliseconds;
  return std::nullopt;
}

Expectation set_io_timeout(Config& config, std::string_view value) {
  const auto milliseconds = parse_milliseconds(value);
  if (!milliseconds) return "expected milliseconds, 1-86400000";
  config.io_timeout_ms = *milliseconds;
  return std::nullopt;
}

Expectation set_tls_cert(Config& config, std::string_view value) {
  if (value.empty()) return "expected a PEM file path";
  config.tls_cert = value;
  return std::nullopt;
}

Expectation set_tls_key(Config& config, std::string_view value) {
  if (value.empty()) return "expected a PEM file path";
  config.tls_key = value;
  return std::nullopt;
}

Expectation set_byte_size(std::size_t& field, std::string_view value) {
  const auto bytes = parse_byte_size(value);
  if (!bytes)
    return "expected a positive byte count, optionally with suffix k, m or g (KiB, MiB, GiB)";
  field = *bytes;
  return std::nullopt;
}

Expectation set_max_body_bytes(Config& config, std::string_view value) {
  return set_byte_size(config.max_body_bytes, value);
}

Expectation set_max_json_depth(Config& config, std::string_view value) {
  const auto depth = parse_integer_in_range(value, 1, 100000);
  if (!depth) return "expected an integer 1-100000";
  config.max_json_depth = static_cast<std::size_t>(*depth);
  return std::nullopt;
}

Expectation set_base_path(Config& config, std::string_view value) {
  auto path = normalise_base_path(value);
  if (!path) return "expected a path starting with '/' (use '/' for the root)";
  config.base_path = std::move(*path);
  return std::nullopt;
}

// The flag is repeatable, each occurrence adding one key. The env list replaces rather than adds,
// but it is only consulted when no --api-key was given, so both start from the empty default.
Expectation add_api_key(Config& config, std::string_view value) {
  if (value.empty()) return "expected a non-empty key";
  config.api_keys.emplace_back(value);
  return std::nullopt;
}

Expectation set_api_keys_from_list(Config& config, std::string_view value) {
  config.api_keys = split_comma_list(value);
  return std::nullopt;
}

Expectation set_validation(Config& config, std::string_view value) {
  if (value == "strict")
    config.validation = ValidationMode::Strict;
  else if (value == "warn")
    config.validation = ValidationMode::Warn;
  else if (value == "off")
    config.validation = ValidationMode::Off;
  else
    return "expected strict|warn|off";
  return std::nullopt;
}

Expectation set_bool(bool& field, std::string_view value) {
  const auto flag = parse_boolean(value);
  if (!flag) return "expected 1|true|yes|on or 0|false|no|off";
  field = *flag;
  return std::nullopt;
}

Expectation set_strict(Config& config, std::string_view value) {
  return set_bool(config.strict_advisory, value);
}

Expectation set_contract(Config& config, std::string_view value) {
  if (value.empty()) return "expected a file path";
  config.contract_file = value;
  return std::nullopt;
}

Expectation set_formats(Config& config, std::string_view value) {
  if (value == "assert")
    config.assert_formats = true;
  else if (value == "annotate")
    config.assert_formats = false;
  else
    return "expected assert|annotate";
  return std::nullopt;
}

Expectation set_log_format(Config& config, std::string_view value) {
  if (value == "text")
    config.log_format = LogFormat::Text;
  else if (value == "json")
    config.log_format = LogFormat::Json;
  else
    return "expected text|json";
  return std::nullopt;
}

Expectation set_cors(Config& config, std::string_view value) {
  return set_bool(config.cors, value);
}

Expectation set_quiet(Config& config, std::string_view value) {
  return set_bool(config.quiet, value);
}

Expectation add_fixture_dir(Config& config, std::string_view value) {
  if (value.empty()) return "expected a directory";
  config.fixture_dirs.emplace_back(value);
  return std::nullopt;
}

Expectation set_fixture_dirs_from_list(Config& config, std::string_view value) {
  config.fixture_dirs = split_comma_list(value);
  return std::nullopt;
}

Expectation set_stateful(Config& config, std::string_view value) {
  return set_bool(config.stateful, value);
}

Expectation set_journal_limit(Config& config, std::string_view value) {
  const auto limit = parse_integer_in_range(value, 0, 10000000);
  if (!limit) return "expected an integer 0-10000000";
  config.journal_limit = static_cast<std::size_t>(*limit);
  return std::nullopt;
}

Expectation set_journal_max_bytes(Config& config, std::string_view value) {
  return set_byte_size(config.journal_max_bytes, value);
}

Expectation set_journal_file(Config& config, std::string_view value) {
  if (value.empty()) return "expected a file path";
  config.journal_file = value;
  return std::nullopt;
}

Expectation set_admin_token(Config& config, std::string_view value) {
  if (value.empty()) return "expected a non-empty token";
  config.admin_token = value;
  return std::nullopt;
}

// Repeatable like --api-key: each flag adds one name, the env list is read only without a flag.
Expectation add_allowed_host(Config& config, std::string_view value) {
  const auto authority = parse_authority(value);
  if (!authority || authority->port) return "expected a host name or address, without a port";
  config.allowed_hosts.emplace_back(value);
  return std::nullopt;
}

// An env list goes item by item through the flag's own check; the first bad item refuses it.
Expectation add_each_listed(Config& config, std::string_view list, std::vector<std::string>& field,
                            ApplyValue add_one) {
  field.clear();
  for (const std::string& item : split_comma_list(list)) {
    if (const auto expectation = add_one(config, item)) return expectation;
  }
  return std::nullopt;
}

Expectation set_allowed_hosts_from_list(Config& config, std::string_view value) {
  return add_each_listed(config, value, config.allowed_hosts, add_allowed_host);
}

Expectation add_admin_cors_origin(Config& config, std::string_view value) {
  if (!parse_web_origin(value)) return "expected an origin like http://localhost:3000 (no path)";
  config.admin_cors_origins.emplace_back(value);
  return std::nullopt;
}

Expectation set_admin_cors_origins_from_list(Config& config, std::string_view value) {
  return add_each_listed(config, value, config.admin_cors_origins, add_admin_cors_origin);
}

Expectation set_health_url(Config& config, std::string_view value) {
  if (!value.starts_with("http://") && !value.starts_with("https://")) {
    return "expected an http:// URL";
  }
  config.health_url = value;
  return std::nullopt;
}

// record / verify.
Expectation set_upstream(Config& config, std::string_view value) {
  if (!value.starts_with("http://") && !value.starts_with("https://"))
    return "expected an http:// or https:// URL";
  config.upstream = value;
  return std::nullopt;
}

Expectation set_upstream_ca(Config& config, std::string_view value) {
  if (value.empty()) return "expected a file path";
  config.upstream_ca = value;
  return std::nullopt;
}

Expectation set_insecure(Config& config, std::string_view value) {
  return set_bool(config.insecure, value);
}

Expectation set_upstream_timeout(Config& config, std::string_view value) {
  const auto milliseconds = parse_integer_in_range(value, 1, 3600000);
  if (!milliseconds) return "expected milliseconds 1-3600000";
  config.upstream_timeout_ms = static_cast<int>(*milliseconds);
  return std::nullopt;
}

Expectation set_record_out(Config& config, std::string_view value) {
  if (value.empty()) return "expected a directory";
  config.record_out = value;
  return std::nullopt;
}

Expectation add_redact_header(Config& config, std::string_view value) {
  if (value.empty()) return "expected a header name";
  config.redact_headers.emplace_back(value);
  return std::nullopt;
}

Expectation set_redact_headers_from_list(Config& config, std::string_view value) {
  config.redact_headers = split_comma_list(value);
  return std::nullopt;
}

Expectation set_verify_target(Config& config, std::string_view value) {
  if (!value.starts_with("http://") && !value.starts_with("https://"))
    return "expected an http:// or https:// URL";
  config.verify_target = value;
  return std::nullopt;
}

Expectation set_compare_values(Config& config, std::string_view value) {
  std::vector<std::string> pointers = split_comma_list(value);
  for (const std::string& pointer : pointers) {
    if (!pointer.starts_with("/")) return "expected JSON Pointers like /id,/status";
  }
  config.compare_values = std::move(pointers);
  return std::nullopt;
}

Expectation set_verify_format(Config& config, std::string_view value) {
  if (value != "text" && value != "json") return "expected text|json";
  config.verify_json = value == "json";
  return std::nullopt;
}

// Column order: name, env, placeholder, switch value, default, description, apply, apply_env.
constexpr std::array kFlags{
    FlagSpec{"--host", "PRM_MOCK_HOST", "HOST", "", "127.0.0.1",
             "Address to listen on (the container image sets 0.0.0.0).", set_host, set_host},
    FlagSpec{"--port", "PRM_MOCK_PORT", "N", "", "4010",
             "TCP port, 0-65535; 0 picks a free port and prints it.", set_port, set_port},
    FlagSpec{"--port-file", "PRM_MOCK_PORT_FILE", "FILE", "", "",
             "Write the bound port to FILE once listening.", set_port_file, set_port_file},
    FlagSpec{"--threads", "PRM_MOCK_THREADS", "N", "", "cores",
             "Worker threads, 1-1024; waiting costs none (idle, delayed or held).", set_threads,
             set_threads},
    FlagSpec{"--max-connections", "PRM_MOCK_MAX_CONNECTIONS", "N", "", "1024",
             "Open connections beyond N are answered 503 and closed, 1-100000.",
             set_max_connections, set_max_connections},
    FlagSpec{"--idle-timeout", "PRM_MOCK_IDLE_TIMEOUT", "MS", "", "60000",
             "Close a keep-alive connection that sends no request for MS milliseconds.",
             set_idle_timeout, set_idle_timeout},
    FlagSpec{"--request-timeout", "PRM_MOCK_REQUEST_TIMEOUT", "MS", "", "30000",
             "A request's head and body must arrive within MS of its first byte.",
             set_request_timeout, set_request_timeout},
    FlagSpec{"--io-timeout", "PRM_MOCK_IO_TIMEOUT", "MS", "", "10000",
             "End a connection when one read or write waits longer than MS.", set_io_timeout,
             set_io_timeout},
    FlagSpec{"--tls-cert", "PRM_MOCK_TLS_CERT", "FILE", "", "plain HTTP",
             "Serve HTTPS with this PEM certificate (chain); needs --tls-key.", set_tls_cert,
             set_tls_cert},
    FlagSpec{"--tls-key", "PRM_MOCK_TLS_KEY", "FILE", "", "", "PEM private key of --tls-cert.",
             set_tls_key, set_tls_key},
    FlagSpec{"--max-body-bytes", "PRM_MOCK_MAX_BODY_BYTES", "SIZE", "", "10m",
             "Largest accepted body (413 above); suffix k, m or g means KiB, MiB, GiB.",
             set_max_body_bytes, set_max_body_bytes},
    FlagSpec{"--max-json-depth", "PRM_MOCK_MAX_JSON_DEPTH", "N", "", "256",
             "Deepest accepted JSON nesting (400 above), 1-100000.", set_max_json_depth,
             set_max_json_depth},
    FlagSpec{"--base-path", "PRM_MOCK_BASE_PATH", "PATH", "", "the contract's servers[0].url, /api",
             "Path prefix of the API; must start with '/'; '/' serves at the root.", set_base_path,
             set_base_path},
    FlagSpec{"--api-key", "PRM_MOCK_API_KEYS", "KEY", "", "any non-empty key is accepted",
             "Accept only this key; repeat for more (env: comma-separated list).", add_api_key,
             set_api_keys_from_list},
    FlagSpec{"--validation", "PRM_MOCK_VALIDATION", "MODE", "", "strict",
             "strict: 400 on violations; warn: report them but answer; off: skip.", set_validation,
             set_validation},
    FlagSpec{"--strict", "PRM_MOCK_STRICT", "", "true", "off",
             "Advisory rules (semver, name pattern, org/registry, hex hash) are errors.",
             set_strict, set_strict},
    FlagSpec{"--contract", "PRM_MOCK_CONTRACT", "FILE", "", "the embedded contract",
             "OpenAPI document (YAML or JSON) to use instead of the embedded one.", set_contract,
             set_contract},
    FlagSpec{"--formats", "PRM_MOCK_FORMATS", "MODE", "", "assert",
             "assert: strings must match their format (date...); annotate: unchecked.", set_formats,
             set_formats},
    FlagSpec{"--log-format", "PRM_MOCK_LOG_FORMAT", "FORMAT", "", "text",
             "Log line format: text or json.", set_log_format, set_log_format},
    FlagSpec{"--cors", "PRM_MOCK_CORS", "", "true", "on",
             "Answer CORS preflights and add CORS headers to responses.", set_cors, set_cors},
    FlagSpec{"--no-cors", "PRM_MOCK_CORS", "", "false", "", "Turn CORS off.", set_cors, set_cors},
    FlagSpec{"--fixtures", "PRM_MOCK_FIXTURES", "DIR", "", "the embedded fixtures only",
             "Load fixtures from DIR (repeatable; env: comma list); same names replace.",
             add_fixture_dir, set_fixture_dirs_from_list},
    FlagSpec{"--stateful", "PRM_MOCK_STATEFUL", "", "true", "off",
             "Remember publishes; a repeat of the same identity gets duplicate-version.",
             set_stateful, set_stateful},
    FlagSpec{"--journal-limit", "PRM_MOCK_JOURNAL_LIMIT", "N", "", "10000",
             "Journal entries kept in memory; the oldest are dropped and counted.",
             set_journal_limit, set_journal_limit},
    FlagSpec{"--journal-max-bytes", "PRM_MOCK_JOURNAL_MAX_BYTES", "BYTES", "", "256m",
             "Journal memory bound (k, m, g); the oldest entries are dropped past it.",
             set_journal_max_bytes, set_journal_max_bytes},
    FlagSpec{"--journal-file", "PRM_MOCK_JOURNAL_FILE", "FILE", "", "",
             "Also append every journal entry to FILE as one JSON line.", set_journal_file,
             set_journal_file},
    FlagSpec{"--admin-token", "PRM_MOCK_ADMIN_TOKEN", "TOKEN", "", "",
             "Require 'Authorization: Bearer TOKEN' on /__admin (health excepted).",
             set_admin_token, set_admin_token},
    FlagSpec{"--allowed-host", "PRM_MOCK_ALLOWED_HOSTS", "NAME", "",
             "localhost, 127.0.0.0/8, [::1]",
             "Also answer Host NAME (repeatable); off loopback any Host unless given.",
             add_allowed_host, set_allowed_hosts_from_list},
    FlagSpec{"--admin-cors-origin", "PRM_MOCK_ADMIN_CORS_ORIGINS", "ORIGIN", "",
             "the mock's own origin only",
             "Let pages from ORIGIN use /__admin (repeatable; env: comma list).",
             add_admin_cors_origin, set_admin_cors_origins_from_list},
    FlagSpec{"--url", "PRM_MOCK_HEALTH_URL", "URL", "", "http://HOST:PORT from --host/--port",
             "health: the server to probe, e.g. http://127.0.0.1:4010.", set_health_url,
             set_health_url},
    // record / verify.
    FlagSpec{"--upstream", "PRM_MOCK_UPSTREAM", "URL", "", "",
             "record: forward to URL (http or https); its path replaces the base path.",
             set_upstream, set_upstream},
    FlagSpec{"--upstream-ca", "PRM_MOCK_UPSTREAM_CA", "FILE", "", "the system's CAs",
             "record: PEM file of CAs trusted for an https upstream.", set_upstream_ca,
             set_upstream_ca},
    FlagSpec{"--insecure", "PRM_MOCK_INSECURE", "", "true", "off",
             "record: skip verifying the upstream's TLS certificate (test upstreams).",
             set_insecure, set_insecure},
    FlagSpec{"--upstream-timeout", "PRM_MOCK_UPSTREAM_TIMEOUT", "MS", "", "30000",
             "record: give up on the upstream after MS milliseconds (504).", set_upstream_timeout,
             set_upstream_timeout},
    FlagSpec{"--out", "PRM_MOCK_OUT", "DIR", "", "./recordings",
             "record: directory the recorded fixtures are written to.", set_record_out,
             set_record_out},
    FlagSpec{"--redact-header", "PRM_MOCK_REDACT_HEADERS", "NAME", "", "",
             "record: also redact header NAME (repeatable; env: comma list).", add_redact_header,
             set_redact_headers_from_list},
    FlagSpec{"--target", "PRM_MOCK_TARGET", "URL", "", "",
             "verify: server to replay against; a path in URL replaces the base path.",
             set_verify_target, set_verify_target},
    FlagSpec{"--compare-values", "PRM_MOCK_COMPARE_VALUES", "PTRS", "", "",
             "verify: comma list of JSON Pointers whose values must match too.", set_compare_values,
             set_compare_values},
    FlagSpec{"--format", "PRM_MOCK_FORMAT", "FORMAT", "", "text", "verify: report as text or json.",
             set_verify_format, set_verify_format},
    FlagSpec{"--quiet", "PRM_MOCK_QUIET", "", "true", "off", "No per-request log lines.", set_quiet,
             set_quiet},
};

}  // namespace

std::span<const FlagSpec> flag_specs() { return kFlags; }

const FlagSpec* find_flag(std::string_view name) {
  for (const FlagSpec& flag : kFlags) {
    if (flag.name == name) return &flag;
  }
  return nullptr;
}

}  // namespace prm_mock
