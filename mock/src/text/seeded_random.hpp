#pragma once
// Reproducible randomness for the request path: chaos decisions, sampled delays and (with a seed)
// {{uuid}} values. Each request draws from its own stream, derived from (seed, the request's
// sequence number), so what a request gets depends only on which request it is, never on which
// worker ran it or what other threads drew meanwhile: a sequential client sees the same answers
// from two servers given the same seed, whatever --threads says.
#include <atomic>
#include <cstdint>
#include <optional>

namespace prm_mock {

// splitmix64's finaliser: a bijective mix, so nearby inputs (seed ^ 1, seed ^ 2...) give
// unrelated outputs.
constexpr std::uint64_t splitmix64_mix(std::uint64_t x) {
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// What a stream is drawn for. Each purpose forks its own stream from the request's, so adding a
// draw for one (a second template uuid) never shifts what another (the chaos decision) gets.
enum class RandomPurpose : std::uint64_t { Delay = 1, Chaos = 2, Uuid = 3 };

// A splitmix64 generator: tiny state, good statistical quality, cheap to create per request.
class RandomStream {
 public:
  explicit RandomStream(std::uint64_t state) : state_(state) {}
  std::uint64_t next() {
    state_ += 0x9e3779b97f4a7c15ULL;
    return splitmix64_mix(state_);
  }
  // Uniform in [0, 1), from the top 53 bits.
  double uniform01() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  // Uniform in [0, n), n > 0; the modulo bias is below 2^-40 for the small n used here.
  std::uint64_t below(std::uint64_t n) { return next() % n; }
  // A standard normal deviate (Box-Muller; one of the pair is discarded to keep no state).
  double standard_normal();
  RandomStream fork(RandomPurpose purpose) const {
    return RandomStream(
        splitmix64_mix(state_ ^ splitmix64_mix(static_cast<std::uint64_t>(purpose))));
  }

 private:
  std::uint64_t state_;
};

// The server's source of per-request streams. Thread-safe: the only shared state is the counter.
class RequestRandomness {
 public:
  // Without a seed one is taken from std::random_device, so runs differ unless asked not to.
  explicit RequestRandomness(std::optional<std::uint64_t> seed);
  std::uint64_t seed() const { return seed_; }
  bool seeded() const { return seeded_; }
  // The stream of the next request (sequence numbers count from 0 in arrival order).
  RandomStream next_request() { return stream_for(next_sequence_.fetch_add(1)); }
  RandomStream stream_for(std::uint64_t sequence) const {
    return RandomStream(splitmix64_mix(seed_ ^ splitmix64_mix(sequence + 1)));
  }

 private:
  std::uint64_t seed_;
  bool seeded_;
  std::atomic<std::uint64_t> next_sequence_{0};
};

}  // namespace prm_mock
