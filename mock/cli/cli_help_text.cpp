#include "cli/cli_help_text.hpp"

#include <algorithm>
#include <sstream>

#include "cli/cli_flags.hpp"

namespace prm_mock {
namespace {

constexpr std::size_t kDescriptionColumn = 26;

constexpr std::string_view kHead =
    "Usage: prm-mock [serve] [FLAGS]\n"
    "       prm-mock validate FILE|- [FLAGS]\n"
    "       prm-mock check [--fixtures DIR]... [FLAGS]\n"
    "       prm-mock record --upstream URL [--out DIR] [FLAGS]\n"
    "       prm-mock verify --target URL [--fixtures DIR] [--api-key K] [FLAGS]\n"
    "       prm-mock health [--url URL]\n"
    "       prm-mock tail [--url URL] [--status 4xx] [--json] [--admin-token TOKEN]\n"
    "       prm-mock --help | --version\n"
    "\n"
    "A strict mock of the Elacity Prompt Registry endpoint POST /api/registries/artifacts.\n"
    "\n"
    "Commands:\n"
    "  serve                   Run the mock server (the default command).\n"
    "  validate FILE|-         Check one request body (FILE, or - for stdin) against the contract\n"
    "                          and the advisory rules, without a server; prints a JSON report.\n"
    "                          It uses only --contract, --formats, --strict and --max-json-depth.\n"
    "  check                   Load and check the fixtures (embedded plus --fixtures DIRs)\n"
    "                          without serving; prints each problem as file: field: message.\n"
    "  record                  Serve, but forward each request to --upstream and write its answer\n"
    "                          to --out as a fixture (credential headers redacted).\n"
    "  verify                  Replay each fixture's recorded.request against --target; compare\n"
    "                          status and body shape; prints PASS/DRIFT lines and a summary.\n"
    "  health                  GET /__admin/health of a running mock (--url, else --host/--port);\n"
    "                          exit 0 when it answers 200 with status ok (container HEALTHCHECK).\n"
    "  tail                    Follow a running mock's requests as they come, one line each,\n"
    "                          an error's violations below it (--status filters, --json for jq);\n"
    "                          reconnects when the mock restarts; Ctrl-C ends it.\n"
    "\n"
    "Flags (FLAG VALUE and FLAG=VALUE both work). Each has an environment twin; a flag given on\n"
    "the command line wins over its twin, and a repeatable flag (--api-key, --allowed-host, ...)\n"
    "replaces its twin's whole list (PRM_MOCK_API_KEYS, ...).\n"
    "Boolean variables take 1|true|yes|on or 0|false|no|off; an empty variable counts as unset.\n";

constexpr std::string_view kTail =
    "  -h, --help              Print this help and exit.\n"
    "  --version               Print the version and exit.\n"
    "\n"
    "Exit codes:\n"
    "  0  success; validate: the body is valid\n"
    "  1  validate: the body is invalid; check: a fixture has problems; serve: the server failed;\n"
    "     health: the server is unreachable or not healthy; tail: the mock refused the stream\n"
    "     (401: wrong or missing --admin-token)\n"
    "  2  usage error: unknown command or flag, bad value, missing or unreadable FILE,\n"
    "     unusable --contract\n"
    "  3  serve, record: the port is already in use (another server listens on --host:--port;\n"
    "     prm-mock never shares a port, so two mocks cannot split the requests between them)\n";

void write_flag(std::ostringstream& out, const FlagSpec& flag) {
  std::string synopsis = "  " + std::string(flag.name);
  if (!flag.placeholder.empty()) synopsis += " " + std::string(flag.placeholder);
  synopsis.resize(std::max(synopsis.size() + 2, kDescriptionColumn), ' ');
  out << synopsis << flag.description << '\n';
  out << std::string(kDescriptionColumn, ' ') << "env " << flag.env;
  if (!flag.default_text.empty()) out << "; default: " << flag.default_text;
  out << '\n';
}

}  // namespace

std::string cli_help_text() {
  std::ostringstream out;
  out << kHead;
  for (const FlagSpec& flag : flag_specs()) write_flag(out, flag);
  out << kTail;
  return out.str();
}

}  // namespace prm_mock
