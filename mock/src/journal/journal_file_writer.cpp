#include "journal/journal_file_writer.hpp"

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace prm_mock {

JournalFileWriter::JournalFileWriter(const std::string& path)
    // "e": the descriptor must not leak into processes the mock might spawn.
    : file_(std::fopen(path.c_str(), "ae")) {
  if (file_ == nullptr) {
    throw std::runtime_error("cannot open journal file '" + path +
                             "' for appending: " + std::strerror(errno));
  }
  thread_ = std::thread([this] { write_until_closed(); });
}

JournalFileWriter::~JournalFileWriter() { close(); }

void JournalFileWriter::append(std::shared_ptr<const JournalEntry> entry) {
  {
    const std::lock_guard lock(mutex_);
    if (closing_) return;
    queue_.push_back(std::move(entry));
  }
  queued_.notify_one();
}

void JournalFileWriter::close() {
  const std::lock_guard close_lock(close_mutex_);
  {
    const std::lock_guard lock(mutex_);
    closing_ = true;
  }
  queued_.notify_one();
  if (thread_.joinable()) thread_.join();
  if (file_ != nullptr) {
    std::fclose(file_);
    file_ = nullptr;
  }
}

std::uint64_t JournalFileWriter::failed_writes() const {
  const std::lock_guard lock(mutex_);
  return failed_writes_;
}

// Takes the whole queue at once and writes it outside the lock, flushing once per batch: under
// load that is one flush for many entries, and when idle it is one flush per entry.
void JournalFileWriter::write_until_closed() {
  std::deque<std::shared_ptr<const JournalEntry>> batch;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      queued_.wait(lock, [this] { return closing_ || !queue_.empty(); });
      if (queue_.empty()) return;  // closing, and everything has been written
      batch.swap(queue_);
    }
    std::uint64_t failures = 0;
    for (const auto& entry : batch) {
      const bool written =
          std::fwrite(entry->json.data(), 1, entry->json.size(), file_) == entry->json.size() &&
          std::fputc('\n', file_) != EOF;
      if (!written) ++failures;
    }
    if (std::fflush(file_) != 0 && failures == 0) failures = batch.size();
    batch.clear();  // frees the entries the journal no longer holds, outside the lock
    if (failures > 0) {
      const std::lock_guard lock(mutex_);
      failed_writes_ += failures;
    }
  }
}

}  // namespace prm_mock
