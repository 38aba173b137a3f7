#pragma once
// Hot reload for --fixtures directories: a thread polls the *.json files' names, sizes and
// modification times, and on any change reloads the whole set (embedded defaults + directories).
// A good reload replaces the store's set; a bad one keeps the last good set. Either way the
// listener hears about it (the server logs it).
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <tuple>
#include <vector>

#include "contract/contract.hpp"
#include "stubs/fixture_problem.hpp"
#include "stubs/fixture_store.hpp"

namespace prm_mock {

struct ReloadReport {
  bool ok = false;                // true: the store now holds the new set
  std::size_t fixture_count = 0;  // of the new set, when ok
  FixtureProblems problems;       // why the reload was refused, when !ok
};

class FixtureWatcher {
 public:
  using Listener = std::function<void(const ReloadReport&)>;

  // Takes the directories' current state as the baseline (the caller has just loaded from them)
  // and starts polling. `contract` and `store` must outlive the watcher. The listener runs on the
  // watcher's thread.
  FixtureWatcher(std::vector<std::filesystem::path> directories, const Contract& contract,
                 FixtureStore& store, Listener listener,
                 std::chrono::milliseconds interval = std::chrono::milliseconds(250));
  // Stops promptly (wakes the thread) and joins it.
  ~FixtureWatcher();

  FixtureWatcher(const FixtureWatcher&) = delete;
  FixtureWatcher& operator=(const FixtureWatcher&) = delete;

 private:
  // path → (size, modification time); a file appearing or disappearing changes the map too.
  using Snapshot =
      std::map<std::filesystem::path, std::tuple<std::uintmax_t, std::filesystem::file_time_type>>;
  Snapshot take_snapshot() const;
  void run();

  std::vector<std::filesystem::path> directories_;
  const Contract& contract_;
  FixtureStore& store_;
  Listener listener_;
  std::chrono::milliseconds interval_;
  Snapshot last_seen_;

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;  // last: starts after everything above is initialised
};

}  // namespace prm_mock
