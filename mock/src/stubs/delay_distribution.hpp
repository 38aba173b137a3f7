#pragma once
// A fixture's delay: a fixed number of milliseconds, a uniform range or a log-normal, sampled per
// request from the request's seeded stream (text/seeded_random.hpp), so a seeded run waits the same
// times twice. Compiled once at load; sampling is a few arithmetic operations.
#include <rapidjson/document.h>

#include <optional>
#include <string>
#include <string_view>

#include "stubs/fixture_problem.hpp"
#include "text/seeded_random.hpp"

namespace prm_mock {

class DelayDistribution {
 public:
  // A log-normal's long tail is cut here: a soak test wants slow answers, not connections that
  // look hung (a fixed or uniform delay may go up to the schema's 600000).
  static constexpr int kLogNormalCapMs = 60000;

  static DelayDistribution fixed(int ms);
  // Whole milliseconds in [low_ms, high_ms], each equally likely.
  static DelayDistribution uniform(int low_ms, int high_ms);
  // median * exp(sigma * Z), Z standard normal; rounded, capped at kLogNormalCapMs.
  static DelayDistribution lognormal(double median_ms, double sigma);

  // The `delayMs` value of a fixture that passed the format check (fixture.schema.json); reports
  // what the schema cannot say (a uniform range whose bounds are reversed) at `field`.
  static std::optional<DelayDistribution> compile(const rapidjson::Value& value,
                                                  std::string_view file, const std::string& field,
                                                  FixtureProblems& problems);

  int sample(RandomStream& random) const;
  // From a per-thread stream seeded by entropy, for callers without a request stream.
  int sample_unseeded() const;
  // Whether every sample is 0 (no stream need be drawn).
  bool always_zero() const { return kind_ == Kind::Fixed && low_ms_ == 0; }
  // The fixture's spelling, as JSON text: 250, {"uniform":[100,400]}, {"lognormal":{...}}.
  std::string json_text() const;

 private:
  enum class Kind { Fixed, Uniform, LogNormal };
  Kind kind_ = Kind::Fixed;
  int low_ms_ = 0;  // Fixed: the delay; Uniform: the lower bound
  int high_ms_ = 0;
  double median_ms_ = 0;
  double sigma_ = 0;
};

}  // namespace prm_mock
