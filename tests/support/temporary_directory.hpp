#pragma once
// A fresh directory for one test, removed with everything in it when the test ends.
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

namespace prm_mock::testing {

class TemporaryDirectory {
 public:
  explicit TemporaryDirectory(const std::string& prefix = "prm-mock-test") {
    std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TemporaryDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TemporaryDirectory(const TemporaryDirectory&) = delete;
  TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;

  const std::filesystem::path& path() const { return path_; }

  // Writes beside and renames, as editors do, so a watcher never sees half a file.
  void write(const std::string& name, const std::string& text) const {
    const std::filesystem::path temporary = path_ / ("." + name + ".part");
    std::ofstream(temporary, std::ios::binary) << text;
    std::filesystem::rename(temporary, path_ / name);
  }

 private:
  std::filesystem::path path_;
};

}  // namespace prm_mock::testing
