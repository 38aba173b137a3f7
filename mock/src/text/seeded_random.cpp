#include "text/seeded_random.hpp"

#include <cmath>
#include <numbers>
#include <random>

namespace prm_mock {

double RandomStream::standard_normal() {
  // 1 - u keeps the logarithm's argument in (0, 1].
  const double radius = std::sqrt(-2.0 * std::log(1.0 - uniform01()));
  return radius * std::cos(2.0 * std::numbers::pi * uniform01());
}

RequestRandomness::RequestRandomness(std::optional<std::uint64_t> seed)
    : seed_(0), seeded_(seed.has_value()) {
  if (seed) {
    seed_ = *seed;
  } else {
    std::random_device device;
    seed_ = (static_cast<std::uint64_t>(device()) << 32) ^ device();
  }
}

}  // namespace prm_mock
