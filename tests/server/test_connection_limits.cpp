// Connection handling under pressure: many keep-alive connections on few workers, slow and idle
// clients ended by time limits, the --max-connections cap, and HTTPS on the same loop.
#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "hostile_checks.hpp"
#include "raw_connection.hpp"
#include "self_signed_certificate.hpp"
#include "temporary_directory.hpp"
#include "test_server.hpp"

using namespace std::chrono_literals;
using prm_mock::testing::error_code_of;
using prm_mock::testing::kValidBody;
using prm_mock::testing::make_self_signed_certificate;
using prm_mock::testing::metrics_text;
using prm_mock::testing::parse;
using prm_mock::testing::publish_request;
using prm_mock::testing::quiet_config;
using prm_mock::testing::RawConnection;
using prm_mock::testing::RunningServer;
using prm_mock::testing::serve_tls_with;
using prm_mock::testing::status_of;
using prm_mock::testing::TemporaryDirectory;
using prm_mock::testing::trust_only;

namespace {

const std::string kPartialHead = "POST /api/registries/artifacts HTTP/1.1\r\nHost: 127.0.0.1\r\n";

std::size_t journal_total_of(RunningServer& mock) {
  const auto answer = mock.client().Get("/__admin/requests?limit=1");
  REQUIRE(answer);
  return parse(answer->body)["total"].GetUint64();
}

}  // namespace

TEST_CASE("256 keep-alive connections on 4 workers are all served, twice over") {
  // cpp-httplib's own pool holds a thread per keep-alive connection: 4 threads would serve 4
  // connections and starve the other 252 until they closed.
  prm_mock::Config config = quiet_config();
  config.threads = 4;
  RunningServer mock(config);
  std::vector<std::unique_ptr<RawConnection>> connections;
  for (int index = 0; index < 256; ++index)
    connections.push_back(std::make_unique<RawConnection>(mock.port()));
  for (int round = 0; round < 2; ++round) {
    CAPTURE(round);
    for (auto& connection : connections) REQUIRE(connection->send(publish_request()));
    int answered = 0;
    for (auto& connection : connections) answered += status_of(connection->read_response()) == 200;
    CHECK(answered == 256);
  }
  CHECK(journal_total_of(mock) == 512);
}

TEST_CASE("an idle keep-alive connection is closed after --idle-timeout") {
  prm_mock::Config config = quiet_config();
  config.idle_timeout_ms = 200;
  RunningServer mock(config);
  RawConnection connection(mock.port());
  REQUIRE(connection.send(publish_request()));
  const std::string response = connection.read_response();
  CHECK(status_of(response) == 200);
  // The Keep-Alive header tells clients the same limit in whole seconds, rounded down: a client
  // told "1" would count on a second the mock does not give it.
  CHECK(response.find("Keep-Alive: timeout=0\r\n") != std::string::npos);
  std::string after;
  CHECK(connection.wait_closed_by_server(10s, &after));
  CHECK(after.empty());  // closed silently, as an idle keep-alive connection should be
}

TEST_CASE("clients stuck halfway through a request head cost no worker") {
  prm_mock::Config config = quiet_config();
  config.threads = 1;
  RunningServer mock(config);
  std::vector<std::unique_ptr<RawConnection>> stuck;
  for (int index = 0; index < 8; ++index) {
    stuck.push_back(std::make_unique<RawConnection>(mock.port()));
    REQUIRE(stuck.back()->send(kPartialHead));
  }
  // With one worker blocked on any of them, this would wait for the 30 s request timeout.
  RawConnection normal(mock.port());
  REQUIRE(normal.send(publish_request()));
  CHECK(status_of(normal.read_response(5s)) == 200);
  // The stuck clients are still connected, waiting: nothing was answered to them.
  for (auto& connection : stuck) CHECK(connection->read_response(0ms).empty());
}

TEST_CASE("clients halfway through a request body cost no worker, and are answered once it is in") {
  prm_mock::Config config = quiet_config();
  config.threads = 1;
  RunningServer mock(config);
  const std::string request = publish_request();
  const std::size_t half = request.size() - kValidBody.size() / 2;
  std::vector<std::unique_ptr<RawConnection>> uploading;
  for (int index = 0; index < 8; ++index) {
    uploading.push_back(std::make_unique<RawConnection>(mock.port()));
    REQUIRE(uploading.back()->send(request.substr(0, half)));
  }
  // With the one worker reading any of these bodies, this would wait for --io-timeout (10 s).
  RawConnection normal(mock.port());
  REQUIRE(normal.send(publish_request()));
  CHECK(status_of(normal.read_response(5s)) == 200);
  for (auto& connection : uploading) {
    CHECK(connection->read_response(0ms).empty());
    REQUIRE(connection->send(request.substr(half)));
  }
  for (auto& connection : uploading) CHECK(status_of(connection->read_response(5s)) == 200);
  CHECK(journal_total_of(mock) == 9);
}

TEST_CASE("a request head that trickles in is answered 408 once --request-timeout passes") {
  prm_mock::Config config = quiet_config();
  config.request_timeout_ms = 300;
  RunningServer mock(config);
  RawConnection slowloris(mock.port());
  // One byte every 20 ms: every single read is quick, only the whole head is too slow. Sending
  // stops at the first failure (the server closed) or once the head is through.
  std::thread trickle([&] {
    const std::string head = publish_request();
    for (char byte : head.substr(0, head.find("\r\n\r\n"))) {
      if (!slowloris.send(std::string(1, byte))) return;
      std::this_thread::sleep_for(20ms);  // the client's pace, not synchronisation
    }
  });
  std::string answer;
  CHECK(slowloris.wait_closed_by_server(10s, &answer));
  trickle.join();
  CHECK(status_of(answer) == 408);
  CHECK(error_code_of(answer) == "REQUEST_TIMEOUT");
  CHECK(answer.find("Connection: close") != std::string::npos);
  CHECK(mock.publish(kValidBody)->status == 200);
  CHECK(metrics_text(mock).find("prm_mock_request_heads_timed_out_total 1\n") != std::string::npos);
}

TEST_CASE("a body that stops arriving is answered 408 and journaled") {
  prm_mock::Config config = quiet_config();
  config.io_timeout_ms = 200;
  RunningServer mock(config);
  RawConnection stalled(mock.port());
  REQUIRE(
      stalled.send("POST /api/registries/artifacts HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                   "X-API-Key: k-test\r\nContent-Type: application/json\r\n"
                   "Content-Length: 100\r\n\r\n{\"registryRef\":"));
  std::string answer;
  CHECK(stalled.wait_closed_by_server(10s, &answer));
  CHECK(status_of(answer) == 408);
  CHECK(error_code_of(answer) == "REQUEST_TIMEOUT");
  // Nothing received is lost: the cut-off request is in the journal with its answer.
  CHECK(journal_total_of(mock) == 1);
  CHECK(mock.publish(kValidBody)->status == 200);
}

TEST_CASE("at twice --max-connections, the admitted are served and the rest refused with a 503") {
  prm_mock::Config config = quiet_config();
  config.max_connections = 8;
  RunningServer mock(config);
  // Connections are accepted in the order they were made: the first 8 are admitted.
  std::vector<std::unique_ptr<RawConnection>> connections;
  for (int index = 0; index < 16; ++index)
    connections.push_back(std::make_unique<RawConnection>(mock.port()));
  int served = 0;
  int refused = 0;
  std::set<std::string> refusal_ids;
  for (std::size_t index = 0; index < connections.size(); ++index) {
    CAPTURE(index);
    connections[index]->send(publish_request());
    const std::string answer = connections[index]->read_response();
    if (index < 8) {
      served += status_of(answer) == 200;
    } else {
      refused += status_of(answer) == 503 && error_code_of(answer) == "TOO_MANY_CONNECTIONS" &&
                 connections[index]->wait_closed_by_server(10s);
      const auto id_at = answer.find("X-Request-Id: ");
      if (id_at != std::string::npos) refusal_ids.insert(answer.substr(id_at + 14, 36));
    }
  }
  CHECK(served == 8);
  CHECK(refused == 8);
  CHECK(refusal_ids.size() == 8);  // every response, refusals too, has its own request id
  // Once the admitted clients leave, their places are free again.
  connections.clear();
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  int status = 0;
  int refused_while_leaving = 0;  // the server may not have seen every close yet
  while (status != 200 && std::chrono::steady_clock::now() < deadline) {
    RawConnection again(mock.port());
    again.send(publish_request(true));
    status = status_of(again.read_response());
    refused_while_leaving += status == 503;
  }
  CHECK(status == 200);
  CHECK(journal_total_of(mock) == 9);  // refused connections were never read
  CHECK(metrics_text(mock).find("prm_mock_connections_refused_total " +
                                std::to_string(8 + refused_while_leaving) + "\n") !=
        std::string::npos);
}

TEST_CASE("HTTPS with --tls-cert and --tls-key") {
  TemporaryDirectory certificates("prm-mock-serve-tls");
  REQUIRE(make_self_signed_certificate(certificates.path()));
  prm_mock::Config config = quiet_config();
  serve_tls_with(config, certificates.path());

  SUBCASE("publishes are served and journaled; plain HTTP on the port is refused cleanly") {
    RunningServer mock(config);
    CHECK(mock.server().base_url().rfind("https://127.0.0.1:", 0) == 0);
    httplib::SSLClient client("127.0.0.1", mock.port());
    trust_only(client, config);
    client.set_keep_alive(true);
    for (int index = 0; index < 3; ++index) {
      const auto answer = client.Post("/api/registries/artifacts", mock.key_headers(), kValidBody,
                                      "application/json");
      REQUIRE(answer);
      CHECK(answer->status == 200);
      CHECK(parse(answer->body)["registryRef"] == "acme/prompts");
    }
    const auto invalid =
        client.Post("/api/registries/artifacts", mock.key_headers(), "{}", "application/json");
    REQUIRE(invalid);
    CHECK(invalid->status == 400);

    RawConnection plain(mock.port());
    plain.send(publish_request());
    std::string answer;
    CHECK(plain.wait_closed_by_server(10s, &answer));
    CHECK(answer.find("HTTP/1.1 200") == std::string::npos);

    // The plain request is journaled too, as refused (test_http_details.cpp has the details).
    const auto journal = client.Get("/__admin/requests?limit=10");
    REQUIRE(journal);
    const auto entries = parse(journal->body);
    CHECK(entries["total"].GetUint64() == 5);
    CHECK(entries["requests"][4]["status"].GetInt() == 400);
  }

  SUBCASE("TLS heads are checked like plain ones: a large one is served, a malformed one refused") {
    RunningServer mock(config);
    httplib::SSLClient client("127.0.0.1", mock.port());
    trust_only(client, config);
    // 48 KB of headers: more than the stream's usual buffer, read whole before httplib parses it.
    httplib::Headers large = mock.key_headers();
    for (int index = 0; index < 48; ++index) {
      large.emplace("X-Large-" + std::to_string(index), std::string(1000, 'v'));
    }
    const auto served =
        client.Post("/api/registries/artifacts", large, kValidBody, "application/json");
    REQUIRE(served);
    CHECK(served->status == 200);
    // httplib's client writes header names as given: this one has a space before its colon.
    httplib::Headers malformed = mock.key_headers();
    malformed.emplace("X-Space ", "v");
    const auto refused =
        client.Post("/api/registries/artifacts", malformed, kValidBody, "application/json");
    REQUIRE(refused);
    CHECK(refused->status == 400);
    CHECK(parse(refused->body)["code"] == "BAD_REQUEST");
    CHECK(refused->get_header_value("Connection") == "close");
    const auto journal = client.Get("/__admin/requests?limit=10");
    REQUIRE(journal);
    const auto entries = parse(journal->body);
    REQUIRE(entries["total"].GetUint64() == 2);
    CHECK(entries["requests"][1]["status"].GetInt() == 400);
    CHECK(std::string(entries["requests"][1]["headers"]["X-API-Key"].GetString())
              .rfind("[redacted]", 0) == 0);
  }

  SUBCASE("a key that does not match the certificate stops the start with a clear message") {
    TemporaryDirectory other("prm-mock-serve-tls-other");
    REQUIRE(make_self_signed_certificate(other.path()));
    config.tls_key = (other.path() / "key.pem").string();
    config.port = 0;
    CHECK_THROWS_WITH_AS(prm_mock::Server{config}, doctest::Contains("--tls-key"),
                         std::runtime_error);
  }

  SUBCASE("a missing certificate file is named") {
    config.tls_cert = (certificates.path() / "missing.pem").string();
    config.port = 0;
    CHECK_THROWS_WITH_AS(prm_mock::Server{config}, doctest::Contains("missing.pem"),
                         std::runtime_error);
  }
}
