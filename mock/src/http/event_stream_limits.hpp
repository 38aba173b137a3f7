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
// Bytes of events added to one reader's buffer per write, so one flood does not make one write
// hold megabytes; the events beyond wait for the next write (still subject to kBurst).
constexpr std::size_t kMaxBytesPerWrite = 256 * 1024;
// Streams are written to at most this often: a flood of requests costs one wake-up per interval,
// not one per request.
constexpr auto kWriteInterval = std::chrono::milliseconds(20);
// What the client's EventSource waits before it reconnects (the stream's first line).
constexpr int kRetryMilliseconds = 2000;
// A comment line after this long without an event, so that proxies and clients see it is alive.
constexpr auto kKeepAliveInterval = std::chrono::seconds(15);

}  // namespace prm_mock::event_stream
