// Exchanges that wait on purpose (a fixture's delay, the timeout fault's held connection) wait on
// timers in the connection loop: many more of them than there are workers never hold up anyone
// else, they end on time, and shutting down ends them at once.
#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "http/connection_server.hpp"
#include "raw_connection.hpp"
#include "temporary_directory.hpp"
#include "test_server.hpp"

using namespace std::chrono_literals;
using prm_mock::testing::kValidBody;
using prm_mock::testing::metrics_text;
using prm_mock::testing::parse;
using prm_mock::testing::publish_request;
using prm_mock::testing::quiet_config;
using prm_mock::testing::RawConnection;
using prm_mock::testing::RunningServer;
using prm_mock::testing::status_of;
using prm_mock::testing::TemporaryDirectory;

namespace {

// Far more waiting exchanges than the two workers these tests run with.
constexpr int kWaitingClients = 64;

// A server with two workers and two fixtures that only Prefer selects: "slow" answers after
// `delay_ms`, "hold" never answers (the timeout fault).
struct WaitingServer {
  explicit WaitingServer(int delay_ms) : directory("waiting") {
    directory.write("slow.json", R"({"name":"slow","priority":-1,"delayMs":)" +
                                     std::to_string(delay_ms) +
                                     R"(,"response":{"status":200,"body":{"message":"late"}}})");
    directory.write("hold.json",
                    R"({"name":"hold","priority":-1,"fault":"timeout","response":{"status":200}})");
    prm_mock::Config config = quiet_config();
    config.threads = 2;
    config.fixture_dirs = {directory.path().string()};
    mock = std::make_unique<RunningServer>(config);
  }
  TemporaryDirectory directory;
  std::unique_ptr<RunningServer> mock;
};

// The publish request that selects `fixture`.
std::string preferring(const std::string& fixture) {
  std::string request = publish_request();
  request.insert(request.find("\r\n") + 2, "Prefer: example=" + fixture + "\r\n");
  return request;
}

// Polls the server's own gauge until it reads `value` (bounded: false after 10 s).
// Polls /__admin/metrics until `gauge` reads `value`: gauges are updated by the reactor and the
// workers as they get to it, not in the same instant as the event a test causes.
bool gauge_reaches(RunningServer& mock, const std::string& gauge, int value) {
  const std::string line = gauge + " " + std::to_string(value) + "\n";
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (std::chrono::steady_clock::now() < deadline) {
    if (metrics_text(mock).find(line) != std::string::npos) return true;
  }
  return false;
}

bool waiting_gauge_reaches(RunningServer& mock, int value) {
  return gauge_reaches(mock, "prm_mock_exchanges_waiting", value);
}

std::vector<std::unique_ptr<RawConnection>> send_from_many(int port, const std::string& request) {
  std::vector<std::unique_ptr<RawConnection>> clients;
  for (int index = 0; index < kWaitingClients; ++index) {
    clients.push_back(std::make_unique<RawConnection>(port));
    REQUIRE(clients.back()->send(request));
  }
  return clients;
}

}  // namespace

TEST_CASE(
    "64 delayed responses on 2 workers: others are answered meanwhile, and shutdown sends "
    "the delayed ones at once") {
  // A minute: were a worker waiting out any of these delays, everything below would time out.
  WaitingServer server(60000);
  RunningServer& mock = *server.mock;
  auto delayed = send_from_many(mock.port(), preferring("slow"));
  REQUIRE(waiting_gauge_reaches(mock, kWaitingClients));

  for (int round = 0; round < 5; ++round) CHECK(mock.publish(kValidBody)->status == 200);
  // Journaled before they are answered, with the delay they were given.
  const auto listing = mock.client().Get("/__admin/requests?fixture=slow");
  REQUIRE(listing);
  const auto journal = parse(listing->body);
  CHECK(journal["count"].GetInt() == kWaitingClients);
  CHECK(journal["requests"][0]["delayMs"].GetInt() == 60000);
  for (auto& client : delayed) CHECK(client->read_response(0ms).empty());

  mock.server().stop();
  for (auto& client : delayed) {
    const std::string response = client->read_response(10s);
    CHECK(status_of(response) == 200);
    CHECK(response.find("X-Mock-Fixture: slow") != std::string::npos);
  }
}

TEST_CASE("a delayed response leaves when due, and a request pipelined behind it waits its turn") {
  WaitingServer server(300);
  RawConnection connection(server.mock->port());
  const auto sent = std::chrono::steady_clock::now();
  REQUIRE(connection.send(preferring("slow") + publish_request()));
  const std::string first = connection.read_response(10s);
  CHECK(std::chrono::steady_clock::now() - sent >= 300ms);
  CHECK(status_of(first) == 200);
  CHECK(first.find("X-Mock-Fixture: slow") != std::string::npos);
  const std::string second = connection.read_response(10s);
  CHECK(status_of(second) == 200);
  CHECK(second.find("X-Mock-Fixture: success") != std::string::npos);
  // Still a keep-alive connection.
  REQUIRE(connection.send(publish_request()));
  CHECK(status_of(connection.read_response(10s)) == 200);
}

TEST_CASE(
    "64 held-open connections on 2 workers: others are answered, and each hold ends when "
    "its client gives up") {
  WaitingServer server(0);
  RunningServer& mock = *server.mock;
  auto held = send_from_many(mock.port(), preferring("hold"));
  REQUIRE(waiting_gauge_reaches(mock, kWaitingClients));
  for (int round = 0; round < 5; ++round) CHECK(mock.publish(kValidBody)->status == 200);
  for (auto& client : held) CHECK(client->read_response(0ms).empty());

  held.clear();  // the clients give up
  CHECK(waiting_gauge_reaches(mock, 0));
  // Only the connection asking for the metrics stays open. The waiting gauge drops when the
  // reactor notices a client left, a moment before the connection is counted closed.
  CHECK(gauge_reaches(mock, "prm_mock_connections_open", 1));
}

TEST_CASE("shutting down closes held-open connections at once, without a response") {
  WaitingServer server(0);
  RunningServer& mock = *server.mock;
  auto held = send_from_many(mock.port(), preferring("hold"));
  REQUIRE(waiting_gauge_reaches(mock, kWaitingClients));
  mock.server().stop();
  for (auto& client : held) {
    std::string received;
    CHECK(client->wait_closed_by_server(10s, &received));
    CHECK(received.empty());
  }
}

TEST_CASE("closing connections linger in the reactor, not on a worker") {
  // After a "Connection: close" response the server sends FIN and discards what the client still
  // sends until it closes (up to 2 s). These clients never close: were a worker lingering on each,
  // the one worker would answer one of them every 2 s.
  prm_mock::Config config = quiet_config();
  config.threads = 1;
  RunningServer mock(config);
  std::vector<std::unique_ptr<RawConnection>> closing;
  for (int index = 0; index < 8; ++index) {
    closing.push_back(std::make_unique<RawConnection>(mock.port()));
    REQUIRE(closing.back()->send(publish_request(true)));
    CHECK(status_of(closing.back()->read_response(1500ms)) == 200);
  }
  RawConnection normal(mock.port());
  REQUIRE(normal.send(publish_request()));
  CHECK(status_of(normal.read_response(1500ms)) == 200);
  // Each was closed by the server once its linger ended.
  for (auto& connection : closing) CHECK(connection->wait_closed_by_server(10s));
}

TEST_CASE("a handler's record of its exchange exists only while httplib handles a request") {
  CHECK_THROWS_AS(prm_mock::ConnectionServer::exchange_in_progress(), std::logic_error);
}
