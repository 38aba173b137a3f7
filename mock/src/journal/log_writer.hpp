#pragma once
// Log lines leave through one thread of their own. A worker formats its line and queues it under
// a short lock; the writer thread sends whole batches with one write(2). Written by every worker
// directly, the lines would queue the workers on the file's (or pipe's) lock in the kernel: with
// the log going to a file, that cost 17-20% of throughput at 32 connections and took p99 from
// 4 ms to 14-20 ms.
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace prm_mock {

class LogWriter {
 public:
  // Past this many queued bytes (nobody reads the log), new lines are dropped and counted, and a
  // line saying how many is written once the log moves again: memory stays bounded.
  static constexpr std::size_t kDefaultMaxQueuedBytes = 8 * 1024 * 1024;

  explicit LogWriter(int fd, std::size_t max_queued_bytes = kDefaultMaxQueuedBytes);
  ~LogWriter();  // writes what is queued, then stops the thread
  LogWriter(const LogWriter&) = delete;
  LogWriter& operator=(const LogWriter&) = delete;

  // The process's standard error, for the request log; lives until exit.
  static LogWriter& standard_error();

  // Queues `line` (ending with '\n'); returns at once.
  void write(std::string line);
  // Returns once every line queued before the call has been written (or failed to be).
  void flush();

  std::uint64_t dropped_lines() const;

 private:
  void write_until_stopped();
  void write_fully(const std::string& bytes) const;

  const int fd_;
  const std::size_t max_queued_bytes_;
  mutable std::mutex mutex_;
  std::condition_variable queued_;
  std::condition_variable written_;
  std::string queue_;                  // whole lines, in order
  std::uint64_t queued_batches_ = 0;   // batches taken by the writer, for flush()
  std::uint64_t written_batches_ = 0;  // of them, written
  std::uint64_t dropped_ = 0;          // lines dropped since the last notice
  std::uint64_t dropped_total_ = 0;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace prm_mock
