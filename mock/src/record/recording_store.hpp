#pragma once
// The --out directory of record mode: one fixture file per distinct answer, never torn, never
// overwriting a different exchange.
#include <rapidjson/document.h>

#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

namespace prm_mock {

class RecordingStore {
 public:
  explicit RecordingStore(std::filesystem::path directory) : directory_(std::move(directory)) {}

  // Records an answer under `base_name`, or under the first free sibling `base_name-2`, `-3`, …
  // when a file of that name holds a different `response`. A file that already holds an equal
  // `response` is left alone and its name returned. `fixture_text(name)` renders the file.
  // Returns the fixture's name, or nothing with `problem` set when it could not be written.
  using FixtureText = std::function<std::string(const std::string& name)>;
  std::optional<std::string> record(const std::string& base_name, const rapidjson::Value& response,
                                    const FixtureText& fixture_text, std::string& problem);

 private:
  std::filesystem::path directory_;
  std::mutex mutex_;  // one decision about a name at a time within this process
};

// Writes `text` to `path` so that `path` either does not exist or is complete: a hidden temporary
// file in the same directory, fsync, then link() into place (which, unlike rename, fails instead
// of replacing a file another writer put there first). Returns false with `problem` set, or when
// `path` exists (`exists` set).
bool write_new_file_atomically(const std::filesystem::path& path, const std::string& text,
                               bool& exists, std::string& problem);

}  // namespace prm_mock
