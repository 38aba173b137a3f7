#include <doctest/doctest.h>

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "publish/chaos.hpp"
#include "text/uuid.hpp"

using prm_mock::ChaosKind;
using prm_mock::ChaosPolicy;
using prm_mock::parse_chaos_spec;
using prm_mock::RandomPurpose;
using prm_mock::RequestRandomness;

namespace {

std::vector<std::string> chaos_decisions(const ChaosPolicy& policy, std::uint64_t seed, int count) {
  RequestRandomness randomness(seed);
  std::vector<std::string> decisions;
  for (int i = 0; i < count; ++i) {
    auto stream = randomness.next_request().fork(RandomPurpose::Chaos);
    const auto kind = prm_mock::choose_chaos(policy, stream);
    decisions.push_back(kind ? std::string(prm_mock::chaos_kind_name(*kind)) : "-");
  }
  return decisions;
}

}  // namespace

TEST_CASE("chaos spec: a rate alone takes the default answers") {
  const ChaosPolicy policy = parse_chaos_spec("0.2");
  CHECK(policy.rate == doctest::Approx(0.2));
  CHECK(policy.kinds == std::vector<ChaosKind>{ChaosKind::Status500, ChaosKind::Status503,
                                               ChaosKind::Status429, ChaosKind::ConnectionReset,
                                               ChaosKind::EmptyResponse});
}

TEST_CASE("chaos spec: a rate with the answers to choose from") {
  const ChaosPolicy policy = parse_chaos_spec("0.1:503, 429,connection_reset,timeout");
  CHECK(policy.rate == doctest::Approx(0.1));
  CHECK(policy.kinds == std::vector<ChaosKind>{ChaosKind::Status503, ChaosKind::Status429,
                                               ChaosKind::ConnectionReset, ChaosKind::Timeout});
}

TEST_CASE("chaos spec: bad rates and unknown answers are refused with a reason") {
  CHECK_THROWS_WITH_AS(parse_chaos_spec("1.5"), "chaos rate '1.5' is not a number from 0 to 1",
                       std::invalid_argument);
  CHECK_THROWS_AS(parse_chaos_spec(""), std::invalid_argument);
  CHECK_THROWS_AS(parse_chaos_spec("-0.1"), std::invalid_argument);
  CHECK_THROWS_AS(parse_chaos_spec("0.2x"), std::invalid_argument);
  CHECK_THROWS_AS(parse_chaos_spec("0.2:"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(parse_chaos_spec("0.2:502"),
                       "unknown chaos answer '502' (known: 500, 503, 429, connection_reset, "
                       "empty_response, timeout)",
                       std::invalid_argument);
}

TEST_CASE("chaos: the share of injected answers follows the rate, over every allowed answer") {
  const auto decisions = chaos_decisions(parse_chaos_spec("0.25"), 11, 4000);
  std::map<std::string, int> counts;
  for (const auto& decision : decisions) ++counts[decision];
  CHECK(counts["-"] > 2800);  // 3000 expected
  CHECK(counts["-"] < 3200);
  for (const char* kind : {"500", "503", "429", "connection_reset", "empty_response"}) {
    CHECK(counts[kind] > 120);  // 200 expected each
  }
  CHECK(counts.count("timeout") == 0);
}

TEST_CASE("chaos: rate 0 never injects, rate 1 always does") {
  for (const auto& decision : chaos_decisions(parse_chaos_spec("0"), 3, 200))
    CHECK(decision == "-");
  for (const auto& decision : chaos_decisions(parse_chaos_spec("1:503"), 3, 200))
    CHECK(decision == "503");
}

TEST_CASE("chaos: the same seed injects the same answers, another seed others") {
  const ChaosPolicy policy = parse_chaos_spec("0.5");
  CHECK(chaos_decisions(policy, 1234, 200) == chaos_decisions(policy, 1234, 200));
  CHECK(chaos_decisions(policy, 1234, 200) != chaos_decisions(policy, 1235, 200));
}

TEST_CASE("seeded randomness: purposes are independent streams of one request") {
  RequestRandomness randomness(8);
  auto request = randomness.stream_for(0);
  auto chaos = request.fork(RandomPurpose::Chaos);
  auto delay = request.fork(RandomPurpose::Delay);
  CHECK(chaos.next() != delay.next());
  // Unseeded servers differ from each other (a 2^-64 chance of a false failure).
  CHECK(RequestRandomness(std::nullopt).seed() != RequestRandomness(std::nullopt).seed());
  CHECK_FALSE(RequestRandomness(std::nullopt).seeded());
  CHECK(RequestRandomness(0).seeded());
}

TEST_CASE("seeded uuids: version 4 text from the stream's bits") {
  CHECK(prm_mock::uuid_v4_from_bits(0, 0) == "00000000-0000-4000-8000-000000000000");
  CHECK(prm_mock::uuid_v4_from_bits(~0ULL, ~0ULL) == "ffffffff-ffff-4fff-bfff-ffffffffffff");
}
