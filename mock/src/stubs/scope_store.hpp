#pragma once
// Per-scope state (scope.hpp): how many times each sequence fixture has answered in a scope, and
// under --stateful what has been published there. Workers take turns and record publishes
// concurrently; the admin API lists and resets scopes.
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "stubs/fixture.hpp"
#include "stubs/publish_state.hpp"

namespace prm_mock {

// The turns one sequence fixture has taken in one scope.
struct SequenceTurns {
  std::string fixture;
  std::uint64_t revision = 0;  // of the fixture the turns were counted for (Fixture::revision)
  std::uint64_t turns = 0;
};

struct ScopeSnapshot {
  std::string label;
  std::vector<SequenceTurns> sequences;  // by fixture name
  std::size_t publishes = 0;             // identities remembered under --stateful
};

class ScopeStore {
 public:
  // Scopes are created by requests, so a client inventing keys could create them without end:
  // past `max_scopes` the scope used longest ago is forgotten (a test suite's own scopes are in
  // use, so they are never the oldest by far).
  static constexpr std::size_t kDefaultMaxScopes = 10000;
  explicit ScopeStore(std::size_t max_scopes = kDefaultMaxScopes) : max_scopes_(max_scopes) {}

  // The number of turns `fixture` has taken in `scope` before this one (0 for its first answer),
  // counting this one. Atomic: concurrent calls for one scope and fixture get consecutive numbers,
  // never the same. A fixture whose revision changed (edited, reloaded with other text) starts
  // again at 0.
  std::uint64_t take_turn(const std::string& scope, const Fixture& fixture);

  // --stateful: remembers `identity` in `scope`; true exactly once per (scope, identity), however
  // many threads race on it.
  bool record_publish(const std::string& scope, const PublishIdentity& identity);

  std::vector<ScopeSnapshot> snapshot() const;  // by label
  std::size_t size() const;
  std::uint64_t evicted() const;  // scopes forgotten for the bound since the last reset

  void reset();                              // every scope
  bool reset_scope(std::string_view label);  // false when no such scope exists

 private:
  struct SequencePosition {
    std::uint64_t revision = 0;
    std::uint64_t turns = 0;
  };
  struct Scope {
    std::map<std::string, SequencePosition, std::less<>> sequences;
    std::set<PublishIdentity> published;
    std::uint64_t last_used = 0;
  };
  Scope& scope_locked(const std::string& label);

  const std::size_t max_scopes_;
  mutable std::mutex mutex_;
  std::map<std::string, Scope, std::less<>> scopes_;
  std::uint64_t uses_ = 0;
  std::uint64_t evicted_ = 0;
};

}  // namespace prm_mock
