#pragma once
// Counters for GET /__admin/metrics (Prometheus text format): requests by status and fixture, a
// latency histogram, and uptime; and the text for the connection layer's figures. Recording is
// lock-free except for the fixture counter map, whose critical section is one increment.
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace prm_mock {

class Metrics {
 public:
  Metrics();

  void record(int status, const std::string& fixture, std::int64_t latency_us);
  // An answer --chaos injected ("503", "connection_reset"), besides its record() by status.
  void record_chaos(const std::string& what);

  // Answers by each fixture (by name) since construction or the last restart_fixture_hits(): the
  // admin API's "hits". The Prometheus counter they come from never goes back; a restart only
  // moves the baseline they are counted from.
  std::map<std::string, std::uint64_t> fixture_hits() const;
  void restart_fixture_hits();

  // The exposition text; journal figures are passed in because the journal owns them.
  std::string prometheus_text(std::size_t journal_size, std::uint64_t journal_total,
                              std::uint64_t journal_dropped, std::size_t journal_bytes) const;

 private:
  static constexpr std::array<std::int64_t, 10> kLatencyBucketsUs = {
      100, 250, 500, 1000, 2500, 5000, 10000, 50000, 250000, 1000000};

  std::chrono::steady_clock::time_point started_;
  std::array<std::atomic<std::uint64_t>, 600> by_status_{};
  std::array<std::atomic<std::uint64_t>, kLatencyBucketsUs.size() + 1> latency_buckets_{};
  std::atomic<std::uint64_t> latency_sum_us_{0};
  std::atomic<std::uint64_t> count_{0};
  mutable std::mutex fixtures_mutex_;
  std::map<std::string, std::uint64_t> by_fixture_;
  std::map<std::string, std::uint64_t> by_fixture_at_restart_;  // under fixtures_mutex_
  std::map<std::string, std::uint64_t> chaos_by_what_;  // under fixtures_mutex_ too: rare and short
};

// What the connection layer counts, read when /__admin/metrics is asked for.
struct ConnectionFigures {
  int open = 0;
  std::uint64_t refused = 0;                 // over --max-connections
  std::uint64_t heads_timed_out = 0;         // request heads not complete within --request-timeout
  std::size_t exchanges_waiting = 0;         // delayed responses and held-open connections
  std::uint64_t tls_on_plain_port = 0;       // TLS handshakes on the plain-HTTP port
  std::uint64_t plain_http_on_tls_port = 0;  // plain HTTP requests on the HTTPS port
  int event_streams_open = 0;                // GET /__admin/requests/stream connections
  std::uint64_t event_stream_dropped = 0;    // events skipped for readers that fell behind
};

// The exposition text for `figures`, appended to Metrics::prometheus_text's.
std::string connection_metrics_text(const ConnectionFigures& figures);

}  // namespace prm_mock
