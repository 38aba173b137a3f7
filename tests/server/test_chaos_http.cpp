// --seed and --chaos over HTTP: a seeded chaos run injects the same answers into the same
// requests twice (with several workers), only plain successes get chaos, every injection is
// journaled and counted, and sampled delays are the ones the client waits.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "temporary_directory.hpp"
#include "test_server.hpp"

using prm_mock::testing::kValidBody;
using prm_mock::testing::metrics_text;
using prm_mock::testing::parse;
using prm_mock::testing::quiet_config;
using prm_mock::testing::RunningServer;
using prm_mock::testing::TemporaryDirectory;

namespace {

prm_mock::Config chaos_config(std::uint64_t seed, const std::string& chaos) {
  prm_mock::Config config = quiet_config();
  config.threads = 4;  // reproducibility must not depend on which worker takes a request
  config.seed = seed;
  config.chaos = chaos;
  return config;
}

// What a sequential client sees for each of `count` publishes: the status, or "no answer" for a
// reset or empty response; and what the journal says chaos injected into each, in order.
struct ChaosRun {
  std::vector<std::string> seen;
  std::vector<std::string> journaled;
};

ChaosRun run_publishes(std::uint64_t seed, int count) {
  RunningServer mock(chaos_config(seed, "0.5"));
  ChaosRun run;
  for (int i = 0; i < count; ++i) {
    const auto answer = mock.publish(kValidBody);
    run.seen.push_back(answer ? std::to_string(answer->status) : "no answer");
  }
  const auto listing = mock.client().Get("/__admin/requests?limit=1000");
  REQUIRE(listing);
  const auto journal = parse(listing->body);
  for (const auto& entry : journal["requests"].GetArray()) {
    run.journaled.push_back(entry["chaos"].GetBool() ? entry["chaosWhat"].GetString() : "-");
  }
  return run;
}

}  // namespace

TEST_CASE("chaos: the same seed injects the same answers twice, another seed others") {
  const ChaosRun first = run_publishes(20260101, 40);
  const ChaosRun second = run_publishes(20260101, 40);
  const ChaosRun other = run_publishes(20260102, 40);
  REQUIRE(first.journaled.size() == 40);
  CHECK(first.seen == second.seen);
  CHECK(first.journaled == second.journaled);
  CHECK(first.journaled != other.journaled);
  // Rate 0.5 over 40 requests: both plain successes and injected answers occur.
  const auto injected = 40 - std::count(first.journaled.begin(), first.journaled.end(), "-");
  CHECK(injected > 5);
  CHECK(injected < 35);
  for (std::size_t i = 0; i < first.seen.size(); ++i) {
    const std::string& what = first.journaled[i];
    if (what == "-") {
      CHECK(first.seen[i] == "200");
    } else if (what == "connection_reset" || what == "empty_response") {
      CHECK(first.seen[i] == "no answer");
    } else {
      CHECK(first.seen[i] == what);
    }
  }
}

TEST_CASE(
    "chaos: only plain successes get it; validation errors, fixture errors and admin do not") {
  RunningServer mock(chaos_config(7, "1:503"));
  const auto invalid = mock.publish(R"({"registryRef": 5})");
  REQUIRE(invalid);
  CHECK(invalid->status == 400);
  CHECK_FALSE(invalid->has_header("X-Mock-Chaos"));

  httplib::Headers preferring_409 = mock.key_headers();
  preferring_409.emplace("Prefer", "code=409");
  const auto duplicate = mock.client().Post("/api/registries/artifacts", preferring_409, kValidBody,
                                            "application/json");
  REQUIRE(duplicate);
  CHECK(duplicate->status == 409);

  const auto health = mock.client().Get("/__admin/health");
  REQUIRE(health);
  CHECK(health->status == 200);

  const auto injected = mock.publish(kValidBody);
  REQUIRE(injected);
  CHECK(injected->status == 503);
  CHECK(injected->get_header_value("Retry-After") == "1");
  CHECK(injected->get_header_value("X-Mock-Chaos") == "503");
  const auto body = parse(injected->body);
  REQUIRE(body.IsObject());
  CHECK(std::string(body["code"].GetString()) == "CHAOS_INJECTED");
  CHECK(std::string(body["requestId"].GetString()) == injected->get_header_value("X-Request-Id"));

  const auto listing = mock.client().Get("/__admin/requests");
  REQUIRE(listing);
  const auto journal = parse(listing->body);
  const auto& entries = journal["requests"];
  REQUIRE(entries.Size() == 3);
  CHECK_FALSE(entries[0]["chaos"].GetBool());
  CHECK(entries[0]["status"].GetInt() == 400);
  CHECK_FALSE(entries[1]["chaos"].GetBool());
  CHECK(entries[2]["chaos"].GetBool());
  CHECK(std::string(entries[2]["chaosWhat"].GetString()) == "503");
  CHECK(entries[2]["status"].GetInt() == 503);

  const std::string metrics = metrics_text(mock);
  CHECK(metrics.find("prm_mock_chaos_injected_total{what=\"503\"} 1\n") != std::string::npos);
}

TEST_CASE("chaos: an injected fault reuses the fault mechanism and is counted by name") {
  RunningServer mock(chaos_config(7, "1:connection_reset"));
  CHECK_FALSE(mock.publish(kValidBody));  // reset: no response at all
  const std::string metrics = metrics_text(mock);
  CHECK(metrics.find("prm_mock_chaos_injected_total{what=\"connection_reset\"} 1\n") !=
        std::string::npos);
}

TEST_CASE("an unusable chaos setting stops the server from starting") {
  prm_mock::Config config = chaos_config(1, "0.5:418");
  CHECK_THROWS_AS(prm_mock::Server{config}, std::runtime_error);
}

namespace {

// Sends `count` publishes and returns, per request, the journal's sampled delay and how long the
// client waited for the answer.
struct TimedDelay {
  long long journaled_ms;
  long long waited_ms;
};

std::vector<TimedDelay> timed_delays(const std::string& delay_json, std::uint64_t seed, int count) {
  TemporaryDirectory directory("delays");
  directory.write("sampled.json", R"({"name":"sampled","priority":100,"delayMs":)" + delay_json +
                                      R"(,"response":{"status":200,"body":{"ok":true}}})");
  prm_mock::Config config = chaos_config(seed, "");
  config.fixture_dirs = {directory.path().string()};
  RunningServer mock(config);
  std::vector<long long> waited;
  for (int i = 0; i < count; ++i) {
    const auto sent = std::chrono::steady_clock::now();
    const auto answer = mock.publish(kValidBody);
    REQUIRE(answer);
    REQUIRE(answer->status == 200);
    waited.push_back(std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::steady_clock::now() - sent)
                         .count());
  }
  const auto listing = mock.client().Get("/__admin/requests?limit=1000");
  REQUIRE(listing);
  const auto journal = parse(listing->body);
  std::vector<TimedDelay> delays;
  std::size_t index = 0;
  for (const auto& entry : journal["requests"].GetArray()) {
    delays.push_back({entry["delayMs"].GetInt64(), waited.at(index++)});
  }
  return delays;
}

}  // namespace

TEST_CASE("sampled delays: uniform values within bounds, waited for, the same for a seed") {
  const auto delays = timed_delays(R"({"uniform":[20,60]})", 5, 12);
  REQUIRE(delays.size() == 12);
  bool differ = false;
  for (const auto& delay : delays) {
    CHECK(delay.journaled_ms >= 20);
    CHECK(delay.journaled_ms <= 60);
    CHECK(delay.waited_ms >= delay.journaled_ms);
    differ = differ || delay.journaled_ms != delays.front().journaled_ms;
  }
  CHECK(differ);  // sampled per request, not once per fixture
  const auto again = timed_delays(R"({"uniform":[20,60]})", 5, 12);
  for (std::size_t i = 0; i < delays.size(); ++i) {
    CHECK(again.at(i).journaled_ms == delays[i].journaled_ms);
  }
}

TEST_CASE("sampled delays: log-normal values around the median, waited for") {
  const auto delays = timed_delays(R"({"lognormal":{"median":25,"sigma":0.4}})", 9, 15);
  REQUIRE(delays.size() == 15);
  std::vector<long long> sampled;
  for (const auto& delay : delays) {
    CHECK(delay.waited_ms >= delay.journaled_ms);
    CHECK(delay.journaled_ms > 0);
    sampled.push_back(delay.journaled_ms);
  }
  std::sort(sampled.begin(), sampled.end());
  // 15 samples: the middle one lies within e^(+-0.4*0.9) of 25 ms with high probability; the
  // seed makes the run fixed, so this cannot flake.
  CHECK(sampled[7] >= 15);
  CHECK(sampled[7] <= 40);
  CHECK(sampled.front() != sampled.back());
}
