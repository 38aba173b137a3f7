// A fixture's `dribble` sends a whole, correctly framed body slowly: the pieces leave on reactor
// timers, so no worker waits between them, and shutting down sends the rest at once.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "raw_connection.hpp"
#include "temporary_directory.hpp"
#include "test_server.hpp"

using namespace std::chrono_literals;
using prm_mock::testing::metrics_text;
using prm_mock::testing::parse;
using prm_mock::testing::publish_request;
using prm_mock::testing::quiet_config;
using prm_mock::testing::RawConnection;
using prm_mock::testing::RunningServer;
using prm_mock::testing::status_of;
using prm_mock::testing::TemporaryDirectory;

namespace {

using SteadyClock = std::chrono::steady_clock;

// Long enough that four pieces are several bytes each.
const std::string kDribbledMessage(200, 'x');

// One worker, so a worker held by the dribble would hold up every other request; "dribbled"
// (selected by Prefer only) answers with `dribble` and `delay_ms`.
struct DribbleServer {
  DribbleServer(const std::string& dribble, int delay_ms) : directory("dribble") {
    directory.write("dribbled.json", R"({"name":"dribbled","priority":-1,"delayMs":)" +
                                         std::to_string(delay_ms) +
                                         R"(,"response":{"status":200,"body":{"message":")" +
                                         kDribbledMessage + R"("},"dribble":)" + dribble + "}}");
    prm_mock::Config config = quiet_config();
    config.threads = 1;
    config.fixture_dirs = {directory.path().string()};
    mock = std::make_unique<RunningServer>(config);
  }
  TemporaryDirectory directory;
  std::unique_ptr<RunningServer> mock;
};

std::string preferring_dribbled() {
  std::string request = publish_request();
  request.insert(request.find("\r\n") + 2, "Prefer: example=dribbled\r\n");
  return request;
}

// The body of a whole response, checked against its Content-Length.
std::string body_checked(const std::string& response) {
  const auto head_end = response.find("\r\n\r\n");
  REQUIRE(head_end != std::string::npos);
  const auto length_at = response.find("Content-Length: ");
  REQUIRE(length_at < head_end);
  const std::string body = response.substr(head_end + 4);
  CHECK(std::strtoull(response.c_str() + length_at + 16, nullptr, 10) == body.size());
  return body;
}

// When the first body byte arrived: the first receive that brought more than the head.
SteadyClock::time_point first_body_byte(const std::vector<RawConnection::TimedRead>& reads,
                                        std::size_t head_bytes) {
  std::size_t received = 0;
  for (const auto& read : reads) {
    received += read.bytes;
    if (received > head_bytes) return read.at;
  }
  return SteadyClock::time_point::max();
}

bool waiting_gauge_reaches(RunningServer& mock, int value) {
  const std::string line = "prm_mock_exchanges_waiting " + std::to_string(value) + "\n";
  const auto deadline = SteadyClock::now() + 10s;
  while (SteadyClock::now() < deadline) {
    if (metrics_text(mock).find(line) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("a dribbled body arrives whole over overMs, and the one worker serves others meanwhile") {
  DribbleServer server(R"({"chunks":4,"overMs":400})", 0);
  RunningServer& mock = *server.mock;
  RawConnection slow(mock.port());
  REQUIRE(slow.send(preferring_dribbled()));
  std::vector<RawConnection::TimedRead> reads;
  std::string response;
  std::thread reader([&] { response = slow.read_response(10s, reads); });

  // The dribble has begun (its connection waits in the reactor); another client is answered.
  const bool dribbling = waiting_gauge_reaches(mock, 1);
  RawConnection other(mock.port());
  const auto other_sent = SteadyClock::now();
  REQUIRE(other.send(publish_request()));
  const std::string other_response = other.read_response(10s);
  const auto other_answered = SteadyClock::now();
  reader.join();

  REQUIRE(dribbling);
  CHECK(status_of(other_response) == 200);
  REQUIRE(status_of(response) == 200);
  CHECK(response.find("X-Mock-Fixture: dribbled") != std::string::npos);
  const std::string body = body_checked(response);
  const auto document = parse(body);
  REQUIRE(document.IsObject());
  CHECK(document["message"].GetString() == kDribbledMessage);

  const auto first = first_body_byte(reads, response.find("\r\n\r\n") + 4);
  const auto last = reads.back().at;
  const auto spread = std::chrono::duration_cast<std::chrono::milliseconds>(last - first);
  const auto other_took =
      std::chrono::duration_cast<std::chrono::milliseconds>(other_answered - other_sent);
  const auto other_before_end =
      std::chrono::duration_cast<std::chrono::milliseconds>(last - other_answered);
  MESSAGE("dribble: " << reads.size() << " reads, first to last body byte " << spread.count()
                      << " ms; other client answered in " << other_took.count() << " ms, "
                      << other_before_end.count() << " ms before the dribble ended");
  CHECK(reads.size() > 1);
  CHECK(spread >= 320ms);  // 80% of overMs
  CHECK(other_took < 150ms);
  CHECK(other_before_end >= 150ms);
  // Still a keep-alive connection.
  REQUIRE(slow.send(publish_request()));
  CHECK(status_of(slow.read_response(10s)) == 200);
}

TEST_CASE("a delay comes first, then the dribble") {
  DribbleServer server(R"({"chunks":2,"overMs":200})", 200);
  RawConnection slow(server.mock->port());
  const auto sent = SteadyClock::now();
  REQUIRE(slow.send(preferring_dribbled()));
  std::vector<RawConnection::TimedRead> reads;
  const std::string response = slow.read_response(10s, reads);
  REQUIRE(status_of(response) == 200);
  CHECK(body_checked(response).size() > kDribbledMessage.size());
  const auto first = first_body_byte(reads, response.find("\r\n\r\n") + 4);
  CHECK(reads.front().at - sent >= 200ms);
  CHECK(reads.back().at - first >= 160ms);
  CHECK(reads.back().at - sent >= 360ms);
}

TEST_CASE("shutting down during a dribble sends the rest of the body at once") {
  DribbleServer server(R"({"chunks":2,"overMs":60000})", 0);
  RunningServer& mock = *server.mock;
  RawConnection slow(mock.port());
  REQUIRE(slow.send(preferring_dribbled()));
  REQUIRE(waiting_gauge_reaches(mock, 1));
  const auto stopping = SteadyClock::now();
  mock.server().stop();
  const std::string response = slow.read_response(10s);
  CHECK(SteadyClock::now() - stopping < 5s);
  REQUIRE(status_of(response) == 200);
  CHECK(parse(body_checked(response))["message"].GetString() == kDribbledMessage);
}

TEST_CASE("the admin fixture listing shows a dribble") {
  DribbleServer server(R"({"chunks":4,"overMs":400})", 0);
  const auto listing = server.mock->client().Get("/__admin/fixtures");
  REQUIRE(listing);
  CHECK(listing->body.find(R"("dribble":{"chunks":4,"overMs":400})") != std::string::npos);
}
