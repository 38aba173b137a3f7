#pragma once
// Appends journal entries to a file as JSON lines on a thread of its own, so a request never waits
// for the disk; close() writes everything still queued, so a graceful shutdown loses nothing.
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "journal/journal_entry.hpp"

namespace prm_mock {

class JournalFileWriter {
 public:
  // Opens `path` for appending; throws std::runtime_error naming the path when it cannot.
  explicit JournalFileWriter(const std::string& path);
  ~JournalFileWriter();  // close()
  JournalFileWriter(const JournalFileWriter&) = delete;
  JournalFileWriter& operator=(const JournalFileWriter&) = delete;

  // Queues one line; returns at once. Entries queued after close() are not written.
  void append(std::shared_ptr<const JournalEntry> entry);

  // Writes and flushes everything queued, then stops the thread and closes the file. Idempotent.
  void close();

  // Entries whose line could not be written in full (e.g. disk full).
  std::uint64_t failed_writes() const;

 private:
  void write_until_closed();

  std::FILE* file_;
  mutable std::mutex mutex_;
  std::condition_variable queued_;
  std::deque<std::shared_ptr<const JournalEntry>> queue_;
  bool closing_ = false;
  std::uint64_t failed_writes_ = 0;
  std::mutex close_mutex_;  // serialises close() so two callers never join the thread together
  std::thread thread_;
};

}  // namespace prm_mock
