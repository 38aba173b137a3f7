#include "record/recording_store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace prm_mock {
namespace {

constexpr int kMaxSiblings = 1000;

std::string errno_text(const std::string& what) { return what + ": " + std::strerror(errno); }

bool write_all(int fd, const std::string& text) {
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    written += static_cast<std::size_t>(n);
  }
  return true;
}

// The `response` member of the fixture file at `path`, compared with `response`.
bool holds_same_response(const std::filesystem::path& path, const rapidjson::Value& response) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  rapidjson::Document existing;
  existing.Parse(text.str().c_str());
  if (existing.HasParseError() || !existing.IsObject()) return false;
  // Read through a const reference: C++20 finds rapidjson 1.1's comparison of mutable member
  // iterators ambiguous (clang's -Wambiguous-reversed-operator).
  const rapidjson::Value& file = existing;
  const auto found = file.FindMember("response");
  return found != file.MemberEnd() && found->value == response;
}

void sync_directory(const std::filesystem::path& directory) {
  const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return;
  ::fsync(fd);  // makes the new name durable; a failure here loses no data already written
  ::close(fd);
}

}  // namespace

bool write_new_file_atomically(const std::filesystem::path& path, const std::string& text,
                               bool& exists, std::string& problem) {
  static std::atomic<unsigned> counter{0};
  exists = false;
  const std::filesystem::path temporary =
      path.parent_path() / ("." + path.filename().string() + ".tmp-" + std::to_string(::getpid()) +
                            "-" + std::to_string(counter++));
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    problem = errno_text("cannot create " + temporary.string());
    return false;
  }
  const bool durable = write_all(fd, text) && ::fsync(fd) == 0;
  const int saved_errno = errno;
  ::close(fd);
  if (!durable) {
    errno = saved_errno;
    problem = errno_text("cannot write " + temporary.string());
    ::unlink(temporary.c_str());
    return false;
  }
  const bool linked = ::link(temporary.c_str(), path.c_str()) == 0;
  const int link_errno = errno;
  ::unlink(temporary.c_str());
  if (!linked) {
    exists = link_errno == EEXIST;
    errno = link_errno;
    problem = errno_text("cannot create " + path.string());
    return false;
  }
  sync_directory(path.parent_path());
  return true;
}

std::optional<std::string> RecordingStore::record(const std::string& base_name,
                                                  const rapidjson::Value& response,
                                                  const FixtureText& fixture_text,
                                                  std::string& problem) {
  const std::lock_guard lock(mutex_);
  std::error_code error;
  std::filesystem::create_directories(directory_, error);
  if (error) {
    problem = "cannot create " + directory_.string() + ": " + error.message();
    return std::nullopt;
  }
  for (int sibling = 1; sibling <= kMaxSiblings; ++sibling) {
    const std::string name = sibling == 1 ? base_name : base_name + "-" + std::to_string(sibling);
    const std::filesystem::path path = directory_ / (name + ".json");
    if (std::filesystem::exists(path)) {
      if (holds_same_response(path, response)) return name;
      continue;
    }
    bool exists = false;
    if (write_new_file_atomically(path, fixture_text(name), exists, problem)) return name;
    if (!exists) return std::nullopt;
    // Another process took the name between our check and link: look at what it wrote.
    if (holds_same_response(path, response)) return name;
  }
  problem = "more than " + std::to_string(kMaxSiblings) + " different answers for " + base_name;
  return std::nullopt;
}

}  // namespace prm_mock
