// Hot reload: an edit becomes visible; a bad edit keeps the last good set and says why.
#include <doctest/doctest.h>

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <vector>

#include "contract/contract.hpp"
#include "embedded_contract.hpp"
#include "stubs/fixture_loader.hpp"
#include "stubs/fixture_watcher.hpp"
#include "temporary_directory.hpp"

using namespace prm_mock;
using prm_mock::testing::TemporaryDirectory;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

using prm_mock::testing::contract;

// Collects the watcher's reports and lets the test wait for the next one.
class Reports {
 public:
  void add(const ReloadReport& report) {
    {
      std::lock_guard lock(mutex_);
      reports_.push_back(report);
    }
    arrived_.notify_all();
  }
  // The report numbered `index` (0-based), waiting for it up to a generous timeout.
  std::optional<ReloadReport> wait_for(std::size_t index) {
    std::unique_lock lock(mutex_);
    if (!arrived_.wait_for(lock, 10s, [&] { return reports_.size() > index; })) return std::nullopt;
    return reports_[index];
  }

 private:
  std::mutex mutex_;
  std::condition_variable arrived_;
  std::vector<ReloadReport> reports_;
};

std::string reload_fixture_json(int status) {
  return R"({"name": "custom", "response": {"status": )" + std::to_string(status) + "}}";
}

}  // namespace

TEST_CASE(
    "fixture reload: edits, additions and removals swap in; a bad edit keeps the last good set") {
  TemporaryDirectory directory;
  directory.write("custom.json", reload_fixture_json(201));
  LoadResult initial = load_fixture_set({directory.path()}, contract());
  REQUIRE(initial.ok());
  FixtureStore store(initial.set);
  Reports reports;
  FixtureWatcher watcher(
      {directory.path()}, contract(), store,
      [&](const ReloadReport& report) { reports.add(report); }, 20ms);
  const std::size_t defaults = load_fixture_set({}, contract()).set->size();

  // The in-flight snapshot a request took before the edit stays what it was.
  const auto before = store.current();
  directory.write("custom.json", reload_fixture_json(202) + "\n");
  auto report = reports.wait_for(0);
  REQUIRE(report.has_value());
  CHECK(report->ok);
  CHECK(store.current()->find("custom")->response().status == 202);
  CHECK(before->find("custom")->response().status == 201);

  directory.write("custom.json", R"({"name": "custom", "response": {"status": 200, "stauts": 1}})");
  report = reports.wait_for(1);
  REQUIRE(report.has_value());
  CHECK_FALSE(report->ok);
  REQUIRE(report->problems.size() == 1);
  CHECK(to_string(report->problems[0])
            .starts_with((directory.path() / "custom.json").string() +
                         ": /response/stauts: unexpected key 'stauts'"));
  CHECK(store.current()->find("custom")->response().status == 202);  // last good set kept

  directory.write("added.json", R"({"name": "added", "response": {"status": 418}})");
  directory.write("custom.json", reload_fixture_json(203));
  // Two writes may be seen as one change or two: wait report by report until both are in.
  auto both_visible = [&] {
    const auto current = store.current();
    return current->find("added") && current->find("custom")->response().status == 203;
  };
  for (std::size_t index = 2; !both_visible(); ++index) {
    const auto next = reports.wait_for(index);
    REQUIRE(next.has_value());
    CHECK(next->ok);
  }
  CHECK(store.current()->size() == defaults + 2);
}

TEST_CASE("fixture reload: a removed file drops its fixture") {
  TemporaryDirectory directory;
  directory.write("custom.json", reload_fixture_json(201));
  FixtureStore store(load_fixture_set({directory.path()}, contract()).set);
  Reports reports;
  FixtureWatcher watcher(
      {directory.path()}, contract(), store,
      [&](const ReloadReport& report) { reports.add(report); }, 20ms);
  fs::remove(directory.path() / "custom.json");
  const auto report = reports.wait_for(0);
  REQUIRE(report.has_value());
  CHECK(report->ok);
  CHECK(store.current()->find("custom") == nullptr);
}

TEST_CASE("fixture reload: the watcher stops promptly even with a long poll interval") {
  TemporaryDirectory directory;
  FixtureStore store(load_fixture_set({directory.path()}, contract()).set);
  const auto started = std::chrono::steady_clock::now();
  { FixtureWatcher watcher({directory.path()}, contract(), store, nullptr, 1h); }
  CHECK(std::chrono::steady_clock::now() - started < 5s);
}
