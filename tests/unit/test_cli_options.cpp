// The command line and its PRM_MOCK_* environment twins.
#include <doctest/doctest.h>

#include <map>

#include "cli/cli_flags.hpp"
#include "cli/cli_help_text.hpp"
#include "cli/cli_options.hpp"
#include "text/edit_distance.hpp"

namespace {

using prm_mock::CliInvocation;
using prm_mock::CliParseResult;
using prm_mock::Config;
using prm_mock::EnvironmentLookup;
using prm_mock::LogFormat;
using prm_mock::ValidationMode;
using Args = std::vector<std::string>;
using Strings = std::vector<std::string>;

EnvironmentLookup environment(std::map<std::string, std::string> variables = {}) {
  return [variables](const std::string& name) -> std::optional<std::string> {
    const auto found = variables.find(name);
    if (found == variables.end()) return std::nullopt;
    return found->second;
  };
}

CliInvocation parse_ok(const Args& args, std::map<std::string, std::string> env = {}) {
  const CliParseResult result = prm_mock::parse_cli(args, environment(std::move(env)));
  INFO("error: " << result.error);
  REQUIRE(result.invocation.has_value());
  CHECK(result.error.empty());
  return *result.invocation;
}

Config config_of(const Args& args, std::map<std::string, std::string> env = {}) {
  return parse_ok(args, std::move(env)).config;
}

std::string parse_error(const Args& args, std::map<std::string, std::string> env = {}) {
  const CliParseResult result = prm_mock::parse_cli(args, environment(std::move(env)));
  CHECK_FALSE(result.invocation.has_value());
  CHECK(result.error.find('\n') == std::string::npos);
  return result.error;
}

}  // namespace

TEST_CASE("cli: no arguments serve with the documented defaults") {
  const CliInvocation invocation = parse_ok({});
  CHECK(invocation.command == "serve");
  CHECK(invocation.arguments.empty());
  CHECK_FALSE(invocation.show_help);
  CHECK_FALSE(invocation.show_version);
  CHECK(invocation.serve.port_file.empty());
  CHECK(invocation.health.url.empty());
  CHECK(invocation.verify.target.empty());
  CHECK(invocation.verify.compare_values.empty());
  CHECK_FALSE(invocation.verify.json);
  const Config& config = invocation.config;
  CHECK(config.host == "127.0.0.1");
  CHECK(config.port == 4010);
  CHECK(config.threads == 0);  // one per core, decided when the server starts
  CHECK(config.max_body_bytes == 10u * 1024 * 1024);
  CHECK(config.journal_max_bytes == 256u * 1024 * 1024);
  CHECK(config.max_json_depth == 256u);
  CHECK(config.base_path.empty());
  CHECK(config.api_keys.empty());
  CHECK(config.validation == ValidationMode::Strict);
  CHECK_FALSE(config.strict_advisory);
  CHECK(config.contract_file.empty());
  CHECK(config.log_format == LogFormat::Text);
  CHECK(config.cors);
  CHECK_FALSE(config.quiet);
  CHECK(config.state_scope == "apiKey");
}

TEST_CASE("cli: commands") {
  CHECK(parse_ok({"serve"}).command == "serve");
  const CliInvocation validate = parse_ok({"validate", "body.json"});
  CHECK(validate.command == "validate");
  CHECK(validate.arguments == Strings{"body.json"});
  // "-" is stdin, not a flag; flags may come before or after the command.
  CHECK(parse_ok({"validate", "-"}).arguments == Strings{"-"});
  const CliInvocation mixed = parse_ok({"--strict", "validate", "--max-json-depth", "8", "b.json"});
  CHECK(mixed.command == "validate");
  CHECK(mixed.arguments == Strings{"b.json"});
  CHECK(mixed.config.strict_advisory);
  CHECK(mixed.config.max_json_depth == 8u);
  // The arity of validate is its own business (exit 2 with a message there).
  CHECK(parse_ok({"validate"}).arguments.empty());
  CHECK(parse_ok({"validate", "a", "b"}).arguments == Strings{"a", "b"});
  // After "--" everything is positional, so odd file names can be validated.
  CHECK(parse_ok({"validate", "--", "--odd.json"}).arguments == Strings{"--odd.json"});
}

TEST_CASE("cli: unknown commands and stray arguments are usage errors") {
  CHECK(
      parse_error({"bogus"}) ==
      "unknown command 'bogus' (expected serve, validate, check, health, record, verify or tail)");
  CHECK(parse_error({"valdate", "x"}) == "unknown command 'valdate' (did you mean validate?)");
  CHECK(parse_error({"serve", "extra"}) == "serve takes no arguments, got 'extra'");
  CHECK(parse_error({"check", "extra"}) == "check takes no arguments, got 'extra'");
}

TEST_CASE("cli: --help, -h and --version are valid with any command") {
  CHECK(parse_ok({"--help"}).show_help);
  CHECK(parse_ok({"-h"}).show_help);
  CHECK(parse_ok({"--version"}).show_version);
  CHECK(parse_ok({"serve", "--help"}).show_help);
  const CliInvocation validate = parse_ok({"validate", "-h"});
  CHECK(validate.show_help);
  CHECK(validate.command == "validate");
  CHECK(parse_ok({"validate", "x.json", "--version"}).show_version);
  CHECK(parse_error({"--help=yes"}) == "--help takes no value");
  CHECK(parse_error({"--version=1"}) == "--version takes no value");
}

TEST_CASE("cli: a broken environment variable does not hide --help or --version") {
  CHECK(parse_ok({"--help"}, {{"PRM_MOCK_PORT", "abc"}}).show_help);
  CHECK(parse_ok({"--version"}, {{"PRM_MOCK_PORT", "abc"}}).show_version);
}

TEST_CASE("cli: every value flag in both syntaxes") {
  struct Case {
    std::string flag;
    std::string value;
    std::function<bool(const Config&)> applied;
  };
  const std::vector<Case> cases{
      {"--host", "0.0.0.0", [](const Config& c) { return c.host == "0.0.0.0"; }},
      {"--port", "8080", [](const Config& c) { return c.port == 8080; }},
      {"--threads", "8", [](const Config& c) { return c.threads == 8; }},
      {"--max-connections", "16", [](const Config& c) { return c.max_connections == 16; }},
      {"--idle-timeout", "250", [](const Config& c) { return c.idle_timeout_ms == 250; }},
      {"--request-timeout", "900", [](const Config& c) { return c.request_timeout_ms == 900; }},
      {"--io-timeout", "75", [](const Config& c) { return c.io_timeout_ms == 75; }},
      {"--max-body-bytes", "2048", [](const Config& c) { return c.max_body_bytes == 2048u; }},
      {"--journal-max-bytes", "64m",
       [](const Config& c) { return c.journal_max_bytes == 64u * 1024 * 1024; }},
      {"--max-json-depth", "32", [](const Config& c) { return c.max_json_depth == 32u; }},
      {"--base-path", "/v2", [](const Config& c) { return c.base_path == "/v2"; }},
      {"--api-key", "k1", [](const Config& c) { return c.api_keys == Strings{"k1"}; }},
      {"--validation", "warn",
       [](const Config& c) { return c.validation == ValidationMode::Warn; }},
      {"--contract", "c.yaml", [](const Config& c) { return c.contract_file == "c.yaml"; }},
      {"--log-format", "json", [](const Config& c) { return c.log_format == LogFormat::Json; }},
      {"--state-scope", "header:X-Mock-Session",
       [](const Config& c) { return c.state_scope == "header:X-Mock-Session"; }},
  };
  for (const Case& c : cases) {
    CAPTURE(c.flag);
    CHECK(c.applied(config_of({c.flag, c.value})));
    CHECK(c.applied(config_of({c.flag + "=" + c.value})));
    CHECK(c.applied(config_of({"serve", c.flag, c.value})));
  }
}

TEST_CASE("cli: the options only one command reads, from flags and from their twins") {
  struct Case {
    std::string flag;
    std::string variable;
    std::string value;
    std::function<bool(const CliInvocation&)> applied;
  };
  const std::vector<Case> cases{
      {"--port-file", "PRM_MOCK_PORT_FILE", "/tmp/p",
       [](const CliInvocation& i) { return i.serve.port_file == "/tmp/p"; }},
      {"--url", "PRM_MOCK_HEALTH_URL", "https://mock.test:4010/",
       [](const CliInvocation& i) { return i.health.url == "https://mock.test:4010/"; }},
      {"--target", "PRM_MOCK_TARGET", "http://127.0.0.1:9/api",
       [](const CliInvocation& i) { return i.verify.target == "http://127.0.0.1:9/api"; }},
      {"--compare-values", "PRM_MOCK_COMPARE_VALUES", "/id, /status",
       [](const CliInvocation& i) {
         return i.verify.compare_values == Strings{"/id", "/status"};
       }},
      {"--format", "PRM_MOCK_FORMAT", "json", [](const CliInvocation& i) { return i.verify.json; }},
      {"--status", "PRM_MOCK_TAIL_STATUS", "2xx,404",
       [](const CliInvocation& i) { return i.tail.status == "2xx,404"; }},
      {"--color", "PRM_MOCK_COLOR", "always",
       [](const CliInvocation& i) { return i.tail.colour == prm_mock::ColourMode::Always; }},
  };
  for (const Case& c : cases) {
    CAPTURE(c.flag);
    CHECK(c.applied(parse_ok({c.flag, c.value})));
    CHECK(c.applied(parse_ok({c.flag + "=" + c.value})));
    CHECK(c.applied(parse_ok({}, {{c.variable, c.value}})));
    // They stay out of the server's Config: the server-side defaults are untouched.
    CHECK(parse_ok({c.flag, c.value}).config.port == 4010);
  }
  CHECK_FALSE(parse_ok({"--format", "text"}, {{"PRM_MOCK_FORMAT", "json"}}).verify.json);
  CHECK(parse_ok({"--compare-values", "/a", "--compare-values", "/b"}).verify.compare_values ==
        Strings{"/b"});
}

TEST_CASE("cli: tail's flags, and a bad --status or --color is a usage error") {
  const CliInvocation tail =
      parse_ok({"tail", "--url", "http://127.0.0.1:9", "--json", "--admin-token", "t"});
  CHECK(tail.command == "tail");
  CHECK(tail.health.url == "http://127.0.0.1:9");
  CHECK(tail.tail.json);
  CHECK(tail.config.admin_token == "t");
  CHECK(tail.tail.status.empty());
  CHECK(tail.tail.colour == prm_mock::ColourMode::Auto);
  // The token's twin is the one serve reads, so one variable configures both.
  CHECK(parse_ok({"tail"}, {{"PRM_MOCK_ADMIN_TOKEN", "s3cret"}}).config.admin_token == "s3cret");
  CHECK(parse_ok({"tail"}, {{"PRM_MOCK_TAIL_JSON", "yes"}}).tail.json);
  CHECK(parse_error({"tail", "--status", "4xz"}) ==
        "--status: expected statuses or classes like 4xx, 404 or 2xx,5xx, got '4xz'");
  CHECK(parse_error({"tail", "--status", "2xx,"}) ==
        "--status: expected statuses or classes like 4xx, 404 or 2xx,5xx, got '2xx,'");
  CHECK(parse_error({"tail", "--color", "sometimes"}) ==
        "--color: expected auto|always|never, got 'sometimes'");
  CHECK(parse_error({"tail", "extra"}) == "tail takes no arguments, got 'extra'");
}

TEST_CASE("cli: TLS needs both the certificate and its key") {
  const Config both = config_of({"--tls-cert", "c.pem", "--tls-key", "k.pem"});
  CHECK(both.tls_cert == "c.pem");
  CHECK(both.tls_key == "k.pem");
  CHECK(parse_error({"--tls-cert", "c.pem"}) ==
        "--tls-cert and --tls-key go together; got only --tls-cert");
  CHECK(parse_error({"--tls-key", "k.pem"}) ==
        "--tls-cert and --tls-key go together; got only --tls-key");
  CHECK(parse_error({"--io-timeout", "0"}).find("expected milliseconds") != std::string::npos);
}

TEST_CASE("cli: boolean switches") {
  CHECK(config_of({"--strict"}).strict_advisory);
  CHECK(config_of({"--quiet"}).quiet);
  CHECK_FALSE(config_of({"--no-cors"}).cors);
  CHECK(config_of({"--no-cors", "--cors"}).cors);
  CHECK(parse_error({"--quiet=yes"}) == "--quiet takes no value");
  CHECK(parse_error({"--no-cors=1"}) == "--no-cors takes no value");
}

TEST_CASE("cli: value details") {
  SUBCASE("ports and limits at their bounds") {
    CHECK(config_of({"--port", "0"}).port == 0);
    CHECK(config_of({"--port", "65535"}).port == 65535);
    CHECK(config_of({"--threads", "1"}).threads == 1);
    CHECK(config_of({"--threads", "1024"}).threads == 1024);
    CHECK(config_of({"--max-json-depth", "1"}).max_json_depth == 1u);
    CHECK(config_of({"--max-json-depth", "100000"}).max_json_depth == 100000u);
  }
  SUBCASE("body sizes take k, m and g suffixes in either case") {
    CHECK(config_of({"--max-body-bytes", "1"}).max_body_bytes == 1u);
    CHECK(config_of({"--max-body-bytes", "4k"}).max_body_bytes == 4096u);
    CHECK(config_of({"--max-body-bytes", "4K"}).max_body_bytes == 4096u);
    CHECK(config_of({"--max-body-bytes", "3m"}).max_body_bytes == 3u << 20);
    CHECK(config_of({"--max-body-bytes", "3M"}).max_body_bytes == 3u << 20);
    CHECK(config_of({"--max-body-bytes", "2g"}).max_body_bytes == std::size_t{2} << 30);
    CHECK(config_of({"--max-body-bytes", "2G"}).max_body_bytes == std::size_t{2} << 30);
  }
  SUBCASE("base paths lose trailing slashes; '/' alone means the root") {
    CHECK(config_of({"--base-path", "/v2/"}).base_path == "/v2");
    CHECK(config_of({"--base-path", "/a/b//"}).base_path == "/a/b");
    CHECK(config_of({"--base-path", "/"}).base_path == "/");
  }
  SUBCASE("validation modes") {
    CHECK(config_of({"--validation", "strict"}).validation == ValidationMode::Strict);
    CHECK(config_of({"--validation", "warn"}).validation == ValidationMode::Warn);
    CHECK(config_of({"--validation", "off"}).validation == ValidationMode::Off);
    CHECK(config_of({"--log-format", "text"}).log_format == LogFormat::Text);
  }
  SUBCASE("a repeated flag: the last wins, except --api-key, which appends") {
    CHECK(config_of({"--port", "1", "--port=2"}).port == 2);
    CHECK(config_of({"--api-key", "a", "--api-key=b", "--api-key", "c"}).api_keys ==
          Strings{"a", "b", "c"});
  }
  SUBCASE("a value may start with a single dash, or with anything after '='") {
    CHECK(config_of({"--api-key", "-k"}).api_keys == Strings{"-k"});
    CHECK(config_of({"--api-key=--k"}).api_keys == Strings{"--k"});
    CHECK(config_of({"--api-key=a=b"}).api_keys == Strings{"a=b"});
  }
}

TEST_CASE("cli: --state-scope takes apiKey, global or a header that is not a credential") {
  CHECK(config_of({"--state-scope", "global"}).state_scope == "global");
  CHECK(config_of({}, {{"PRM_MOCK_STATE_SCOPE", "apiKey"}}).state_scope == "apiKey");
  const std::string expectation =
      "--state-scope: expected apiKey, global or header:NAME (not a credential header), got ";
  CHECK(parse_error({"--state-scope", "apikey"}) == expectation + "'apikey'");
  CHECK(parse_error({"--state-scope", "header:"}) == expectation + "'header:'");
  CHECK(parse_error({"--state-scope", "header:X-API-Key"}) == expectation + "'header:X-API-Key'");
}

TEST_CASE("cli: bad values name the flag, the expectation and the value") {
  CHECK(parse_error({"--port", "abc"}) == "--port: expected an integer 0-65535, got 'abc'");
  CHECK(parse_error({"--port=65536"}) == "--port: expected an integer 0-65535, got '65536'");
  CHECK(parse_error({"--port", "-1"}) == "--port: expected an integer 0-65535, got '-1'");
  CHECK(parse_error({"--port", "+80"}) == "--port: expected an integer 0-65535, got '+80'");
  CHECK(parse_error({"--port", " 80"}) == "--port: expected an integer 0-65535, got ' 80'");
  CHECK(parse_error({"--port", "99999999999999999999999"}) ==
        "--port: expected an integer 0-65535, got '99999999999999999999999'");
  CHECK(parse_error({"--threads", "0"}) == "--threads: expected an integer 1-1024, got '0'");
  CHECK(parse_error({"--threads", "1025"}) == "--threads: expected an integer 1-1024, got '1025'");
  CHECK(parse_error({"--max-json-depth", "0"}) ==
        "--max-json-depth: expected an integer 1-100000, got '0'");
  CHECK(parse_error({"--max-json-depth", "100001"}) ==
        "--max-json-depth: expected an integer 1-100000, got '100001'");
  const std::string size_expectation =
      "--max-body-bytes: expected a positive byte count, optionally with suffix k, m or g (KiB, "
      "MiB, GiB), got ";
  CHECK(parse_error({"--max-body-bytes", "0"}) == size_expectation + "'0'");
  CHECK(parse_error({"--max-body-bytes", "0k"}) == size_expectation + "'0k'");
  CHECK(parse_error({"--max-body-bytes", "k"}) == size_expectation + "'k'");
  CHECK(parse_error({"--max-body-bytes", "10mb"}) == size_expectation + "'10mb'");
  CHECK(parse_error({"--max-body-bytes", "1.5m"}) == size_expectation + "'1.5m'");
  CHECK(parse_error({"--max-body-bytes", "99999999999999999999g"}) ==
        size_expectation + "'99999999999999999999g'");
  CHECK(parse_error({"--max-body-bytes", "17179869184g"}) == size_expectation + "'17179869184g'");
  CHECK(parse_error({"--validation", "x"}) == "--validation: expected strict|warn|off, got 'x'");
  CHECK(parse_error({"--validation", "STRICT"}) ==
        "--validation: expected strict|warn|off, got 'STRICT'");
  CHECK(parse_error({"--log-format=xml"}) == "--log-format: expected text|json, got 'xml'");
  CHECK(parse_error({"--base-path", "api"}) ==
        "--base-path: expected a path starting with '/' (use '/' for the root), got 'api'");
  CHECK(parse_error({"--base-path="}) ==
        "--base-path: expected a path starting with '/' (use '/' for the root), got ''");
  CHECK(parse_error({"--host="}) == "--host: expected a host name or address, got ''");
  CHECK(parse_error({"--port-file="}) == "--port-file: expected a file path, got ''");
  CHECK(parse_error({"--contract="}) == "--contract: expected a file path, got ''");
  CHECK(parse_error({"--api-key="}) == "--api-key: expected a non-empty key, got ''");
  CHECK(parse_error({"--tls-cert="}) == "--tls-cert: expected a PEM file path, got ''");
  CHECK(parse_error({"--admin-token="}) == "--admin-token: expected a non-empty token, got ''");
  CHECK(parse_error({"--fixtures="}) == "--fixtures: expected a directory, got ''");
  CHECK(parse_error({"--formats", "x"}) == "--formats: expected assert|annotate, got 'x'");
  CHECK(parse_error({"--journal-limit", "x"}) ==
        "--journal-limit: expected an integer 0-10000000, got 'x'");
  CHECK(parse_error({"--idle-timeout", "86400001"}) ==
        "--idle-timeout: expected milliseconds, 1-86400000, got '86400001'");
  CHECK(parse_error({"--upstream-timeout", "0"}) ==
        "--upstream-timeout: expected milliseconds, 1-3600000, got '0'");
  CHECK(parse_error({"--upstream", "ftp://x"}) ==
        "--upstream: expected an http:// or https:// URL, got 'ftp://x'");
  CHECK(parse_error({"--out="}) == "--out: expected a directory, got ''");
  CHECK(parse_error({"--redact-header="}) == "--redact-header: expected a header name, got ''");
  CHECK(parse_error({"--url", "ftp://x"}) ==
        "--url: expected an http:// or https:// URL, got 'ftp://x'");
  CHECK(parse_error({"--target", "x"}) == "--target: expected an http:// or https:// URL, got 'x'");
  CHECK(parse_error({"--compare-values", "/id,status"}) ==
        "--compare-values: expected JSON Pointers like /id,/status, got '/id,status'");
  CHECK(parse_error({"--format", "xml"}) == "--format: expected text|json, got 'xml'");
}

TEST_CASE("cli: a value flag without its value") {
  CHECK(parse_error({"--host"}) == "missing value for --host");
  CHECK(parse_error({"serve", "--port"}) == "missing value for --port");
  // The next flag is not taken as the value.
  CHECK(parse_error({"--host", "--port", "1"}) == "missing value for --host");
}

TEST_CASE("cli: unknown flags suggest the nearest known one when it is close") {
  CHECK(parse_error({"--prot", "1"}) == "unknown flag '--prot' (did you mean --port?)");
  CHECK(parse_error({"--prot=1"}) == "unknown flag '--prot' (did you mean --port?)");
  CHECK(parse_error({"--thread", "2"}) == "unknown flag '--thread' (did you mean --threads?)");
  CHECK(parse_error({"--api-keys", "k"}) == "unknown flag '--api-keys' (did you mean --api-key?)");
  CHECK(parse_error({"--validate", "warn"}) ==
        "unknown flag '--validate' (did you mean --validation?)");
  CHECK(parse_error({"-port", "1"}) == "unknown flag '-port' (did you mean --port?)");
  CHECK(parse_error({"--hepl"}) == "unknown flag '--hepl' (did you mean --help?)");
  CHECK(parse_error({"--frobnicate"}) == "unknown flag '--frobnicate'");
  CHECK(parse_error({"-x"}) == "unknown flag '-x'");
}

TEST_CASE("cli: every option has an environment twin") {
  struct Case {
    std::string variable;
    std::string value;
    std::function<bool(const Config&)> applied;
  };
  const std::vector<Case> cases{
      {"PRM_MOCK_HOST", "0.0.0.0", [](const Config& c) { return c.host == "0.0.0.0"; }},
      {"PRM_MOCK_PORT", "0", [](const Config& c) { return c.port == 0; }},
      {"PRM_MOCK_THREADS", "3", [](const Config& c) { return c.threads == 3; }},
      {"PRM_MOCK_MAX_BODY_BYTES", "1k", [](const Config& c) { return c.max_body_bytes == 1024u; }},
      {"PRM_MOCK_JOURNAL_MAX_BYTES", "2g",
       [](const Config& c) { return c.journal_max_bytes == 2048u * 1024 * 1024; }},
      {"PRM_MOCK_MAX_JSON_DEPTH", "9", [](const Config& c) { return c.max_json_depth == 9u; }},
      {"PRM_MOCK_BASE_PATH", "/v3/", [](const Config& c) { return c.base_path == "/v3"; }},
      {"PRM_MOCK_API_KEYS", "k1", [](const Config& c) { return c.api_keys == Strings{"k1"}; }},
      {"PRM_MOCK_VALIDATION", "off",
       [](const Config& c) { return c.validation == ValidationMode::Off; }},
      {"PRM_MOCK_STRICT", "1", [](const Config& c) { return c.strict_advisory; }},
      {"PRM_MOCK_CONTRACT", "c.json", [](const Config& c) { return c.contract_file == "c.json"; }},
      {"PRM_MOCK_LOG_FORMAT", "json",
       [](const Config& c) { return c.log_format == LogFormat::Json; }},
      {"PRM_MOCK_CORS", "0", [](const Config& c) { return !c.cors; }},
      {"PRM_MOCK_QUIET", "true", [](const Config& c) { return c.quiet; }},
  };
  for (const Case& c : cases) {
    CAPTURE(c.variable);
    CHECK(c.applied(config_of({}, {{c.variable, c.value}})));
    CHECK(c.applied(config_of({"validate", "x"}, {{c.variable, c.value}})));
  }
}

TEST_CASE("cli: boolean variables") {
  for (const std::string yes : {"1", "true", "yes", "on", "TRUE", "On"}) {
    CAPTURE(yes);
    CHECK(config_of({}, {{"PRM_MOCK_STRICT", yes}}).strict_advisory);
    CHECK(config_of({}, {{"PRM_MOCK_QUIET", yes}}).quiet);
    CHECK(config_of({}, {{"PRM_MOCK_CORS", yes}}).cors);
  }
  for (const std::string no : {"0", "false", "no", "off", "False", "OFF"}) {
    CAPTURE(no);
    CHECK_FALSE(config_of({}, {{"PRM_MOCK_STRICT", no}}).strict_advisory);
    CHECK_FALSE(config_of({}, {{"PRM_MOCK_QUIET", no}}).quiet);
    CHECK_FALSE(config_of({}, {{"PRM_MOCK_CORS", no}}).cors);
  }
  CHECK(parse_error({}, {{"PRM_MOCK_STRICT", "maybe"}}) ==
        "PRM_MOCK_STRICT: expected 1|true|yes|on or 0|false|no|off, got 'maybe'");
}

TEST_CASE("cli: environment values are checked like flags, and errors name the variable") {
  CHECK(parse_error({}, {{"PRM_MOCK_PORT", "abc"}}) ==
        "PRM_MOCK_PORT: expected an integer 0-65535, got 'abc'");
  CHECK(parse_error({}, {{"PRM_MOCK_THREADS", "0"}}) ==
        "PRM_MOCK_THREADS: expected an integer 1-1024, got '0'");
  CHECK(parse_error({}, {{"PRM_MOCK_MAX_JSON_DEPTH", "x"}}) ==
        "PRM_MOCK_MAX_JSON_DEPTH: expected an integer 1-100000, got 'x'");
  CHECK(parse_error({}, {{"PRM_MOCK_MAX_BODY_BYTES", "-5"}})
            .starts_with("PRM_MOCK_MAX_BODY_BYTES: expected a positive byte count"));
  CHECK(parse_error({}, {{"PRM_MOCK_VALIDATION", "x"}}) ==
        "PRM_MOCK_VALIDATION: expected strict|warn|off, got 'x'");
  CHECK(parse_error({}, {{"PRM_MOCK_LOG_FORMAT", "xml"}}) ==
        "PRM_MOCK_LOG_FORMAT: expected text|json, got 'xml'");
  CHECK(parse_error({}, {{"PRM_MOCK_BASE_PATH", "api"}}) ==
        "PRM_MOCK_BASE_PATH: expected a path starting with '/' (use '/' for the root), got 'api'");
  CHECK(parse_error({}, {{"PRM_MOCK_CORS", "nah"}}) ==
        "PRM_MOCK_CORS: expected 1|true|yes|on or 0|false|no|off, got 'nah'");
}

TEST_CASE("cli: an empty variable counts as unset") {
  const Config config = config_of({}, {{"PRM_MOCK_PORT", ""},
                                       {"PRM_MOCK_HOST", ""},
                                       {"PRM_MOCK_STRICT", ""},
                                       {"PRM_MOCK_API_KEYS", ""}});
  CHECK(config.port == 4010);
  CHECK(config.host == "127.0.0.1");
  CHECK_FALSE(config.strict_advisory);
  CHECK(config.api_keys.empty());
}

TEST_CASE("cli: flags win over their environment twins") {
  const std::map<std::string, std::string> env{{"PRM_MOCK_PORT", "1111"},
                                               {"PRM_MOCK_HOST", "10.0.0.1"},
                                               {"PRM_MOCK_VALIDATION", "off"},
                                               {"PRM_MOCK_CORS", "1"},
                                               {"PRM_MOCK_STRICT", "0"}};
  const Config flags =
      config_of({"--port", "2222", "--validation=warn", "--no-cors", "--strict"}, env);
  CHECK(flags.port == 2222);
  CHECK(flags.validation == ValidationMode::Warn);
  CHECK_FALSE(flags.cors);
  CHECK(flags.strict_advisory);
  CHECK(flags.host == "10.0.0.1");  // no flag: the twin applies
  // A twin whose flag was given is never read, so its bad value does not matter.
  CHECK(config_of({"--port", "5"}, {{"PRM_MOCK_PORT", "abc"}}).port == 5);
  CHECK(config_of({"--cors"}, {{"PRM_MOCK_CORS", "0"}}).cors);
}

TEST_CASE("cli: api keys from the environment, replaced by any --api-key") {
  CHECK(config_of({}, {{"PRM_MOCK_API_KEYS", "k1,k2"}}).api_keys == Strings{"k1", "k2"});
  CHECK(config_of({}, {{"PRM_MOCK_API_KEYS", " k1 , ,k2,, "}}).api_keys == Strings{"k1", "k2"});
  CHECK(config_of({}, {{"PRM_MOCK_API_KEYS", " , "}}).api_keys.empty());
  CHECK(config_of({"--api-key", "f1", "--api-key", "f2"}, {{"PRM_MOCK_API_KEYS", "k1,k2"}})
            .api_keys == Strings{"f1", "f2"});
}

TEST_CASE("cli: fixture directories and redacted headers repeat, or come as env lists") {
  CHECK(config_of({"--fixtures", "a", "--fixtures=b"}, {{"PRM_MOCK_FIXTURES", "c"}}).fixture_dirs ==
        Strings{"a", "b"});
  CHECK(config_of({}, {{"PRM_MOCK_FIXTURES", " a, ,b "}}).fixture_dirs == Strings{"a", "b"});
  CHECK(config_of({"--redact-header", "X-One", "--redact-header=X-Two"}).redact_headers ==
        Strings{"X-One", "X-Two"});
  CHECK(config_of({}, {{"PRM_MOCK_REDACT_HEADERS", "X-One,X-Two"}}).redact_headers ==
        Strings{"X-One", "X-Two"});
}

TEST_CASE("cli: allowed hosts and admin CORS origins repeat, or come as env lists") {
  CHECK(config_of({}, {{"PRM_MOCK_ALLOWED_HOSTS", "mock, Mock.Test"}}).allowed_hosts ==
        Strings{"mock", "Mock.Test"});
  CHECK(config_of({"--allowed-host", "a", "--allowed-host=b"}, {{"PRM_MOCK_ALLOWED_HOSTS", "c"}})
            .allowed_hosts == Strings{"a", "b"});
  CHECK(config_of({}, {{"PRM_MOCK_ADMIN_CORS_ORIGINS", "http://localhost:3000"}})
            .admin_cors_origins == Strings{"http://localhost:3000"});
  CHECK(config_of({"--admin-cors-origin", "https://ui.test", "--admin-cors-origin",
                   "http://127.0.0.1:5173"},
                  {})
            .admin_cors_origins == Strings{"https://ui.test", "http://127.0.0.1:5173"});
  CHECK(parse_error({"--allowed-host", "mock:4010"}) ==
        "--allowed-host: expected a host name or address, without a port, got 'mock:4010'");
  CHECK(parse_error({}, {{"PRM_MOCK_ALLOWED_HOSTS", "ok,not ok"}}) ==
        "PRM_MOCK_ALLOWED_HOSTS: expected a host name or address, without a port, got 'ok,not ok'");
  CHECK(parse_error({"--admin-cors-origin", "http://ui.test/app"}) ==
        "--admin-cors-origin: expected an origin like http://localhost:3000 (no path), got "
        "'http://ui.test/app'");
  CHECK(config_of({}, {}).allowed_hosts.empty());
  CHECK(config_of({}, {}).admin_cors_origins.empty());
}

TEST_CASE("cli: --help lists every flag with its twin and default, the commands and exit codes") {
  const std::string help = prm_mock::cli_help_text();
  for (const prm_mock::FlagSpec& flag : prm_mock::flag_specs()) {
    CAPTURE(flag.name);
    CHECK(help.find(std::string(flag.name) + " ") != std::string::npos);
    CHECK(help.find("env " + std::string(flag.env)) != std::string::npos);
    if (!flag.default_text.empty()) {
      CHECK(help.find("default: " + std::string(flag.default_text)) != std::string::npos);
    }
  }
  // The table itself is checked against a list, so a flag cannot silently go missing from both.
  for (const std::string flag :
       {"--host", "--port", "--port-file", "--threads", "--max-body-bytes", "--max-json-depth",
        "--base-path", "--api-key", "--validation", "--strict", "--contract", "--log-format",
        "--cors", "--no-cors", "--quiet", "--help", "-h", "--version"}) {
    CAPTURE(flag);
    CHECK(help.find(flag) != std::string::npos);
  }
  for (const std::string text :
       {"serve", "validate FILE|-", "Exit codes", "  0  ", "  1  ", "  2  ", "PRM_MOCK_API_KEYS"}) {
    CAPTURE(text);
    CHECK(help.find(text) != std::string::npos);
  }
  std::size_t line_start = 0;
  while (line_start < help.size()) {
    const std::size_t line_end = help.find('\n', line_start);
    CHECK(line_end - line_start <= 100);
    line_start = line_end + 1;
  }
}

TEST_CASE("cli: process_environment reads the real environment") {
  ::setenv("PRM_MOCK_TEST_ONLY_VARIABLE", "value", 1);
  CHECK(prm_mock::process_environment()("PRM_MOCK_TEST_ONLY_VARIABLE") == "value");
  ::unsetenv("PRM_MOCK_TEST_ONLY_VARIABLE");
  CHECK_FALSE(prm_mock::process_environment()("PRM_MOCK_TEST_ONLY_VARIABLE").has_value());
}

TEST_CASE("cli: edit distance counts a swap of neighbours as one edit") {
  using prm_mock::edit_distance;
  CHECK(edit_distance("", "") == 0);
  CHECK(edit_distance("port", "port") == 0);
  CHECK(edit_distance("prot", "port") == 1);
  CHECK(edit_distance("host", "hosts") == 1);
  CHECK(edit_distance("", "abc") == 3);
  CHECK(edit_distance("kitten", "sitting") == 3);
}

TEST_CASE("cli: --seed and --chaos, and their environment twins") {
  CHECK_FALSE(config_of({}).seed.has_value());
  CHECK(config_of({}).chaos.empty());
  CHECK(config_of({"--seed", "18446744073709551615"}).seed == 18446744073709551615ULL);
  CHECK(config_of({}, {{"PRM_MOCK_SEED", "42"}}).seed == 42u);
  CHECK(config_of({"--chaos", "0.1:503,429"}).chaos == "0.1:503,429");
  CHECK(config_of({}, {{"PRM_MOCK_CHAOS", "0.2"}}).chaos == "0.2");
  CHECK(parse_error({"--seed", "-1"}).find("expected a whole number") != std::string::npos);
  CHECK(parse_error({"--chaos", "2"}).find("chaos rate '2' is not a number from 0 to 1") !=
        std::string::npos);
  CHECK(parse_error({"--chaos", "0.1:418"}).find("unknown chaos answer '418'") !=
        std::string::npos);
}
