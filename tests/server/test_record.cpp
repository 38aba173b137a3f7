// prm-mock record in process: a recorder Server in front of an upstream prm-mock relays
// the upstream's answers, writes loadable, redacted fixtures, and fails cleanly (502/504, nothing
// written) when the upstream is absent, silent or speaks garbage.
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <rapidjson/pointer.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "cli/verify_command.hpp"
#include "contract/contract.hpp"
#include "stubs/fixture_loader.hpp"
#include "temporary_directory.hpp"
#include "test_server.hpp"

using prm_mock::testing::kValidBody;
using prm_mock::testing::parse;
using prm_mock::testing::quiet_config;
using prm_mock::testing::RunningServer;
using prm_mock::testing::TemporaryDirectory;
using prm_mock::testing::valid_body_with;

namespace {

const std::string kRecordSecret = "k-record-secret-0123456789abcdef";

prm_mock::Config recorder_config(int upstream_port, const std::filesystem::path& out) {
  prm_mock::Config config = quiet_config();
  config.upstream = "http://127.0.0.1:" + std::to_string(upstream_port);
  config.record_out = out.string();
  config.upstream_timeout_ms = 2000;
  return config;
}

httplib::Result publish_with_record_secret(const RunningServer& server, const std::string& body) {
  httplib::Client client = server.client();
  return client.Post("/api/registries/artifacts",
                     {{"X-API-Key", kRecordSecret}, {"Cookie", "session=" + kRecordSecret}}, body,
                     "application/json");
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Every entry of `directory` by name, hidden ones included: a torn or temporary file must show.
std::set<std::string> entries(const std::filesystem::path& directory) {
  std::set<std::string> names;
  if (!std::filesystem::exists(directory)) return names;
  for (const auto& entry : std::filesystem::directory_iterator(directory)) {
    names.insert(entry.path().filename().string());
  }
  return names;
}

struct SessionRequest {
  std::string body;
  int status;
};

std::vector<SessionRequest> test_value_session() {
  return {{kValidBody, 200},
          {valid_body_with("/registryRef", R"("acme/does-not-exist")"), 404},
          {valid_body_with("/artifact/version", R"("0.0.409")"), 409},
          {valid_body_with("/artifact/prompt", R"("rate-limit-me")"), 429}};
}

// A TCP port that accepts connections (the kernel completes the handshake) but never answers.
class SilentListener {
 public:
  SilentListener() {
    socket_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(socket_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    REQUIRE(::listen(socket_, 8) == 0);
    socklen_t length = sizeof address;
    ::getsockname(socket_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
  }
  ~SilentListener() { ::close(socket_); }
  int port() const { return port_; }
  int socket() const { return socket_; }

 private:
  int socket_ = -1;
  int port_ = 0;
};

}  // namespace

TEST_CASE("record: a test-value session is relayed, written redacted, and replays identically") {
  RunningServer upstream;
  TemporaryDirectory out("prm-mock-record");
  std::vector<std::string> seen_bodies;
  {
    RunningServer recorder(recorder_config(upstream.port(), out.path()));
    for (const SessionRequest& request : test_value_session()) {
      const auto result = publish_with_record_secret(recorder, request.body);
      REQUIRE(result);
      CHECK(result->status == request.status);
      CHECK(result->get_header_value("Content-Type").starts_with("application/json"));
      seen_bodies.push_back(result->body);
      if (request.status == 429) CHECK(result->get_header_value("Retry-After") == "1");
    }
    // The client saw what the upstream itself answers (bodies without generated values).
    CHECK(parse(seen_bodies[1])["message"] == "registry 'acme/does-not-exist' not found");
    CHECK(parse(seen_bodies[0])["prompt"] == "greeting");
  }

  const std::set<std::string> written = entries(out.path());
  CHECK(written == std::set<std::string>{"acme-does-not-exist-greeting-gpt-4o-1.2.0.json",
                                         "acme-prompts-greeting-gpt-4o-0.0.409.json",
                                         "acme-prompts-greeting-gpt-4o-1.2.0.json",
                                         "acme-prompts-rate-limit-me-gpt-4o-1.2.0.json"});
  for (const std::string& name : written) {
    const std::string text = read_file(out.path() / name);
    CHECK_MESSAGE(text.find(kRecordSecret) == std::string::npos, name);
    const auto fixture = parse(text);
    REQUIRE(fixture.IsObject());
    const std::string from = recorder_config(upstream.port(), out.path()).upstream;
    CHECK(fixture["recorded"]["from"] == from.c_str());
    CHECK(fixture["recorded"]["request"].IsObject());
    CHECK(fixture["when"]["body"].HasMember("/artifact/version"));
  }
  const auto loaded = prm_mock::load_fixture_set({out.path()}, prm_mock::Contract::embedded());
  CHECK(loaded.ok());

  prm_mock::Config replay_config = quiet_config();
  replay_config.fixture_dirs = {out.path().string()};
  RunningServer replay(replay_config);
  const auto session = test_value_session();
  for (std::size_t index = 0; index < session.size(); ++index) {
    const auto result = replay.publish(session[index].body);
    REQUIRE(result);
    CHECK(result->status == session[index].status);
    // Generated values (the 200's id and publishedAt) were recorded, so even they come back.
    CHECK(parse(result->body) == parse(seen_bodies[index]));
  }
}

TEST_CASE("record: the same answer again is not rewritten; a different one gets a sibling") {
  RunningServer upstream;
  TemporaryDirectory out("prm-mock-record");
  RunningServer recorder(recorder_config(upstream.port(), out.path()));
  const std::string not_found = valid_body_with("/registryRef", R"("acme/does-not-exist")");
  REQUIRE(publish_with_record_secret(recorder, not_found));
  REQUIRE(publish_with_record_secret(recorder, not_found));
  CHECK(entries(out.path()).size() == 1);
  // Each 200 carries a fresh id, so a second success is a different answer.
  REQUIRE(publish_with_record_secret(recorder, kValidBody));
  const auto second = publish_with_record_secret(recorder, kValidBody);
  REQUIRE(second);
  CHECK(second->get_header_value("X-Mock-Fixture") == "success");  // the upstream's own header
  CHECK(entries(out.path()) ==
        std::set<std::string>{"acme-does-not-exist-greeting-gpt-4o-1.2.0.json",
                              "acme-prompts-greeting-gpt-4o-1.2.0.json",
                              "acme-prompts-greeting-gpt-4o-1.2.0-2.json"});
  CHECK(prm_mock::load_fixture_set({out.path()}, prm_mock::Contract::embedded()).ok());
}

TEST_CASE("record: an upstream that goes away mid-session gets the client a 502, nothing written") {
  TemporaryDirectory out("prm-mock-record");
  auto upstream = std::make_unique<RunningServer>();
  RunningServer recorder(recorder_config(upstream->port(), out.path()));
  const auto first = publish_with_record_secret(recorder, kValidBody);
  REQUIRE(first);
  CHECK(first->status == 200);
  upstream.reset();  // stopped: its port now refuses connections

  const auto refused =
      publish_with_record_secret(recorder, valid_body_with("/artifact/version", R"("2.0.0")"));
  REQUIRE(refused);
  CHECK(refused->status == 502);
  const auto error = parse(refused->body);
  CHECK(error["code"] == "UPSTREAM_UNAVAILABLE");
  CHECK(error["status"].GetInt() == 502);
  CHECK(error["requestId"].IsString());
  CHECK(entries(out.path()) == std::set<std::string>{"acme-prompts-greeting-gpt-4o-1.2.0.json"});
}

TEST_CASE("record: a silent upstream is a 504 after --upstream-timeout, nothing written") {
  TemporaryDirectory out("prm-mock-record");
  SilentListener silent;
  prm_mock::Config config = recorder_config(silent.port(), out.path());
  config.upstream_timeout_ms = 300;
  RunningServer recorder(config);
  const auto result = publish_with_record_secret(recorder, kValidBody);
  REQUIRE(result);
  CHECK(result->status == 504);
  CHECK(parse(result->body)["code"] == "UPSTREAM_TIMEOUT");
  CHECK(entries(out.path()).empty());
}

TEST_CASE("record: an upstream that answers garbage is a 502, nothing written") {
  TemporaryDirectory out("prm-mock-record");
  SilentListener listener;
  std::thread garbage([&listener] {
    const int connection = ::accept(listener.socket(), nullptr, nullptr);
    if (connection < 0) return;
    char buffer[4096];
    (void)::recv(connection, buffer, sizeof buffer, 0);
    const std::string reply = "this is not HTTP at all\r\n\r\n";
    (void)::send(connection, reply.data(), reply.size(), MSG_NOSIGNAL);
    ::close(connection);
  });
  RunningServer recorder(recorder_config(listener.port(), out.path()));
  const auto result = publish_with_record_secret(recorder, kValidBody);
  garbage.join();
  REQUIRE(result);
  CHECK(result->status == 502);
  CHECK(parse(result->body)["code"] == "UPSTREAM_UNAVAILABLE");
  CHECK(entries(out.path()).empty());
}

TEST_CASE("verify: recordings hold against their upstream; a changed shape is reported as drift") {
  RunningServer upstream;
  TemporaryDirectory out("prm-mock-record");
  {
    RunningServer recorder(recorder_config(upstream.port(), out.path()));
    for (const SessionRequest& request : test_value_session()) {
      REQUIRE(publish_with_record_secret(recorder, request.body));
    }
  }
  prm_mock::Config config = quiet_config();
  config.fixture_dirs = {out.path().string()};
  config.api_keys = {"k-test"};
  prm_mock::VerifyOptions verify;
  verify.target = "http://127.0.0.1:" + std::to_string(upstream.port());

  std::ostringstream report;
  std::ostringstream errors;
  CHECK(prm_mock::run_verify_command(config, verify, report, errors) == 0);
  CHECK(report.str() ==
        "PASS acme-does-not-exist-greeting-gpt-4o-1.2.0\n"
        "PASS acme-prompts-greeting-gpt-4o-0.0.409\n"
        "PASS acme-prompts-greeting-gpt-4o-1.2.0\n"
        "PASS acme-prompts-rate-limit-me-gpt-4o-1.2.0\n"
        "4 passed, 0 failed\n");

  // The upstream's 404 changes shape: message becomes a number, code appears.
  const std::string changed =
      R"({"name":"registry-moved","priority":500,)"
      R"("when":{"body":{"/registryRef":{"equals":"acme/does-not-exist"}}},)"
      R"("response":{"status":404,"body":{"message":404,"code":"GONE"}}})";
  const auto added = upstream.client().Post("/__admin/fixtures", changed, "application/json");
  REQUIRE(added);
  REQUIRE(added->status / 100 == 2);

  std::ostringstream drift_report;
  CHECK(prm_mock::run_verify_command(config, verify, drift_report, errors) == 1);
  CHECK(drift_report.str() ==
        "DRIFT acme-does-not-exist-greeting-gpt-4o-1.2.0: /message expected string found number, "
        "/code unexpected\n"
        "PASS acme-prompts-greeting-gpt-4o-0.0.409\n"
        "PASS acme-prompts-greeting-gpt-4o-1.2.0\n"
        "PASS acme-prompts-rate-limit-me-gpt-4o-1.2.0\n"
        "3 passed, 1 failed\n");

  SUBCASE("--format json") {
    verify.json = true;
    std::ostringstream json_report;
    CHECK(prm_mock::run_verify_command(config, verify, json_report, errors) == 1);
    const auto document = parse(json_report.str());
    REQUIRE(document.IsObject());
    CHECK(document["passed"].GetInt() == 3);
    CHECK(document["failed"].GetInt() == 1);
    CHECK(document["fixtures"][0]["result"] == "DRIFT");
    CHECK(document["fixtures"][0]["differences"].Size() == 2);
  }
  SUBCASE("--compare-values makes a value difference drift") {
    verify.compare_values = {"/prompt"};
    // The success recording's prompt is "greeting"; the upstream echoes it, so it still holds.
    std::ostringstream compared;
    CHECK(prm_mock::run_verify_command(config, verify, compared, errors) == 1);
    CHECK(compared.str().find("PASS acme-prompts-greeting-gpt-4o-1.2.0\n") != std::string::npos);
    verify.compare_values = {"/id"};  // a fresh uuid each time
    std::ostringstream ids;
    CHECK(prm_mock::run_verify_command(config, verify, ids, errors) == 1);
    CHECK(ids.str().find("DRIFT acme-prompts-greeting-gpt-4o-1.2.0: /id expected \"") !=
          std::string::npos);
  }
}

TEST_CASE("verify: no target or nothing to replay is a usage error") {
  TemporaryDirectory empty("prm-mock-record");
  prm_mock::Config config = quiet_config();
  config.fixture_dirs = {empty.path().string()};
  prm_mock::VerifyOptions verify;
  std::ostringstream out;
  std::ostringstream err;
  CHECK(prm_mock::run_verify_command(config, verify, out, err) == 2);
  verify.target = "http://127.0.0.1:9";
  CHECK(prm_mock::run_verify_command(config, verify, out, err) == 2);
  CHECK(err.str().find("no fixture with recorded.request") != std::string::npos);
}
