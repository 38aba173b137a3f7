#include "stubs/delay_distribution.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace prm_mock {

DelayDistribution DelayDistribution::fixed(int ms) {
  DelayDistribution delay;
  delay.low_ms_ = delay.high_ms_ = ms;
  return delay;
}

DelayDistribution DelayDistribution::uniform(int low_ms, int high_ms) {
  DelayDistribution delay;
  delay.kind_ = Kind::Uniform;
  delay.low_ms_ = low_ms;
  delay.high_ms_ = high_ms;
  return delay;
}

DelayDistribution DelayDistribution::lognormal(double median_ms, double sigma) {
  DelayDistribution delay;
  delay.kind_ = Kind::LogNormal;
  delay.median_ms_ = median_ms;
  delay.sigma_ = sigma;
  return delay;
}

std::optional<DelayDistribution> DelayDistribution::compile(const rapidjson::Value& value,
                                                            std::string_view file,
                                                            const std::string& field,
                                                            FixtureProblems& problems) {
  if (value.IsInt()) return fixed(value.GetInt());
  if (value.IsObject() && value.HasMember("uniform")) {
    const rapidjson::Value& bounds = value["uniform"];
    const int low = bounds[0].GetInt();
    const int high = bounds[1].GetInt();
    if (low > high) {
      problems.push_back(
          {std::string(file), field + "/uniform",
           "lower bound " + std::to_string(low) + " is above upper bound " + std::to_string(high)});
      return std::nullopt;
    }
    return uniform(low, high);
  }
  if (value.IsObject() && value.HasMember("lognormal")) {
    const rapidjson::Value& shape = value["lognormal"];
    return lognormal(shape["median"].GetDouble(), shape["sigma"].GetDouble());
  }
  // Unreachable after the format check; said rather than assumed.
  problems.push_back({std::string(file), field, "expected milliseconds, uniform or lognormal"});
  return std::nullopt;
}

int DelayDistribution::sample(RandomStream& random) const {
  switch (kind_) {
    case Kind::Fixed:
      return low_ms_;
    case Kind::Uniform:
      return low_ms_ +
             static_cast<int>(random.below(static_cast<std::uint64_t>(high_ms_ - low_ms_) + 1));
    case Kind::LogNormal: {
      const double drawn = median_ms_ * std::exp(sigma_ * random.standard_normal());
      return static_cast<int>(std::lround(std::clamp(drawn, 0.0, double{kLogNormalCapMs})));
    }
  }
  return 0;
}

int DelayDistribution::sample_unseeded() const {
  if (kind_ == Kind::Fixed) return low_ms_;
  thread_local RandomStream stream(RequestRandomness(std::nullopt).seed());
  return sample(stream);
}

std::string DelayDistribution::json_text() const {
  switch (kind_) {
    case Kind::Fixed:
      return std::to_string(low_ms_);
    case Kind::Uniform:
      return "{\"uniform\":[" + std::to_string(low_ms_) + "," + std::to_string(high_ms_) + "]}";
    case Kind::LogNormal: {
      std::ostringstream text;
      text << "{\"lognormal\":{\"median\":" << median_ms_ << ",\"sigma\":" << sigma_ << "}}";
      return text.str();
    }
  }
  return "0";
}

}  // namespace prm_mock
