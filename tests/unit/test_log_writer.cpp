// The log's writer thread: every line arrives whole and in each thread's order, flush() means
// written, and a log nobody reads costs bounded memory (dropped lines are counted and said).
#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "journal/log_writer.hpp"

using prm_mock::LogWriter;

namespace {

// Both ends of a pipe, closed by the destructor.
struct Pipe {
  Pipe() { REQUIRE(::pipe2(ends, O_CLOEXEC) == 0); }
  ~Pipe() {
    for (int end : ends) {
      if (end >= 0) ::close(end);
    }
  }
  // Everything readable now, without waiting (the write end stays open).
  std::string drain() const {
    std::string all;
    char chunk[65536];
    for (;;) {
      const ssize_t count = ::read(ends[0], chunk, sizeof chunk);
      if (count <= 0) break;
      all.append(chunk, static_cast<std::size_t>(count));
    }
    return all;
  }
  int ends[2] = {-1, -1};
};

// flush() returns once the writer has written, which needs room in the pipe: reads meanwhile.
std::string flush_while_reading(LogWriter& writer, const Pipe& pipe) {
  std::string received;
  std::atomic<bool> flushed{false};
  std::thread flusher([&] {
    writer.flush();
    flushed = true;
  });
  while (!flushed) {
    received += pipe.drain();
    std::this_thread::yield();
  }
  flusher.join();
  return received + pipe.drain();
}

}  // namespace

TEST_CASE("log writer: lines from many threads arrive whole, each thread's in order") {
  Pipe pipe;
  REQUIRE(::fcntl(pipe.ends[0], F_SETFL, O_NONBLOCK) == 0);
  std::string received;
  {
    LogWriter writer(pipe.ends[1]);
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
      threads.emplace_back([&writer, t] {
        for (int i = 0; i < 500; ++i) {
          writer.write("thread " + std::to_string(t) + " line " + std::to_string(i) + " " +
                       std::string(40, 'x') + "\n");
        }
      });
    }
    // The pipe holds 64 KiB; keep reading while the threads write, then flush and read the rest.
    for (auto& thread : threads) {
      while (thread.joinable()) {
        received += pipe.drain();
        thread.join();
      }
    }
    received += flush_while_reading(writer, pipe);
    CHECK(writer.dropped_lines() == 0);
  }
  std::istringstream lines(received);
  std::map<int, int> next_line_of_thread;
  std::string line;
  int count = 0;
  while (std::getline(lines, line)) {
    int thread = -1, index = -1;
    REQUIRE(std::sscanf(line.c_str(), "thread %d line %d", &thread, &index) == 2);
    CHECK(line.size() == line.find(" x") + 41);  // whole: nothing cut in or out
    CHECK(index == next_line_of_thread[thread]);
    next_line_of_thread[thread] = index + 1;
    ++count;
  }
  CHECK(count == 8 * 500);
}

TEST_CASE("log writer: a log nobody reads drops lines past the bound, then says how many") {
  Pipe pipe;
  REQUIRE(::fcntl(pipe.ends[0], F_SETFL, O_NONBLOCK) == 0);
  constexpr std::size_t kBound = 4096;
  LogWriter writer(pipe.ends[1], kBound);
  // Fill the pipe (64 KiB) and the queue; nobody reads, so the writer blocks and lines pile up.
  const std::string line = std::string(99, 'a') + "\n";
  for (int i = 0; i < 2000; ++i) writer.write(line);
  CHECK(writer.dropped_lines() > 0);
  const auto dropped = writer.dropped_lines();
  // Reading again lets everything queued out, with the notice.
  const std::string received = flush_while_reading(writer, pipe);
  // The writer may have said it more than once (each notice counts the drops since the last).
  std::uint64_t said_dropped = 0;
  for (std::size_t at = 0; (at = received.find("prm-mock: ", at)) != std::string::npos; ++at) {
    unsigned long long count = 0;
    REQUIRE(std::sscanf(received.c_str() + at, "prm-mock: %llu log lines dropped", &count) == 1);
    said_dropped += count;
  }
  CHECK(said_dropped == dropped);
  // Lines were dropped whole: everything else is intact lines.
  std::size_t whole_lines = 0;
  for (std::size_t at = 0; (at = received.find(line, at)) != std::string::npos; at += line.size()) {
    ++whole_lines;
  }
  CHECK(whole_lines + dropped == 2000);
}
