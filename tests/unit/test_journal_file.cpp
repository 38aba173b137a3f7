#include <doctest/doctest.h>
#include <rapidjson/document.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "journal/journal.hpp"

using prm_mock::ExchangeRecord;
using prm_mock::Journal;
using prm_mock::JournalOptions;

namespace {

// A fresh path under the temporary directory, removed again when the test is done.
class TemporaryJournalFile {
 public:
  explicit TemporaryJournalFile(const std::string& name)
      : path_((std::filesystem::temp_directory_path() /
               ("prm_" + std::to_string(::getpid()) + "_" + name))
                  .string()) {
    std::filesystem::remove(path_);
  }
  ~TemporaryJournalFile() { std::filesystem::remove(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::vector<std::string> file_lines_of(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

ExchangeRecord exchange_with_id(const std::string& id) {
  ExchangeRecord record;
  record.id = id;
  record.method = "POST";
  record.path = "/api/registries/artifacts";
  record.headers = {{"X-API-Key", "load-test-key-000000"}, {"Content-Type", "application/json"}};
  record.body_text = R"({"name":"artifact","version":"1.0.0"})";
  record.status = 201;
  return record;
}

}  // namespace

TEST_CASE("journal file: one JSON line per entry, in order, appended to what is there") {
  const TemporaryJournalFile file("order.jsonl");
  { std::ofstream(file.path()) << "{\"earlier\":true}\n"; }
  Journal journal(JournalOptions{2, file.path()});
  for (int i = 1; i <= 3; ++i) journal.record(exchange_with_id("req-" + std::to_string(i)));
  journal.close();
  journal.record(exchange_with_id("after-close"));  // memory only once the file is closed
  const auto lines = file_lines_of(file.path());
  REQUIRE(lines.size() == 4);
  CHECK(lines[0] == "{\"earlier\":true}");
  // The file keeps what the bounded memory journal dropped.
  for (int i = 1; i <= 3; ++i) {
    rapidjson::Document json;
    json.Parse(lines[i].c_str());
    REQUIRE_FALSE(json.HasParseError());
    CHECK(std::string(json["id"].GetString()) == "req-" + std::to_string(i));
  }
  CHECK(journal.failed_file_writes() == 0);
  CHECK(journal.snapshot().back()->id == "after-close");
}

TEST_CASE("journal file: the destructor writes everything still queued") {
  const TemporaryJournalFile file("drain.jsonl");
  constexpr int kEntries = 500;
  {
    Journal journal(JournalOptions{10, file.path()});
    for (int i = 0; i < kEntries; ++i) journal.record(exchange_with_id("req-" + std::to_string(i)));
  }
  CHECK(file_lines_of(file.path()).size() == kEntries);
}

TEST_CASE("journal file: a path that cannot be opened fails at construction, naming it") {
  const std::string path = "/nonexistent-directory-for-prm/journal.jsonl";
  CHECK_THROWS_WITH_AS(Journal(JournalOptions{10, path}),
                       doctest::Contains("/nonexistent-directory-for-prm/journal.jsonl"),
                       std::runtime_error);
}

TEST_CASE("journal under load: 8 threads x 2,000 records, nothing lost, torn or duplicated") {
  const TemporaryJournalFile file("load.jsonl");
  constexpr int kThreads = 8;
  constexpr int kPerThread = 2000;
  Journal journal(JournalOptions{10000, file.path()});
  {
    std::vector<std::jthread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&journal, t] {
        for (int i = 0; i < kPerThread; ++i) {
          journal.record(exchange_with_id("t" + std::to_string(t) + "-" + std::to_string(i)));
        }
      });
    }
  }  // jthreads join here
  CHECK(journal.total() == kThreads * kPerThread);
  CHECK(journal.size() == 10000);
  CHECK(journal.dropped() == kThreads * kPerThread - 10000);
  journal.close();

  const auto lines = file_lines_of(file.path());
  CHECK(lines.size() == kThreads * kPerThread);
  std::set<std::string> ids;
  int unparsable = 0;
  for (const std::string& line : lines) {
    rapidjson::Document json;
    json.Parse(line.c_str());
    if (json.HasParseError() || !json.IsObject() || !json.HasMember("id")) {
      ++unparsable;
      continue;
    }
    ids.insert(json["id"].GetString());
  }
  CHECK(unparsable == 0);
  CHECK(ids.size() == kThreads * kPerThread);
  CHECK(journal.failed_file_writes() == 0);
}
