#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <vector>

#include "stubs/delay_distribution.hpp"

using prm_mock::DelayDistribution;
using prm_mock::FixtureProblems;
using prm_mock::RandomStream;
using prm_mock::RequestRandomness;

namespace {

std::vector<int> draw_delays(const DelayDistribution& delay, std::uint64_t seed, int count) {
  RequestRandomness randomness(seed);
  std::vector<int> samples;
  for (int i = 0; i < count; ++i) {
    RandomStream stream = randomness.next_request();
    samples.push_back(delay.sample(stream));
  }
  return samples;
}

std::optional<DelayDistribution> compiled_delay(const char* json, FixtureProblems& problems) {
  rapidjson::Document document;
  document.Parse(json);
  REQUIRE_FALSE(document.HasParseError());
  return DelayDistribution::compile(document, "f.json", "/delayMs", problems);
}

}  // namespace

TEST_CASE("delay distribution: a fixed delay is always the same") {
  const auto samples = draw_delays(DelayDistribution::fixed(250), 1, 50);
  CHECK(std::all_of(samples.begin(), samples.end(), [](int ms) { return ms == 250; }));
  CHECK(DelayDistribution::fixed(0).always_zero());
  CHECK_FALSE(DelayDistribution::fixed(1).always_zero());
}

TEST_CASE("delay distribution: uniform samples stay within the bounds and reach both ends") {
  const auto samples = draw_delays(DelayDistribution::uniform(100, 110), 42, 2000);
  CHECK(*std::min_element(samples.begin(), samples.end()) == 100);
  CHECK(*std::max_element(samples.begin(), samples.end()) == 110);
  // Each of the 11 values is about 1/11 of 2000 (182); a skewed sampler would miss this.
  for (int value = 100; value <= 110; ++value) {
    const auto count = std::count(samples.begin(), samples.end(), value);
    CHECK(count > 120);
    CHECK(count < 250);
  }
}

TEST_CASE("delay distribution: the median of log-normal samples is the configured median") {
  auto samples = draw_delays(DelayDistribution::lognormal(120, 0.5), 7, 2001);
  std::nth_element(samples.begin(), samples.begin() + 1000, samples.end());
  const int median = samples[1000];
  CHECK(median >= 114);  // within 5%
  CHECK(median <= 126);
  // sigma 0.5: about 16% of samples lie above median * e^0.5 (198 ms).
  const auto above = std::count_if(samples.begin(), samples.end(), [](int ms) { return ms > 198; });
  CHECK(above > 250);
  CHECK(above < 400);
}

TEST_CASE("delay distribution: log-normal samples are capped") {
  const auto samples = draw_delays(DelayDistribution::lognormal(50000, 3), 3, 200);
  CHECK(*std::max_element(samples.begin(), samples.end()) == DelayDistribution::kLogNormalCapMs);
  CHECK(*std::min_element(samples.begin(), samples.end()) >= 0);
}

TEST_CASE("delay distribution: the same seed gives the same samples, another seed others") {
  const auto delay = DelayDistribution::uniform(0, 100000);
  CHECK(draw_delays(delay, 99, 100) == draw_delays(delay, 99, 100));
  CHECK(draw_delays(delay, 99, 100) != draw_delays(delay, 100, 100));
}

TEST_CASE("delay distribution: a request's samples do not depend on the order of requests") {
  // Workers take requests in any order; stream_for(n) is what the n-th request draws.
  const auto delay = DelayDistribution::uniform(0, 100000);
  RequestRandomness randomness(5);
  RandomStream third = randomness.stream_for(2);
  const int third_first = delay.sample(third);
  const auto in_order = draw_delays(delay, 5, 3);
  CHECK(in_order[2] == third_first);
}

TEST_CASE("delay distribution: compiled from the fixture's three spellings") {
  FixtureProblems problems;
  const auto fixed = compiled_delay("250", problems);
  REQUIRE(fixed);
  CHECK(fixed->json_text() == "250");
  const auto uniform = compiled_delay(R"({"uniform": [100, 400]})", problems);
  REQUIRE(uniform);
  CHECK(uniform->json_text() == R"({"uniform":[100,400]})");
  const auto lognormal =
      compiled_delay(R"({"lognormal": {"median": 120, "sigma": 0.5}})", problems);
  REQUIRE(lognormal);
  CHECK(lognormal->json_text() == R"({"lognormal":{"median":120,"sigma":0.5}})");
  CHECK(problems.empty());
}

TEST_CASE("delay distribution: a uniform range with its bounds reversed is a problem") {
  FixtureProblems problems;
  CHECK_FALSE(compiled_delay(R"({"uniform": [400, 100]})", problems));
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].field == "/delayMs/uniform");
  CHECK(problems[0].message == "lower bound 400 is above upper bound 100");
}
