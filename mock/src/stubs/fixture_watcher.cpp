#include "stubs/fixture_watcher.hpp"

#include <system_error>

#include "stubs/fixture_loader.hpp"

namespace prm_mock {

FixtureWatcher::FixtureWatcher(std::vector<std::filesystem::path> directories,
                               const Contract& contract, FixtureStore& store, Listener listener,
                               std::chrono::milliseconds interval)
    : directories_(std::move(directories)),
      contract_(contract),
      store_(store),
      listener_(std::move(listener)),
      interval_(interval),
      last_seen_(take_snapshot()),
      thread_([this] { run(); }) {}

FixtureWatcher::~FixtureWatcher() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

FixtureWatcher::Snapshot FixtureWatcher::take_snapshot() const {
  Snapshot snapshot;
  for (const auto& directory : directories_) {
    std::error_code error;
    for (std::filesystem::directory_iterator it(directory, error), end; !error && it != end;
         it.increment(error)) {
      if (!is_fixture_file_name(it->path())) continue;
      std::error_code stat_error;
      const auto size = it->file_size(stat_error);
      const auto modified = it->last_write_time(stat_error);
      if (!stat_error) snapshot[it->path()] = {size, modified};
    }
    // A directory that vanishes (or cannot be listed) shows up as an empty entry, so it changes.
    if (error) snapshot[directory] = {0, {}};
  }
  return snapshot;
}

void FixtureWatcher::run() {
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, interval_, [this] { return stopping_; })) {
    lock.unlock();
    Snapshot now = take_snapshot();
    if (now != last_seen_) {
      last_seen_ = std::move(now);
      LoadResult result = load_fixture_set(directories_, contract_);
      ReloadReport report;
      report.ok = result.ok();
      if (result.ok()) {
        report.fixture_count = result.set->size();
        store_.replace(std::move(result.set));
      } else {
        report.problems = std::move(result.problems);
      }
      if (listener_) listener_(report);
    }
    lock.lock();
  }
}

}  // namespace prm_mock
