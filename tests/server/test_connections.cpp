// Connection-level behaviour: keep-alive, pipelining, bodies left unread, raw HTTP garbage,
// concurrency and shutdown. Raw sockets show exactly what goes over the wire.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "raw_connection.hpp"
#include "test_server.hpp"

using prm_mock::testing::kValidBody;
using prm_mock::testing::parse;
using prm_mock::testing::raw_exchange;
using prm_mock::testing::RunningServer;

namespace {

std::string raw_publish_request(const std::string& body, const std::string& extra_headers = "") {
  return "POST /api/registries/artifacts HTTP/1.1\r\nHost: localhost\r\nX-API-Key: k\r\n"
         "Content-Type: application/json\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n" + extra_headers + "\r\n" + body;
}

int count_of(const std::string& text, const std::string& needle) {
  int count = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
    ++count;
  return count;
}

}  // namespace

TEST_CASE("pipelined requests on one connection are all answered in order") {
  RunningServer mock;
  const std::string three = raw_publish_request(kValidBody) + raw_publish_request("{") +
                            raw_publish_request(kValidBody, "Connection: close\r\n");
  const std::string answer = raw_exchange(mock.port(), three);
  CHECK(count_of(answer, "HTTP/1.1 200") == 2);
  CHECK(count_of(answer, "HTTP/1.1 400") == 1);
  CHECK(answer.find("HTTP/1.1 400") > answer.find("HTTP/1.1 200"));
}

TEST_CASE("a client that waits for 100 Continue gets it before it sends the body") {
  // Responses are collected and sent whole; an interim response must not wait in that buffer
  // while the server waits for a body the client holds back until it sees the interim response.
  RunningServer mock;
  prm_mock::testing::RawConnection client(mock.port());
  const std::string request = raw_publish_request(kValidBody, "Expect: 100-continue\r\n");
  REQUIRE(client.send(request.substr(0, request.size() - kValidBody.size())));
  const std::string interim = client.read_response(std::chrono::seconds(5));
  CHECK(interim.rfind("HTTP/1.1 100 Continue\r\n", 0) == 0);
  REQUIRE(client.send(std::string(kValidBody)));
  CHECK(prm_mock::testing::status_of(client.read_response()) == 200);
}

TEST_CASE("HTTP/1.0 requests are answered and the connection closed") {
  RunningServer mock;
  std::string request = raw_publish_request(kValidBody);
  request.replace(request.find("HTTP/1.1"), 8, "HTTP/1.0");
  const std::string answer = raw_exchange(mock.port(), request);
  CHECK(answer.find(" 200 ") != std::string::npos);
  CHECK(answer.find("Connection: close") != std::string::npos);
}

TEST_CASE("garbage instead of HTTP gets a JSON 400 and the server keeps serving") {
  RunningServer mock;
  const std::string answer = raw_exchange(mock.port(), "THIS IS NOT HTTP\r\n\r\n");
  CHECK(answer.find("HTTP/1.1 400") == 0);
  CHECK(answer.find("\"code\":\"BAD_REQUEST\"") != std::string::npos);
  CHECK(mock.publish(kValidBody)->status == 200);
}

TEST_CASE("a refused body that was announced but not sent closes the connection cleanly") {
  auto config = prm_mock::testing::quiet_config();
  config.max_body_bytes = 1024;
  RunningServer mock(config);
  // Announces 50 MB, sends only the headers: the 413 must come at once, without waiting for the
  // body, and the connection must close (its unread bytes cannot be parsed as a next request).
  const std::string headers =
      "POST /api/registries/artifacts HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: k\r\n"
      "Content-Type: application/json\r\nContent-Length: 52428800\r\n\r\n";
  const std::string answer = raw_exchange(mock.port(), headers);
  CHECK(answer.find("HTTP/1.1 413") == 0);
  CHECK(answer.find("Connection: close") != std::string::npos);
  CHECK(answer.find("\"code\":\"PAYLOAD_TOO_LARGE\"") != std::string::npos);
  CHECK(mock.publish(kValidBody)->status == 200);
}

TEST_CASE("a rejected request's small body is drained so keep-alive continues") {
  RunningServer mock;
  // No key: 401 before the body is read; the body is consumed so the next request parses.
  std::string unauthenticated = raw_publish_request(kValidBody);
  unauthenticated.replace(unauthenticated.find("X-API-Key: k\r\n"), 14, "");
  const std::string answer = raw_exchange(
      mock.port(), unauthenticated + raw_publish_request(kValidBody, "Connection: close\r\n"));
  CHECK(answer.find("HTTP/1.1 401") == 0);
  CHECK(count_of(answer, "HTTP/1.1 200") == 1);
}

TEST_CASE("a Content-Length that is not a number is refused and the connection closed") {
  RunningServer mock;
  const std::string request =
      "POST /api/registries/artifacts HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: k\r\n"
      "Content-Type: application/json\r\nContent-Length: 12abc\r\n\r\n{}";
  const std::string answer = raw_exchange(mock.port(), request);
  CHECK(answer.find("HTTP/1.1 400") == 0);
  CHECK(answer.find("UNREADABLE_BODY") != std::string::npos);
  CHECK(mock.publish(kValidBody)->status == 200);
}

TEST_CASE("dozens of keep-alive clients at once are all served") {
  RunningServer mock;
  constexpr int kClients = 32;
  constexpr int kRequestsEach = 25;
  std::atomic<int> ok{0};
  std::vector<std::thread> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.emplace_back([&] {
      auto client = mock.client();
      client.set_keep_alive(true);
      for (int j = 0; j < kRequestsEach; ++j) {
        const auto result = client.Post("/api/registries/artifacts", mock.key_headers(), kValidBody,
                                        "application/json");
        if (result && result->status == 200) ++ok;
      }
    });
  }
  for (auto& client : clients) client.join();
  CHECK(ok.load() == kClients * kRequestsEach);
}

TEST_CASE(
    "stop() returns while idle keep-alive connections are open, and in-flight requests finish") {
  auto mock = std::make_unique<RunningServer>();
  auto idle = mock->client();
  idle.set_keep_alive(true);
  REQUIRE(
      idle.Post("/api/registries/artifacts", mock->key_headers(), kValidBody, "application/json")
          ->status == 200);
  // A request whose body is still arriving when stop() is called must get its full answer. The
  // connection serves one request first, so it is certainly accepted before the stop.
  auto slow_client = mock->client();
  slow_client.set_keep_alive(true);
  REQUIRE(
      slow_client
          .Post("/api/registries/artifacts", mock->key_headers(), kValidBody, "application/json")
          ->status == 200);
  std::promise<void> first_part_sent;
  std::promise<void> release_rest;
  auto release_rest_future = release_rest.get_future();
  int in_flight_status = 0;
  std::string in_flight_body;
  std::thread slow([&] {
    auto result = slow_client.Post(
        "/api/registries/artifacts", mock->key_headers(),
        [&](size_t offset, httplib::DataSink& sink) {
          if (offset == 0) {
            sink.write(kValidBody.data(), 10);
            first_part_sent.set_value();
            release_rest_future.wait();
            sink.write(kValidBody.data() + 10, kValidBody.size() - 10);
            sink.done();
          }
          return true;
        },
        "application/json");
    if (result) {
      in_flight_status = result->status;
      in_flight_body = result->body;
    }
  });
  first_part_sent.get_future().wait();
  std::thread stopper([&] { mock->server().stop(); });
  release_rest.set_value();
  stopper.join();
  slow.join();
  CHECK(in_flight_status == 200);
  CHECK(parse(in_flight_body)["registryRef"].IsString());
  mock.reset();
}
