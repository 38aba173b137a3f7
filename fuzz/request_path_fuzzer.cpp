// Fuzz target: raw HTTP into one running prm_mock::Server, so every input takes the real request
// path a client's request takes (httplib parsing, route, auth, media type, size, JSON syntax,
// contract validation, advisory rules, fixture selection, template rendering, journal).
//
// Input format, chosen so seeds stay readable text:
//   first byte with (byte & 7) == 0, e.g. 'P': the rest goes over the wire verbatim (any method,
//     path or framing; about one input in eight);
//   any other first byte, e.g. 'W': the rest is "<header lines>\n\n<body>" (no "\n\n": all body),
//     sent as POST /api/registries/artifacts. X-API-Key, Content-Type, Content-Length and
//     Connection: close are added unless the header lines set them (or an Authorization /
//     Transfer-Encoding that replaces them), so the header lines can also reach the Bearer and
//     chunked paths.
//
// Findings: a crash or sanitizer report (the server runs in this process); a wrapped request that
// is neither answered nor closed within the deadline (a hang); a server that stops answering its
// health check.
#include <cctype>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "loopback_exchange.hpp"
#include "prm_mock/server.hpp"

namespace {

using prm_mock::fuzzing::exchange;
using std::chrono::milliseconds;

// Far beyond any honest answer (a few ms), short enough that libFuzzer's -timeout never fires
// first.
constexpr milliseconds kDeadline{10000};

prm_mock::Server& server() {
  static const std::unique_ptr<prm_mock::Server> instance = [] {
    prm_mock::Config config;
    config.port = 0;
    config.quiet = true;
    config.threads = 4;
    config.journal_limit = 64;  // the journal stays small however many inputs run
    config.io_timeout_ms = 2000;
    config.request_timeout_ms = 3000;
    config.idle_timeout_ms = 2000;
    // Admin edits (a fixture with a timeout fault, a reset) would make inputs depend on earlier
    // ones; with a token nobody sends, only the health check and the 401 path are reachable.
    config.admin_token = "fuzz-admin-token-never-sent";
    config.fixture_dirs = {PRM_MOCK_FUZZ_FIXTURES_DIR};
    // The seeds' raw requests say "Host: x"; answered, they reach the routes behind the Host check.
    config.allowed_hosts = {"x"};
    auto created = std::make_unique<prm_mock::Server>(config);
    created->start();
    return created;
  }();
  return *instance;
}

bool header_block_sets(std::string_view headers, std::string_view name) {
  std::size_t start = 0;
  while (start < headers.size()) {
    std::size_t end = headers.find('\n', start);
    if (end == std::string_view::npos) end = headers.size();
    const std::string_view line = headers.substr(start, end - start);
    if (line.size() > name.size() && line[name.size()] == ':') {
      bool same = true;
      for (std::size_t i = 0; i < name.size() && same; ++i) {
        same = std::tolower(static_cast<unsigned char>(line[i])) == name[i];
      }
      if (same) return true;
    }
    start = end + 1;
  }
  return false;
}

std::string wrapped_publish(std::string_view input) {
  const std::size_t split = input.find("\n\n");
  const std::string_view headers = split == std::string_view::npos ? "" : input.substr(0, split);
  const std::string_view body = split == std::string_view::npos ? input : input.substr(split + 2);
  std::string request = "POST /api/registries/artifacts HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  if (!header_block_sets(headers, "x-api-key") && !header_block_sets(headers, "authorization")) {
    request += "X-API-Key: k-fuzz\r\n";
  }
  if (!header_block_sets(headers, "content-type")) request += "Content-Type: application/json\r\n";
  if (!header_block_sets(headers, "content-length") &&
      !header_block_sets(headers, "transfer-encoding")) {
    request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  if (!header_block_sets(headers, "connection")) request += "Connection: close\r\n";
  std::size_t start = 0;
  while (start < headers.size()) {
    std::size_t end = headers.find('\n', start);
    if (end == std::string_view::npos) end = headers.size();
    std::string_view line = headers.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    request.append(line).append("\r\n");
    start = end + 1;
  }
  request += "\r\n";
  request.append(body);
  return request;
}

// Whether every response head in `received` is well formed: a status line, then "Name: value"
// lines with token names. A request value echoed into a header (templates) must never be able to
// add lines or end the head early.
bool heads_well_formed(std::string_view received) {
  while (received.starts_with("HTTP/1.1 1")) {  // 100 Continue and friends come first
    const std::size_t end = received.find("\r\n\r\n");
    if (end == std::string_view::npos) return true;
    received.remove_prefix(end + 4);
  }
  const std::size_t head_end = received.find("\r\n\r\n");
  if (received.empty() || head_end == std::string_view::npos) return true;  // cut short: not judged
  std::string_view head = received.substr(0, head_end);
  std::size_t line_end = head.find("\r\n");
  if (!head.starts_with("HTTP/1.")) return false;
  while (line_end != std::string_view::npos) {
    head.remove_prefix(line_end + 2);
    line_end = head.find("\r\n");
    const std::string_view line = head.substr(0, line_end);
    const std::size_t colon = line.find(':');
    if (colon == 0 || colon == std::string_view::npos) return false;
    for (char c : line.substr(0, colon)) {
      if (!std::isalnum(static_cast<unsigned char>(c)) &&
          std::string_view("!#$%&'*+-.^_`|~").find(c) == std::string_view::npos) {
        return false;
      }
    }
    for (char c : line) {
      if (c == '\r' || c == '\n' || c == '\0') return false;
    }
  }
  return true;
}

// The server outlives each input, so a finding can depend on the inputs before it. The last
// kHistory inputs are kept and, on a finding, written to $PRM_MOCK_FUZZ_HISTORY_DIR (default: the
// working directory) as request_path-history-NN, oldest first: replaying them in order
// (fuzz_request_path request_path-history-*) replays the sequence.
constexpr std::size_t kHistory = 64;

std::deque<std::string>& history() {
  static std::deque<std::string> inputs;
  return inputs;
}

void remember(const std::uint8_t* data, std::size_t size) {
  history().emplace_back(reinterpret_cast<const char*>(data), size);
  if (history().size() > kHistory) history().pop_front();
}

void write_history() {
  const char* configured = std::getenv("PRM_MOCK_FUZZ_HISTORY_DIR");
  const std::string directory = configured != nullptr ? configured : ".";
  for (std::size_t i = 0; i < history().size(); ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "/request_path-history-%02zu", i);
    std::ofstream(directory + name, std::ios::binary) << history()[i];
  }
  std::fprintf(stderr,
               "request_path_fuzzer: the last %zu inputs are in %s/request_path-history-*\n",
               history().size(), directory.c_str());
}

bool still_serving(int port) {
  const auto health = exchange(port, "GET /__admin/health HTTP/1.1\r\nHost: x\r\n\r\n", kDeadline);
  return health.received.rfind("HTTP/1.1 200", 0) == 0;
}

// For a hang: the server's end of the connection as the kernel sees it (/proc/net/tcp), which
// tells a connection the server never read (its bytes still queued) from one it read and then
// neither answered nor closed.
std::string server_end_state(int server_port, int client_port) {
  static const char* const kStates[] = {"?",          "ESTABLISHED", "SYN_SENT",  "SYN_RECV",
                                        "FIN_WAIT1",  "FIN_WAIT2",   "TIME_WAIT", "CLOSE",
                                        "CLOSE_WAIT", "LAST_ACK",    "LISTEN",    "CLOSING"};
  std::ifstream table("/proc/net/tcp");
  std::string line;
  std::getline(table, line);  // the column names
  while (std::getline(table, line)) {
    unsigned local_address = 0, local_port = 0, remote_address = 0, remote_port = 0, state = 0;
    unsigned long tx_queue = 0, rx_queue = 0;
    if (std::sscanf(line.c_str(), " %*d: %8X:%4X %8X:%4X %2X %8lX:%8lX", &local_address,
                    &local_port, &remote_address, &remote_port, &state, &tx_queue,
                    &rx_queue) != 7) {
      continue;
    }
    if (static_cast<int>(local_port) != server_port ||
        static_cast<int>(remote_port) != client_port) {
      continue;
    }
    const char* name = state < std::size(kStates) ? kStates[state] : "?";
    return std::string("server end ") + name + ", " + std::to_string(rx_queue) + " bytes unread, " +
           std::to_string(tx_queue) + " unsent";
  }
  return "no server end in /proc/net/tcp (closed, or never accepted)";
}

[[noreturn]] void finding(const char* what, int port,
                          const prm_mock::fuzzing::ExchangeResult& result) {
  const std::string server_end = server_end_state(port, result.local_port);
  std::fprintf(stderr,
               "request_path_fuzzer: %s (%zu bytes sent, %zu received; %s; the health check %s)\n",
               what, result.sent, result.received.size(), server_end.c_str(),
               still_serving(port) ? "still answers" : "fails too");
  write_history();
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const int port = server().port();
  if (size == 0) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  remember(data, size);
  const bool verbatim = (data[0] & 7) == 0;
  const auto result =
      exchange(port, verbatim ? std::string(input) : wrapped_publish(input), kDeadline);
  if (!result.connected) finding("cannot connect to the server", port, result);
  if (result.descriptor_closed_under_us) {
    finding(
        "the client's socket was closed by another thread: the server closed a descriptor "
        "it no longer owned",
        port, result);
  }
  // A complete request with a correct Content-Length (or a half-closed chunked one) must be
  // answered or closed: waiting past the deadline is a hang.
  if (!verbatim && !result.closed_by_server) {
    finding(result.received.empty() ? "a publish request was neither answered nor closed"
                                    : "a publish request was answered but not closed",
            port, result);
  }
  if (!heads_well_formed(result.received)) finding("a response head is malformed", port, result);
  if (result.received.empty() && !still_serving(port))
    finding("the server stopped serving", port, result);
  return 0;
}
