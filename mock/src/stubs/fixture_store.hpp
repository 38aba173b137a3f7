#pragma once
// The fixture set currently in force. Requests take a snapshot (a shared_ptr copy) and keep using
// it to the end, so a reload or an admin edit never changes a response half-way through.
#include <memory>
#include <mutex>

#include "stubs/fixture_set.hpp"

namespace prm_mock {

class FixtureStore {
 public:
  explicit FixtureStore(std::shared_ptr<const FixtureSet> initial) : current_(std::move(initial)) {}

  std::shared_ptr<const FixtureSet> current() const {
    std::lock_guard lock(mutex_);
    return current_;
  }

  void replace(std::shared_ptr<const FixtureSet> next) {
    std::lock_guard lock(mutex_);
    current_.swap(next);
    // `next` (the old set) is released after the lock, once no request holds it.
  }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const FixtureSet> current_;
};

}  // namespace prm_mock
