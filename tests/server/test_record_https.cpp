// prm-mock record against an https upstream: a self-signed certificate made with the openssl CLI,
// trusted through --upstream-ca, skipped with --insecure, and refused (502) with neither.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>

#include "self_signed_certificate.hpp"
#include "temporary_directory.hpp"
#include "test_server.hpp"

using prm_mock::testing::kValidBody;
using prm_mock::testing::make_self_signed_certificate;
using prm_mock::testing::parse;
using prm_mock::testing::quiet_config;
using prm_mock::testing::RunningServer;
using prm_mock::testing::TemporaryDirectory;

namespace {

// A TLS server answering the publish path like the real API would (prm_mock::Server can serve TLS
// too, but this stands for a different, real API).
class TlsUpstream {
 public:
  explicit TlsUpstream(const std::filesystem::path& directory)
      : server_((directory / "cert.pem").c_str(), (directory / "key.pem").c_str()) {
    server_.Post("/api/registries/artifacts", [](const httplib::Request& request,
                                                 httplib::Response& response) {
      const auto body = parse(request.body);
      response.set_header("Set-Cookie", "session=tls-upstream-cookie-secret");
      response.set_content(std::string(R"({"id":"tls-1","registryRef":")") +
                               body["registryRef"].GetString() + R"(","seenKey":)" +
                               (request.has_header("X-API-Key") ? "true" : "false") + "}",
                           "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    // The socket listens from here on; connections wait in its backlog until the loop accepts.
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~TlsUpstream() {
    while (!server_.is_running()) std::this_thread::yield();  // stop() needs a running loop
    server_.stop();
    thread_.join();
  }
  int port() const { return port_; }

 private:
  httplib::SSLServer server_;
  int port_ = 0;
  std::thread thread_;
};

prm_mock::Config tls_recorder_config(int port, const std::filesystem::path& out) {
  prm_mock::Config config = quiet_config();
  config.upstream = "https://127.0.0.1:" + std::to_string(port);
  config.record_out = out.string();
  config.upstream_timeout_ms = 5000;
  return config;
}

std::size_t file_count(const std::filesystem::path& directory) {
  if (!std::filesystem::exists(directory)) return 0;
  return static_cast<std::size_t>(std::distance(std::filesystem::directory_iterator(directory),
                                                std::filesystem::directory_iterator()));
}

}  // namespace

TEST_CASE("record: an https upstream with a self-signed certificate") {
  TemporaryDirectory certificates("prm-mock-tls");
  REQUIRE(make_self_signed_certificate(certificates.path()));
  TlsUpstream upstream(certificates.path());

  SUBCASE("trusted through --upstream-ca") {
    TemporaryDirectory out("prm-mock-record");
    prm_mock::Config config = tls_recorder_config(upstream.port(), out.path());
    config.upstream_ca = (certificates.path() / "cert.pem").string();
    RunningServer recorder(config);
    const auto result = recorder.publish(kValidBody);
    REQUIRE(result);
    CHECK(result->status == 200);
    CHECK(parse(result->body)["seenKey"].GetBool());  // the client's own key was forwarded
    // The client gets the upstream's cookie; the recording only its fingerprint.
    CHECK(result->get_header_value("Set-Cookie") == "session=tls-upstream-cookie-secret");
    REQUIRE(file_count(out.path()) == 1);
    const auto fixture = parse([&] {
      std::ifstream in(out.path() / "acme-prompts-greeting-gpt-4o-1.2.0.json");
      return std::string(std::istreambuf_iterator<char>(in), {});
    }());
    REQUIRE(fixture.IsObject());
    CHECK(fixture["response"]["body"]["id"] == "tls-1");
    const std::string cookie = fixture["response"]["headers"]["Set-Cookie"].GetString();
    CHECK(cookie.starts_with("[redacted]"));
    CHECK(cookie.find("tls-upstream-cookie-secret") == std::string::npos);
  }
  SUBCASE("--insecure skips verification") {
    TemporaryDirectory out("prm-mock-record");
    prm_mock::Config config = tls_recorder_config(upstream.port(), out.path());
    config.insecure = true;
    RunningServer recorder(config);
    const auto result = recorder.publish(kValidBody);
    REQUIRE(result);
    CHECK(result->status == 200);
    CHECK(file_count(out.path()) == 1);
  }
  SUBCASE("an untrusted certificate is a 502 and nothing is recorded") {
    TemporaryDirectory out("prm-mock-record");
    RunningServer recorder(tls_recorder_config(upstream.port(), out.path()));
    const auto result = recorder.publish(kValidBody);
    REQUIRE(result);
    CHECK(result->status == 502);
    CHECK(parse(result->body)["code"] == "UPSTREAM_UNAVAILABLE");
    CHECK(file_count(out.path()) == 0);
  }
}
