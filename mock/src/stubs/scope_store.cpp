#include "stubs/scope_store.hpp"

#include <algorithm>

namespace prm_mock {

ScopeStore::Scope& ScopeStore::scope_locked(const std::string& label) {
  auto found = scopes_.find(label);
  if (found == scopes_.end()) {
    if (max_scopes_ > 0 && scopes_.size() >= max_scopes_) {
      // A linear scan, only when a new scope arrives at the bound: rare, and cheaper than keeping
      // a second index up to date on every request.
      const auto oldest = std::min_element(
          scopes_.begin(), scopes_.end(),
          [](const auto& a, const auto& b) { return a.second.last_used < b.second.last_used; });
      scopes_.erase(oldest);
      ++evicted_;
    }
    found = scopes_.emplace(label, Scope{}).first;
  }
  found->second.last_used = ++uses_;
  return found->second;
}

std::uint64_t ScopeStore::take_turn(const std::string& scope, const Fixture& fixture) {
  std::lock_guard lock(mutex_);
  SequencePosition& position = scope_locked(scope).sequences[fixture.name];
  if (position.revision != fixture.revision) position = {fixture.revision, 0};
  return position.turns++;
}

bool ScopeStore::record_publish(const std::string& scope, const PublishIdentity& identity) {
  std::lock_guard lock(mutex_);
  return scope_locked(scope).published.insert(identity).second;
}

std::vector<ScopeSnapshot> ScopeStore::snapshot() const {
  std::lock_guard lock(mutex_);
  std::vector<ScopeSnapshot> scopes;
  scopes.reserve(scopes_.size());
  for (const auto& [label, scope] : scopes_) {
    ScopeSnapshot& copy = scopes.emplace_back();
    copy.label = label;
    copy.publishes = scope.published.size();
    for (const auto& [fixture, position] : scope.sequences) {
      copy.sequences.push_back({fixture, position.revision, position.turns});
    }
  }
  return scopes;
}

std::size_t ScopeStore::size() const {
  std::lock_guard lock(mutex_);
  return scopes_.size();
}

std::uint64_t ScopeStore::evicted() const {
  std::lock_guard lock(mutex_);
  return evicted_;
}

void ScopeStore::reset() {
  std::lock_guard lock(mutex_);
  scopes_.clear();
  evicted_ = 0;
}

bool ScopeStore::reset_scope(std::string_view label) {
  std::lock_guard lock(mutex_);
  const auto found = scopes_.find(label);
  if (found == scopes_.end()) return false;
  scopes_.erase(found);
  return true;
}

}  // namespace prm_mock
