#pragma once
// The bounds of one event stream (GET /__admin/requests/stream), in one place: what a reader may
// be sent, how often streams are written to, and what a reader may cost.
#include <chrono>
#include <cstddef>

namespace prm_mock::event_stream {

// A reader gets at most a burst of kBurst events, then kPerSecond a second (a token bucket):
// more than that and it skips ahead, told how many it missed.
constexpr double kBurst = 1000;
constexpr double kPerSecond = 200;
// All readers together get at most this many events a second, shared equally, so that what the
// streams cost the requests they show does not grow with how many are open: 100 readers of a
// flood get 20 a second each. A reader's burst is at most 5 seconds of its share.
constexpr double kAllReadersPerSecond = 2000;

struct ReaderAllowance {
  double per_second;
  double burst;
};
inline ReaderAllowance reader_allowance(std::size_t readers) {
  const double share = kAllReadersPerSecond / static_cast<double>(readers == 0 ? 1 : readers);
  const double per_second = share < kPerSecond ? share : kPerSecond;
  const double burst = 5 * per_second < kBurst ? 5 * per_second : kBurst;
  return {per_second, burst};
}
// A reader held to its rate (a flood: its burst spent) is written this many seconds' worth of
// events at a time, not the few it earns each write interval: the same events in far fewer
// writes, and far fewer wake-ups of the reader. Measured with 100 readers of a flood, their
// client's CPU went from 4-7% of a core to 1-4% between a quarter second and one second. A reader
// within its burst (no flood) still gets each event at the next write interval.
constexpr double kHeldReaderBatchSeconds = 1.0;
// Bytes of events added to one reader's buffer per write, so one flood does not make one write
// hold megabytes; the events beyond wait for the next write (still subject to kBurst).
constexpr std::size_t kMaxBytesPerWrite = 256 * 1024;
// The kernel's send buffer of a stream's socket (SO_SNDBUF; Linux doubles it for its own
// bookkeeping). Left to autotuning it may grow to megabytes (tcp_wmem), which a reader that stops
// reading would hold in kernel memory: with this, such a reader costs at most about 0.75 MiB
// (one write and the buffer). A reader of 200 events a second needs far less.
constexpr int kKernelSendBufferBytes = 128 * 1024;
// Streams are written to at most this often: a flood of requests costs one wake-up per interval,
// not one per request.
constexpr auto kWriteInterval = std::chrono::milliseconds(20);
// What the client's EventSource waits before it reconnects (the stream's first line).
constexpr int kRetryMilliseconds = 2000;
// A comment line after this long without an event, so that proxies and clients see it is alive.
constexpr auto kKeepAliveInterval = std::chrono::seconds(15);

}  // namespace prm_mock::event_stream
