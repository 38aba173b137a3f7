#include "cli/cli_flags.hpp"

#include <array>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "cli/cli_values.hpp"
#include "cli/status_filter.hpp"
#include "http/http_authority.hpp"
#include "publish/chaos.hpp"
#include "stubs/scope.hpp"
#include "text/whole_number.hpp"

namespace prm_mock {
namespace {

using Expectation = std::optional<std::string>;

// ---------------------------------------------------------------------------------------------
// Kinds of value. Each generic setter below is instantiated once per flag with the field it fills
// (a pointer to a member of Config or of one command's options) and what the value must look like,
// so a flag is one table row.

// The part of the invocation a field belongs to.
template <typename Owner>
Owner& options_of(CliInvocation& invocation) {
  if constexpr (std::is_same_v<Owner, Config>) {
    return invocation.config;
  } else if constexpr (std::is_same_v<Owner, ServeOptions>) {
    return invocation.serve;
  } else if constexpr (std::is_same_v<Owner, HealthOptions>) {
    return invocation.health;
  } else if constexpr (std::is_same_v<Owner, TailOptions>) {
    return invocation.tail;
  } else {
    static_assert(std::is_same_v<Owner, VerifyOptions>, "a flag's field has no home");
    return invocation.verify;
  }
}

template <typename Member>
struct MemberOf;
template <typename Value, typename Owner>
struct MemberOf<Value Owner::*> {
  using OwnerType = Owner;
};

// The field `member` points to, in the invocation.
template <auto member>
auto& flag_field(CliInvocation& invocation) {
  return options_of<typename MemberOf<decltype(member)>::OwnerType>(invocation).*member;
}

// A text value's check: the text to store (possibly normalised), or nothing when it is refused.
using TextCheck = std::optional<std::string> (*)(std::string_view text);

struct TextRule {
  TextCheck accept;
  std::string_view expectation;  // the error's "expected ..." when accept refuses
};

std::optional<std::string> accept_non_empty(std::string_view text) {
  if (text.empty()) return std::nullopt;
  return std::string(text);
}

std::optional<std::string> accept_http_url(std::string_view text) {
  if (!text.starts_with("http://") && !text.starts_with("https://")) return std::nullopt;
  return std::string(text);
}

std::optional<std::string> accept_host_without_port(std::string_view text) {
  const auto authority = parse_authority(text);
  if (!authority || authority->port) return std::nullopt;
  return std::string(text);
}

std::optional<std::string> accept_web_origin(std::string_view text) {
  if (!parse_web_origin(text)) return std::nullopt;
  return std::string(text);
}

std::optional<std::string> accept_json_pointer(std::string_view text) {
  if (!text.starts_with("/")) return std::nullopt;
  return std::string(text);
}

constexpr TextRule kHostName{accept_non_empty, "expected a host name or address"};
constexpr TextRule kFilePath{accept_non_empty, "expected a file path"};
constexpr TextRule kPemFile{accept_non_empty, "expected a PEM file path"};
constexpr TextRule kDirectory{accept_non_empty, "expected a directory"};
constexpr TextRule kApiKey{accept_non_empty, "expected a non-empty key"};
constexpr TextRule kToken{accept_non_empty, "expected a non-empty token"};
constexpr TextRule kHeaderName{accept_non_empty, "expected a header name"};
constexpr TextRule kBasePath{normalise_base_path,
                             "expected a path starting with '/' (use '/' for the root)"};
constexpr TextRule kHttpUrl{accept_http_url, "expected an http:// or https:// URL"};
constexpr TextRule kAllowedHost{accept_host_without_port,
                                "expected a host name or address, without a port"};
constexpr TextRule kWebOrigin{accept_web_origin,
                              "expected an origin like http://localhost:3000 (no path)"};
constexpr TextRule kJsonPointer{accept_json_pointer, "expected JSON Pointers like /id,/status"};

std::optional<std::string> accept_status_filter(std::string_view text) {
  if (!StatusFilter::parse(text)) return std::nullopt;
  return std::string(text);
}
constexpr TextRule kStatusFilter{accept_status_filter,
                                 "expected statuses or classes like 4xx, 404 or 2xx,5xx"};

// The server parses it again; checked here so a bad value is a usage error (exit 2) with the flag.
std::optional<std::string> accept_scope_rule(std::string_view text) {
  std::string problem;
  if (!parse_scope_rule(text, problem)) return std::nullopt;
  return std::string(text);
}
constexpr TextRule kScopeRule{accept_scope_rule,
                              "expected apiKey, global or header:NAME (not a credential header)"};

template <auto member, const TextRule& rule>
Expectation set_text(CliInvocation& invocation, std::string_view value) {
  std::optional<std::string> accepted = rule.accept(value);
  if (!accepted) return std::string(rule.expectation);
  flag_field<member>(invocation) = std::move(*accepted);
  return std::nullopt;
}

// A repeatable flag: each occurrence adds one item.
template <auto member, const TextRule& rule>
Expectation add_list_item(CliInvocation& invocation, std::string_view value) {
  std::optional<std::string> accepted = rule.accept(value);
  if (!accepted) return std::string(rule.expectation);
  flag_field<member>(invocation).push_back(std::move(*accepted));
  return std::nullopt;
}

// A comma-separated list (items trimmed, empty ones dropped) that replaces the whole list; each
// item goes through the rule and the first bad one refuses the value. The environment twin of a
// repeatable flag is read only when no flag was given, so replacing never loses a flag's item.
template <auto member, const TextRule& rule>
Expectation set_comma_list(CliInvocation& invocation, std::string_view value) {
  std::vector<std::string> items;
  for (const std::string& item : split_comma_list(value)) {
    std::optional<std::string> accepted = rule.accept(item);
    if (!accepted) return std::string(rule.expectation);
    items.push_back(std::move(*accepted));
  }
  flag_field<member>(invocation) = std::move(items);
  return std::nullopt;
}

enum class NumberUnit { Count, Milliseconds };

template <auto member, long long min, long long max, NumberUnit unit = NumberUnit::Count>
Expectation set_whole_number(CliInvocation& invocation, std::string_view value) {
  const auto number = parse_integer_in_range(value, min, max);
  if (!number) {
    return std::string(unit == NumberUnit::Milliseconds ? "expected milliseconds, "
                                                        : "expected an integer ") +
           std::to_string(min) + "-" + std::to_string(max);
  }
  auto& target = flag_field<member>(invocation);
  target = static_cast<std::remove_reference_t<decltype(target)>>(*number);
  return std::nullopt;
}

// Timeouts: at least 1 ms.
template <auto member, long long max>
constexpr ApplyValue set_milliseconds = set_whole_number<member, 1, max, NumberUnit::Milliseconds>;
constexpr long long kDayMs = 86'400'000;
constexpr long long kHourMs = 3'600'000;

template <auto member>
Expectation set_byte_size(CliInvocation& invocation, std::string_view value) {
  const auto bytes = parse_byte_size(value);
  if (!bytes)
    return "expected a positive byte count, optionally with suffix k, m or g (KiB, MiB, GiB)";
  flag_field<member>(invocation) = *bytes;
  return std::nullopt;
}

template <auto member>
Expectation set_boolean(CliInvocation& invocation, std::string_view value) {
  const auto flag = parse_boolean(value);
  if (!flag) return "expected 1|true|yes|on or 0|false|no|off";
  flag_field<member>(invocation) = *flag;
  return std::nullopt;
}

// --seed: any 64-bit value, so a seed printed by a chaos run can be given back as it is.
Expectation set_seed(CliInvocation& invocation, std::string_view value) {
  const auto seed = parse_whole_number<std::uint64_t>(value);
  if (!seed) return "expected a whole number 0-18446744073709551615";
  invocation.config.seed = *seed;
  return std::nullopt;
}

// --chaos: refused here (exit 2) rather than when the server starts.
Expectation set_chaos(CliInvocation& invocation, std::string_view value) {
  try {
    parse_chaos_spec(value);
  } catch (const std::invalid_argument& error) {
    return std::string("expected RATE[:WHAT,...] (") + error.what() + ")";
  }
  invocation.config.chaos = std::string(value);
  return std::nullopt;
}

template <typename Value>
struct NamedValue {
  std::string_view name;
  Value value;
};

// One of a few words, each standing for a value; the error lists them ("expected text|json").
template <auto member, const auto& choices>
Expectation set_one_of(CliInvocation& invocation, std::string_view value) {
  std::string expectation = "expected ";
  for (const auto& choice : choices) {
    if (choice.name == value) {
      flag_field<member>(invocation) = choice.value;
      return std::nullopt;
    }
    if (&choice != &choices.front()) expectation += '|';
    expectation += choice.name;
  }
  return expectation;
}

constexpr std::array kValidationModes{NamedValue<ValidationMode>{"strict", ValidationMode::Strict},
                                      NamedValue<ValidationMode>{"warn", ValidationMode::Warn},
                                      NamedValue<ValidationMode>{"off", ValidationMode::Off}};
// --formats sets Config::assert_formats.
constexpr std::array kFormatModes{NamedValue<bool>{"assert", true},
                                  NamedValue<bool>{"annotate", false}};
constexpr std::array kLogFormats{NamedValue<LogFormat>{"text", LogFormat::Text},
                                 NamedValue<LogFormat>{"json", LogFormat::Json}};
// verify's --format sets VerifyOptions::json.
constexpr std::array kReportFormats{NamedValue<bool>{"text", false},
                                    NamedValue<bool>{"json", true}};
constexpr std::array kColourModes{NamedValue<ColourMode>{"auto", ColourMode::Auto},
                                  NamedValue<ColourMode>{"always", ColourMode::Always},
                                  NamedValue<ColourMode>{"never", ColourMode::Never}};

// ---------------------------------------------------------------------------------------------
// The table. Column order: name, env, placeholder, switch value, default, description, apply, and
// apply_env where the twin differs (a repeatable flag adds one item, its twin is a comma list).

constexpr std::array kFlags{
    FlagSpec{"--host", "PRM_MOCK_HOST", "HOST", "", "127.0.0.1",
             "Address to listen on (the container image sets 0.0.0.0).",
             set_text<&Config::host, kHostName>},
    FlagSpec{"--port", "PRM_MOCK_PORT", "N", "", "4010",
             "TCP port, 0-65535; 0 picks a free port and prints it.",
             set_whole_number<&Config::port, 0, 65535>},
    FlagSpec{"--port-file", "PRM_MOCK_PORT_FILE", "FILE", "", "",
             "Write the bound port to FILE once listening.",
             set_text<&ServeOptions::port_file, kFilePath>},
    FlagSpec{"--threads", "PRM_MOCK_THREADS", "N", "", "cores",
             "Worker threads, 1-1024; waiting costs none (idle, delayed or held).",
             set_whole_number<&Config::threads, 1, 1024>},
    FlagSpec{"--max-connections", "PRM_MOCK_MAX_CONNECTIONS", "N", "", "1024",
             "Open connections beyond N are answered 503 and closed, 1-100000.",
             set_whole_number<&Config::max_connections, 1, 100000>},
    FlagSpec{"--idle-timeout", "PRM_MOCK_IDLE_TIMEOUT", "MS", "", "60000",
             "Close a keep-alive connection that sends no request for MS milliseconds.",
             set_milliseconds<&Config::idle_timeout_ms, kDayMs>},
    FlagSpec{"--request-timeout", "PRM_MOCK_REQUEST_TIMEOUT", "MS", "", "30000",
             "A request's head and body must arrive within MS of its first byte.",
             set_milliseconds<&Config::request_timeout_ms, kDayMs>},
    FlagSpec{"--io-timeout", "PRM_MOCK_IO_TIMEOUT", "MS", "", "10000",
             "End a connection when one read or write waits longer than MS.",
             set_milliseconds<&Config::io_timeout_ms, kDayMs>},
    FlagSpec{"--tls-cert", "PRM_MOCK_TLS_CERT", "FILE", "", "plain HTTP",
             "Serve HTTPS with this PEM certificate (chain); needs --tls-key.",
             set_text<&Config::tls_cert, kPemFile>},
    FlagSpec{"--tls-key", "PRM_MOCK_TLS_KEY", "FILE", "", "", "PEM private key of --tls-cert.",
             set_text<&Config::tls_key, kPemFile>},
    FlagSpec{"--max-body-bytes", "PRM_MOCK_MAX_BODY_BYTES", "SIZE", "", "10m",
             "Largest accepted body (413 above); suffix k, m or g means KiB, MiB, GiB.",
             set_byte_size<&Config::max_body_bytes>},
    FlagSpec{"--max-json-depth", "PRM_MOCK_MAX_JSON_DEPTH", "N", "", "256",
             "Deepest accepted JSON nesting (400 above), 1-100000.",
             set_whole_number<&Config::max_json_depth, 1, 100000>},
    FlagSpec{"--base-path", "PRM_MOCK_BASE_PATH", "PATH", "", "the contract's servers[0].url, /api",
             "Path prefix of the API; must start with '/'; '/' serves at the root.",
             set_text<&Config::base_path, kBasePath>},
    FlagSpec{"--api-key", "PRM_MOCK_API_KEYS", "KEY", "", "any non-empty key is accepted",
             "Accept only this key; repeat for more (env: comma-separated list).",
             add_list_item<&Config::api_keys, kApiKey>, set_comma_list<&Config::api_keys, kApiKey>},
    FlagSpec{"--validation", "PRM_MOCK_VALIDATION", "MODE", "", "strict",
             "strict: 400 on violations; warn: report them but answer; off: skip.",
             set_one_of<&Config::validation, kValidationModes>},
    FlagSpec{"--strict", "PRM_MOCK_STRICT", "", "true", "off",
             "Advisory rules (semver, name pattern, org/registry, hex hash) are errors.",
             set_boolean<&Config::strict_advisory>},
    FlagSpec{"--contract", "PRM_MOCK_CONTRACT", "FILE", "", "the embedded contract",
             "OpenAPI document (YAML or JSON) to use instead of the embedded one.",
             set_text<&Config::contract_file, kFilePath>},
    FlagSpec{"--formats", "PRM_MOCK_FORMATS", "MODE", "", "assert",
             "assert: strings must match their format (date...); annotate: unchecked.",
             set_one_of<&Config::assert_formats, kFormatModes>},
    FlagSpec{"--log-format", "PRM_MOCK_LOG_FORMAT", "FORMAT", "", "text",
             "Log line format: text or json.", set_one_of<&Config::log_format, kLogFormats>},
    FlagSpec{"--cors", "PRM_MOCK_CORS", "", "true", "on",
             "Answer CORS preflights and add CORS headers to responses.",
             set_boolean<&Config::cors>},
    FlagSpec{"--no-cors", "PRM_MOCK_CORS", "", "false", "", "Turn CORS off.",
             set_boolean<&Config::cors>},
    FlagSpec{"--fixtures", "PRM_MOCK_FIXTURES", "DIR", "", "the embedded fixtures only",
             "Load fixtures from DIR (repeatable; env: comma list); same names replace.",
             add_list_item<&Config::fixture_dirs, kDirectory>,
             set_comma_list<&Config::fixture_dirs, kDirectory>},
    FlagSpec{"--stateful", "PRM_MOCK_STATEFUL", "", "true", "off",
             "Remember publishes; a repeat of the same identity gets duplicate-version.",
             set_boolean<&Config::stateful>},
    FlagSpec{"--state-scope", "PRM_MOCK_STATE_SCOPE", "SCOPE", "", "apiKey",
             "--stateful memory per scope: apiKey (per key), global or header:NAME.",
             set_text<&Config::state_scope, kScopeRule>},
    FlagSpec{"--seed", "PRM_MOCK_SEED", "N", "", "random",
             "Seed chaos, sampled delays and {{uuid}}: a run repeats exactly.", set_seed},
    FlagSpec{"--chaos", "PRM_MOCK_CHAOS", "RATE:WHAT,..", "", "off",
             "Fail a share of 2xx publishes (500,503,429,connection_reset...).", set_chaos},
    FlagSpec{"--journal-limit", "PRM_MOCK_JOURNAL_LIMIT", "N", "", "10000",
             "Journal entries kept in memory; the oldest are dropped and counted.",
             set_whole_number<&Config::journal_limit, 0, 10000000>},
    FlagSpec{"--journal-max-bytes", "PRM_MOCK_JOURNAL_MAX_BYTES", "BYTES", "", "256m",
             "Journal memory bound (k, m, g); the oldest entries are dropped past it.",
             set_byte_size<&Config::journal_max_bytes>},
    FlagSpec{"--journal-file", "PRM_MOCK_JOURNAL_FILE", "FILE", "", "",
             "Also append every journal entry to FILE as one JSON line.",
             set_text<&Config::journal_file, kFilePath>},
    FlagSpec{"--admin-token", "PRM_MOCK_ADMIN_TOKEN", "TOKEN", "", "",
             "Require 'Authorization: Bearer TOKEN' on /__admin (health excepted).",
             set_text<&Config::admin_token, kToken>},
    FlagSpec{"--allowed-host", "PRM_MOCK_ALLOWED_HOSTS", "NAME", "",
             "localhost, 127.0.0.0/8, [::1]",
             "Also answer Host NAME (repeatable); off loopback any Host unless given.",
             add_list_item<&Config::allowed_hosts, kAllowedHost>,
             set_comma_list<&Config::allowed_hosts, kAllowedHost>},
    FlagSpec{"--admin-cors-origin", "PRM_MOCK_ADMIN_CORS_ORIGINS", "ORIGIN", "",
             "the mock's own origin only",
             "Let pages from ORIGIN use /__admin (repeatable; env: comma list).",
             add_list_item<&Config::admin_cors_origins, kWebOrigin>,
             set_comma_list<&Config::admin_cors_origins, kWebOrigin>},
    FlagSpec{"--url", "PRM_MOCK_HEALTH_URL", "URL", "", "http://HOST:PORT from --host/--port",
             "health, tail: the mock's base URL, e.g. http://127.0.0.1:4010.",
             set_text<&HealthOptions::url, kHttpUrl>},
    // tail.
    FlagSpec{"--status", "PRM_MOCK_TAIL_STATUS", "LIST", "", "every status",
             "tail: only these statuses, e.g. 4xx, 404 or 2xx,5xx.",
             set_text<&TailOptions::status, kStatusFilter>},
    FlagSpec{"--json", "PRM_MOCK_TAIL_JSON", "", "true", "off",
             "tail: print each journal entry as one line of JSON (for jq).",
             set_boolean<&TailOptions::json>},
    FlagSpec{"--color", "PRM_MOCK_COLOR", "WHEN", "", "auto",
             "tail: colour lines: auto (a terminal, no NO_COLOR), always or never.",
             set_one_of<&TailOptions::colour, kColourModes>},
    // record / verify.
    FlagSpec{"--upstream", "PRM_MOCK_UPSTREAM", "URL", "", "",
             "record: forward to URL (http or https); its path replaces the base path.",
             set_text<&Config::upstream, kHttpUrl>},
    FlagSpec{"--upstream-ca", "PRM_MOCK_UPSTREAM_CA", "FILE", "", "the system's CAs",
             "record: PEM file of CAs trusted for an https upstream.",
             set_text<&Config::upstream_ca, kFilePath>},
    FlagSpec{"--insecure", "PRM_MOCK_INSECURE", "", "true", "off",
             "record: skip verifying the upstream's TLS certificate (test upstreams).",
             set_boolean<&Config::insecure>},
    FlagSpec{"--upstream-timeout", "PRM_MOCK_UPSTREAM_TIMEOUT", "MS", "", "30000",
             "record: give up on the upstream after MS milliseconds (504).",
             set_milliseconds<&Config::upstream_timeout_ms, kHourMs>},
    FlagSpec{"--out", "PRM_MOCK_OUT", "DIR", "", "./recordings",
             "record: directory the recorded fixtures are written to.",
             set_text<&Config::record_out, kDirectory>},
    FlagSpec{"--redact-header", "PRM_MOCK_REDACT_HEADERS", "NAME", "", "",
             "record: also redact header NAME (repeatable; env: comma list).",
             add_list_item<&Config::redact_headers, kHeaderName>,
             set_comma_list<&Config::redact_headers, kHeaderName>},
    FlagSpec{"--target", "PRM_MOCK_TARGET", "URL", "", "",
             "verify: server to replay against; a path in URL replaces the base path.",
             set_text<&VerifyOptions::target, kHttpUrl>},
    FlagSpec{"--compare-values", "PRM_MOCK_COMPARE_VALUES", "PTRS", "", "",
             "verify: comma list of JSON Pointers whose values must match too.",
             set_comma_list<&VerifyOptions::compare_values, kJsonPointer>},
    FlagSpec{"--format", "PRM_MOCK_FORMAT", "FORMAT", "", "text", "verify: report as text or json.",
             set_one_of<&VerifyOptions::json, kReportFormats>},
    FlagSpec{"--quiet", "PRM_MOCK_QUIET", "", "true", "off", "No per-request log lines.",
             set_boolean<&Config::quiet>},
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
