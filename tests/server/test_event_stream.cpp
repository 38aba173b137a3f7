// GET /__admin/requests/stream: the journal as Server-Sent Events, written by the connection
// reactor. A stream holds no worker, a reader that falls behind skips ahead (and is told), and
// nothing a reader does holds up a request.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "event_stream_client.hpp"
#include "http/event_stream_limits.hpp"
#include "raw_connection.hpp"
#include "self_signed_certificate.hpp"
#include "temporary_directory.hpp"
#include "test_server.hpp"

using namespace std::chrono_literals;
using prm_mock::testing::EventStreamClient;
using prm_mock::testing::kAdminStateChange;
using prm_mock::testing::kValidBody;
using prm_mock::testing::make_self_signed_certificate;
using prm_mock::testing::metrics_text;
using prm_mock::testing::parse;
using prm_mock::testing::quiet_config;
using prm_mock::testing::RunningServer;
using prm_mock::testing::serve_tls_with;
using prm_mock::testing::StreamEvent;
using prm_mock::testing::TemporaryDirectory;
using prm_mock::testing::trust_only;

namespace {

// Polls /__admin/metrics until `line` (a metric and its value) appears; false after 10 s.
bool stream_metric_reaches(const RunningServer& mock, const std::string& line) {
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (std::chrono::steady_clock::now() < deadline) {
    if (metrics_text(mock).find(line + "\n") != std::string::npos) return true;
  }
  return false;
}

bool streams_open_reach(const RunningServer& mock, int count) {
  return stream_metric_reaches(mock, "prm_mock_event_streams_open " + std::to_string(count));
}

// The value of a header in `head` (exact name), or empty.
std::string stream_header(const std::string& head, const std::string& name) {
  const auto start = head.find("\r\n" + name + ": ");
  if (start == std::string::npos) return {};
  const auto value = start + name.size() + 4;
  return head.substr(value, head.find("\r\n", value) - value);
}

// A stream whose head has arrived (and its retry line read), so that it is open on the server.
std::unique_ptr<EventStreamClient> open_stream(
    const RunningServer& mock, const std::string& target = "/__admin/requests/stream",
    const std::string& headers = "") {
  auto stream = std::make_unique<EventStreamClient>(mock.port(), target, headers);
  REQUIRE(stream->head().starts_with("HTTP/1.1 200 "));
  const auto retry = stream->next();
  REQUIRE(retry);
  REQUIRE(retry->retry == "2000");
  return stream;
}

// The journal's entries as GET /__admin/requests lists them, oldest first.
rapidjson::Document listed_requests(const RunningServer& mock) {
  const auto listing = mock.client().Get("/__admin/requests");
  REQUIRE(listing);
  REQUIRE(listing->status == 200);
  return parse(listing->body);
}

}  // namespace

TEST_CASE("the stream sends each new entry in order, numbered, with the listing's JSON") {
  RunningServer mock;
  REQUIRE(mock.publish(kValidBody)->status == 200);  // before the stream: not sent
  EventStreamClient stream(mock.port());
  const std::string head = stream.head();
  CHECK(head.starts_with("HTTP/1.1 200 OK\r\n"));
  CHECK(stream_header(head, "Content-Type") == "text/event-stream; charset=utf-8");
  CHECK(stream_header(head, "Cache-Control") == "no-store");
  CHECK(stream_header(head, "X-Accel-Buffering") == "no");
  CHECK(stream_header(head, "Connection") == "close");
  CHECK_FALSE(stream_header(head, "Date").empty());
  CHECK_FALSE(stream_header(head, "X-Request-Id").empty());
  CHECK(head.find("Content-Length") == std::string::npos);
  CHECK(head.find("Transfer-Encoding") == std::string::npos);
  const auto retry = stream.next();
  REQUIRE(retry);
  CHECK(retry->retry == "2000");
  REQUIRE(streams_open_reach(mock, 1));

  REQUIRE(mock.publish(kValidBody)->status == 200);
  REQUIRE(mock.publish("{", "application/json")->status == 400);
  REQUIRE(mock.client().Get("/api/nowhere")->status == 404);
  const auto listing = listed_requests(mock);
  REQUIRE(listing["requests"].Size() == 4);
  for (rapidjson::SizeType index = 1; index < 4; ++index) {
    const auto event = stream.next_event();
    REQUIRE(event);
    CHECK(event->event == "request");
    CHECK(event->id == std::to_string(index + 1));  // the journal's sequence numbers
    const auto data = parse(event->data);
    REQUIRE_FALSE(data.HasParseError());
    CHECK(data == listing["requests"][index]);
  }
  CHECK_FALSE(stream.next(200ms).has_value());  // nothing more
}

TEST_CASE("the stream resumes after Last-Event-ID, or starts at since (an id or a time)") {
  RunningServer mock;
  for (int index = 0; index < 3; ++index) REQUIRE(mock.publish(kValidBody)->status == 200);
  const auto listing = listed_requests(mock);
  const std::string second_id = listing["requests"][1]["id"].GetString();

  SUBCASE("Last-Event-ID") {
    auto stream = open_stream(mock, "/__admin/requests/stream", "Last-Event-ID: 1\r\n");
    CHECK(stream->next_event()->id == "2");
    CHECK(stream->next_event()->id == "3");
    CHECK_FALSE(stream->next(200ms).has_value());
  }
  SUBCASE("since an entry id") {
    auto stream = open_stream(mock, "/__admin/requests/stream?since=" + second_id);
    const auto event = stream->next_event();
    REQUIRE(event);
    CHECK(event->id == "3");
    CHECK(parse(event->data) == listing["requests"][2]);
    CHECK_FALSE(stream->next(200ms).has_value());
  }
  SUBCASE("since the epoch: the whole history, then what comes") {
    auto stream = open_stream(mock, "/__admin/requests/stream?since=1970-01-01T00:00:00Z");
    for (const char* id : {"1", "2", "3"}) CHECK(stream->next_event()->id == id);
    REQUIRE(mock.publish(kValidBody)->status == 200);
    CHECK(stream->next_event()->id == "4");
  }
}

TEST_CASE("a stream that cannot start is answered like the listing: 400, 401, 501") {
  SUBCASE("an unknown since, a Last-Event-ID that is not an id") {
    RunningServer mock;
    auto answer = mock.client().Get("/__admin/requests/stream?since=nope");
    REQUIRE(answer);
    CHECK(answer->status == 400);
    CHECK(answer->get_header_value("Content-Type").starts_with("application/json"));
    CHECK(parse(answer->body)["code"] == "BAD_QUERY");
    CHECK(answer->body.find("since") != std::string::npos);
    answer = mock.client().Get("/__admin/requests/stream", {{"Last-Event-ID", "x"}});
    REQUIRE(answer);
    CHECK(answer->status == 400);
  }
  SUBCASE("without the admin token") {
    prm_mock::Config config = quiet_config();
    config.admin_token = "s3cret";
    RunningServer mock(config);
    const auto answer = mock.client().Get("/__admin/requests/stream");
    REQUIRE(answer);
    CHECK(answer->status == 401);
    CHECK(parse(answer->body)["code"] == "UNAUTHORIZED");
    open_stream(mock, "/__admin/requests/stream", "Authorization: Bearer s3cret\r\n");
  }
  SUBCASE("over HTTPS") {
    TemporaryDirectory certificates("prm-mock-stream-tls");
    REQUIRE(make_self_signed_certificate(certificates.path()));
    prm_mock::Config config = quiet_config();
    serve_tls_with(config, certificates.path());
    RunningServer mock(config);
    httplib::SSLClient client("127.0.0.1", mock.port());
    trust_only(client, config);
    const auto answer = client.Get("/__admin/requests/stream");
    REQUIRE(answer);
    CHECK(answer->status == 501);
    CHECK(parse(answer->body)["code"] == "STREAM_NEEDS_PLAIN_HTTP");
  }
}

TEST_CASE("HEAD of the stream gets the head only, then the connection closes") {
  RunningServer mock;
  EventStreamClient stream(mock.port(), "/__admin/requests/stream", "", "HEAD");
  const std::string head = stream.head();
  CHECK(head.starts_with("HTTP/1.1 200 OK\r\n"));
  CHECK(stream_header(head, "Content-Type") == "text/event-stream; charset=utf-8");
  CHECK(stream.wait_closed_by_server(10s));
  CHECK(stream.unread().empty());
}

TEST_CASE("a reader that does not read is skipped ahead and told how much it missed") {
  prm_mock::Config config = quiet_config();
  config.threads = 2;
  RunningServer mock(config);
  const auto opened = std::chrono::steady_clock::now();
  EventStreamClient stream(mock.port(), "/__admin/requests/stream", "", "GET", 4096);
  REQUIRE(stream.head().starts_with("HTTP/1.1 200 "));
  REQUIRE(streams_open_reach(mock, 1));
  // Publishing is never held up by the reader: every request is answered. Four clients at once,
  // so that the publishes outrun the reader's allowance by far even in a slow sanitizer build.
  constexpr int kClients = 4;
  constexpr int kPublishedEach = 1500;
  constexpr int kPublished = kClients * kPublishedEach;
  std::atomic<int> answered{0};
  std::vector<std::thread> publishers;
  for (int client_index = 0; client_index < kClients; ++client_index) {
    publishers.emplace_back([&] {
      auto client = mock.client();
      for (int index = 0; index < kPublishedEach; ++index) {
        const auto answer = client.Post("/api/registries/artifacts", mock.key_headers(), kValidBody,
                                        "application/json");
        if (answer && answer->status == 200) answered.fetch_add(1);
      }
    });
  }
  for (auto& publisher : publishers) publisher.join();
  REQUIRE(answered.load() == kPublished);
  // Now it reads: every entry is either sent or counted as dropped, in order, up to the last.
  std::uint64_t received = 0;
  std::uint64_t dropped = 0;
  std::uint64_t last_id = 0;
  while (last_id < kPublished) {
    const auto event = stream.next_event(10s);
    REQUIRE(event);
    if (event->event == "dropped") {
      dropped += parse(event->data)["dropped"].GetUint64();
    } else {
      REQUIRE(event->event == "request");
      const std::uint64_t id = std::stoull(event->id);
      CHECK(id > last_id);
      last_id = id;
      ++received;
    }
  }
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - opened;
  CHECK(received + dropped == kPublished);
  // The reader's allowance, whatever the kernel's socket buffers held: a burst, then a rate,
  // over no longer than the test ran. How much of it was used before the writes stopped depends
  // on those buffers (and how fast the publishes came), so only the bound is exact.
  const auto allowance = prm_mock::event_stream::reader_allowance(1);
  CHECK(static_cast<double>(received) <= allowance.burst + allowance.per_second * elapsed.count());
  CHECK(dropped > 0);
  CHECK(received >= 1);
  CHECK(metrics_text(mock).find("prm_mock_event_stream_dropped_total " + std::to_string(dropped) +
                                "\n") != std::string::npos);
}

TEST_CASE("50 open streams hold no worker: requests are still answered on 2 workers") {
  prm_mock::Config config = quiet_config();
  config.threads = 2;
  RunningServer mock(config);
  std::vector<std::unique_ptr<EventStreamClient>> streams;
  for (int index = 0; index < 50; ++index) streams.push_back(open_stream(mock));
  REQUIRE(streams_open_reach(mock, 50));
  for (int index = 0; index < 5; ++index) CHECK(mock.publish(kValidBody)->status == 200);
  for (auto& stream : streams) {
    for (const char* id : {"1", "2", "3", "4", "5"}) CHECK(stream->next_event()->id == id);
  }
}

TEST_CASE("a stream the client closes is gone from the gauge and the open connections") {
  RunningServer mock;
  auto first = open_stream(mock);
  auto second = open_stream(mock);
  REQUIRE(streams_open_reach(mock, 2));
  first->close();
  CHECK(streams_open_reach(mock, 1));
  second->close();
  CHECK(streams_open_reach(mock, 0));
  // The metrics call's own connection is the one left.
  CHECK(stream_metric_reaches(mock, "prm_mock_connections_open 1"));
}

TEST_CASE("a quiet stream gets keep-alive comments; a clear is an event") {
  prm_mock::Config config = quiet_config();
  config.event_stream_keep_alive_ms = 50;
  RunningServer mock(config);
  auto stream = open_stream(mock);
  const auto comment = stream->next(5s);
  REQUIRE(comment);
  CHECK(comment->comment == "keep-alive");
  CHECK(comment->event.empty());

  REQUIRE(mock.publish(kValidBody)->status == 200);
  CHECK(stream->next_event()->id == "1");
  const auto cleared = mock.client().Delete("/__admin/requests", kAdminStateChange);
  REQUIRE(cleared);
  REQUIRE(cleared->status == 200);
  auto event = stream->next_event();
  REQUIRE(event);
  CHECK(event->event == "cleared");
  CHECK(event->data == "{}");
  // The numbering goes on after a clear.
  REQUIRE(mock.publish(kValidBody)->status == 200);
  CHECK(stream->next_event()->id == "2");
  const auto reset = mock.client().Post("/__admin/reset", "", "application/json");
  REQUIRE(reset);
  REQUIRE(reset->status == 200);
  event = stream->next_event();
  REQUIRE(event);
  CHECK(event->event == "cleared");
}

TEST_CASE("pipelined requests behind the stream are never answered") {
  RunningServer mock;
  EventStreamClient stream(mock.port(), "/__admin/requests/stream",
                           "\r\nGET /__admin/health HTTP/1.1\r\nHost: 127.0.0.1\r\n");
  REQUIRE(stream.head().starts_with("HTTP/1.1 200 "));
  REQUIRE(mock.publish(kValidBody)->status == 200);
  CHECK(stream.next_event()->id == "1");
  CHECK(stream.unread().find("HTTP/1.1") == std::string::npos);
}

TEST_CASE("stopping the server ends open streams at once") {
  auto mock = std::make_unique<RunningServer>();
  std::vector<std::unique_ptr<EventStreamClient>> streams;
  for (int index = 0; index < 5; ++index) streams.push_back(open_stream(*mock));
  REQUIRE(streams_open_reach(*mock, 5));
  const auto started = std::chrono::steady_clock::now();
  mock->server().stop();
  CHECK(std::chrono::steady_clock::now() - started < 2s);
  for (auto& stream : streams) CHECK(stream->wait_closed_by_server(5s));
}

TEST_CASE("a stream outlives --idle-timeout: it is not an idle keep-alive connection") {
  prm_mock::Config config = quiet_config();
  config.idle_timeout_ms = 100;
  config.event_stream_keep_alive_ms = 60000;
  RunningServer mock(config);
  auto stream = open_stream(mock);
  // Several idle timeouts pass without a byte either way.
  CHECK_FALSE(stream->next(500ms).has_value());
  CHECK_FALSE(stream->wait_closed_by_server(0ms));
  REQUIRE(mock.publish(kValidBody)->status == 200);
  CHECK(stream->next_event()->id == "1");
}
