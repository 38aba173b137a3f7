#include "journal/log_writer.hpp"

#include <pthread.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>

namespace prm_mock {

LogWriter::LogWriter(int fd, std::size_t max_queued_bytes)
    : fd_(fd), max_queued_bytes_(max_queued_bytes), thread_([this] { write_until_stopped(); }) {}

LogWriter::~LogWriter() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  queued_.notify_one();
  thread_.join();
}

LogWriter& LogWriter::standard_error() {
  static LogWriter writer(STDERR_FILENO);
  return writer;
}

void LogWriter::write(std::string line) {
  {
    const std::lock_guard lock(mutex_);
    if (queue_.size() + line.size() > max_queued_bytes_) {
      ++dropped_;
      ++dropped_total_;
      return;
    }
    if (queue_.empty()) {
      queue_ = std::move(line);
    } else {
      queue_ += line;
    }
  }
  queued_.notify_one();
}

void LogWriter::flush() {
  std::unique_lock lock(mutex_);
  // Whatever is queued now goes out in the next batch the writer takes (or one it is writing).
  const std::uint64_t wanted = queued_batches_ + (queue_.empty() && dropped_ == 0 ? 0 : 1);
  queued_.notify_one();
  written_.wait(lock, [&] { return written_batches_ >= wanted; });
}

std::uint64_t LogWriter::dropped_lines() const {
  const std::lock_guard lock(mutex_);
  return dropped_total_;
}

void LogWriter::write_until_stopped() {
  // Shutdown signals belong to the thread that waits for them (serve_command); a write to a pipe
  // nobody reads must fail with EPIPE, not kill the process.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::string batch;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      queued_.wait(lock, [this] { return stopping_ || !queue_.empty() || dropped_ > 0; });
      if (queue_.empty() && dropped_ == 0) return;  // stopping, and everything has been written
      batch.clear();
      batch.swap(queue_);
      if (dropped_ > 0) {
        batch += "prm-mock: " + std::to_string(dropped_) +
                 " log lines dropped: the log was not read fast enough\n";
        dropped_ = 0;
      }
      ++queued_batches_;
    }
    write_fully(batch);
    {
      const std::lock_guard lock(mutex_);
      ++written_batches_;
    }
    written_.notify_all();
  }
}

void LogWriter::write_fully(const std::string& bytes) const {
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t count = ::write(fd_, bytes.data() + written, bytes.size() - written);
    if (count < 0 && errno == EINTR) continue;
    if (count <= 0) return;  // a log that cannot be written must not stop the mock
    written += static_cast<std::size_t>(count);
  }
}

}  // namespace prm_mock
