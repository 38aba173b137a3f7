#include "admin/metrics.hpp"

#include <sstream>

namespace prm_mock {

Metrics::Metrics() : started_(std::chrono::steady_clock::now()) {}

void Metrics::record(int status, const std::string& fixture, std::int64_t latency_us) {
  if (status >= 0 && status < static_cast<int>(by_status_.size())) {
    by_status_[static_cast<std::size_t>(status)].fetch_add(1, std::memory_order_relaxed);
  }
  std::size_t bucket = 0;
  while (bucket < kLatencyBucketsUs.size() && latency_us > kLatencyBucketsUs[bucket]) ++bucket;
  latency_buckets_[bucket].fetch_add(1, std::memory_order_relaxed);
  latency_sum_us_.fetch_add(static_cast<std::uint64_t>(latency_us < 0 ? 0 : latency_us),
                            std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  if (!fixture.empty()) {
    std::lock_guard lock(fixtures_mutex_);
    ++by_fixture_[fixture];
  }
}

std::map<std::string, std::uint64_t> Metrics::fixture_hits() const {
  std::lock_guard lock(fixtures_mutex_);
  std::map<std::string, std::uint64_t> hits;
  for (const auto& [name, count] : by_fixture_) {
    const auto before = by_fixture_at_restart_.find(name);
    const std::uint64_t since =
        count - (before == by_fixture_at_restart_.end() ? 0 : before->second);
    if (since > 0) hits.emplace(name, since);
  }
  return hits;
}

void Metrics::restart_fixture_hits() {
  std::lock_guard lock(fixtures_mutex_);
  by_fixture_at_restart_ = by_fixture_;
}

void Metrics::record_chaos(const std::string& what) {
  std::lock_guard lock(fixtures_mutex_);
  ++chaos_by_what_[what];
}

std::string Metrics::prometheus_text(std::size_t journal_size, std::uint64_t journal_total,
                                     std::uint64_t journal_dropped,
                                     std::size_t journal_bytes) const {
  std::ostringstream out;
  out << "# HELP prm_mock_requests_total Requests answered on the API path, by status.\n"
         "# TYPE prm_mock_requests_total counter\n";
  for (std::size_t status = 0; status < by_status_.size(); ++status) {
    const auto count = by_status_[status].load(std::memory_order_relaxed);
    if (count > 0) out << "prm_mock_requests_total{status=\"" << status << "\"} " << count << "\n";
  }
  out << "# HELP prm_mock_fixture_responses_total Responses by the fixture that answered.\n"
         "# TYPE prm_mock_fixture_responses_total counter\n";
  {
    std::lock_guard lock(fixtures_mutex_);
    // Fixture names are limited to [A-Za-z0-9._-], so they need no escaping as label values.
    for (const auto& [name, count] : by_fixture_) {
      out << "prm_mock_fixture_responses_total{fixture=\"" << name << "\"} " << count << "\n";
    }
  }
  out << "# HELP prm_mock_chaos_injected_total Answers --chaos injected instead of a success.\n"
         "# TYPE prm_mock_chaos_injected_total counter\n";
  {
    std::lock_guard lock(fixtures_mutex_);
    // The names are the mock's own words (publish/chaos.hpp): no escaping needed.
    for (const auto& [what, count] : chaos_by_what_) {
      out << "prm_mock_chaos_injected_total{what=\"" << what << "\"} " << count << "\n";
    }
  }
  out << "# HELP prm_mock_request_duration_seconds Time from request start to response decided.\n"
         "# TYPE prm_mock_request_duration_seconds histogram\n";
  std::uint64_t cumulative = 0;
  for (std::size_t bucket = 0; bucket < kLatencyBucketsUs.size(); ++bucket) {
    cumulative += latency_buckets_[bucket].load(std::memory_order_relaxed);
    out << "prm_mock_request_duration_seconds_bucket{le=\""
        << static_cast<double>(kLatencyBucketsUs[bucket]) / 1e6 << "\"} " << cumulative << "\n";
  }
  cumulative += latency_buckets_.back().load(std::memory_order_relaxed);
  out << "prm_mock_request_duration_seconds_bucket{le=\"+Inf\"} " << cumulative << "\n"
      << "prm_mock_request_duration_seconds_sum "
      << static_cast<double>(latency_sum_us_.load(std::memory_order_relaxed)) / 1e6 << "\n"
      << "prm_mock_request_duration_seconds_count " << count_.load(std::memory_order_relaxed)
      << "\n";
  out << "# HELP prm_mock_journal_entries Journal entries held in memory.\n"
         "# TYPE prm_mock_journal_entries gauge\n"
         "prm_mock_journal_entries "
      << journal_size << "\n"
      << "# HELP prm_mock_journal_bytes Memory the held journal entries take (about).\n"
         "# TYPE prm_mock_journal_bytes gauge\n"
         "prm_mock_journal_bytes "
      << journal_bytes << "\n"
      << "# HELP prm_mock_journal_recorded_total Journal entries recorded since the last reset.\n"
         "# TYPE prm_mock_journal_recorded_total counter\n"
         "prm_mock_journal_recorded_total "
      << journal_total << "\n"
      << "# HELP prm_mock_journal_dropped_total Journal entries dropped for the memory bound.\n"
         "# TYPE prm_mock_journal_dropped_total counter\n"
         "prm_mock_journal_dropped_total "
      << journal_dropped << "\n"
      << "# HELP prm_mock_uptime_seconds Seconds since the server started.\n"
         "# TYPE prm_mock_uptime_seconds gauge\n"
         "prm_mock_uptime_seconds "
      << std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count() << "\n";
  return out.str();
}

std::string connection_metrics_text(const ConnectionFigures& figures) {
  return "# HELP prm_mock_connections_open Client connections open now.\n"
         "# TYPE prm_mock_connections_open gauge\n"
         "prm_mock_connections_open " +
         std::to_string(figures.open) +
         "\n"
         "# HELP prm_mock_connections_refused_total Connections refused over --max-connections.\n"
         "# TYPE prm_mock_connections_refused_total counter\n"
         "prm_mock_connections_refused_total " +
         std::to_string(figures.refused) +
         "\n"
         "# HELP prm_mock_request_heads_timed_out_total Request heads not complete within "
         "--request-timeout.\n"
         "# TYPE prm_mock_request_heads_timed_out_total counter\n"
         "prm_mock_request_heads_timed_out_total " +
         std::to_string(figures.heads_timed_out) +
         "\n"
         "# HELP prm_mock_exchanges_waiting Delayed responses and held-open connections "
         "waiting on a timer.\n"
         "# TYPE prm_mock_exchanges_waiting gauge\n"
         "prm_mock_exchanges_waiting " +
         std::to_string(figures.exchanges_waiting) +
         "\n"
         "# HELP prm_mock_tls_on_plain_port_total TLS handshakes on the plain-HTTP port, closed "
         "unanswered.\n"
         "# TYPE prm_mock_tls_on_plain_port_total counter\n"
         "prm_mock_tls_on_plain_port_total " +
         std::to_string(figures.tls_on_plain_port) +
         "\n"
         "# HELP prm_mock_plain_http_on_tls_port_total Plain HTTP requests on the HTTPS port, "
         "answered 400.\n"
         "# TYPE prm_mock_plain_http_on_tls_port_total counter\n"
         "prm_mock_plain_http_on_tls_port_total " +
         std::to_string(figures.plain_http_on_tls_port) +
         "\n"
         "# HELP prm_mock_event_streams_open Request event streams open now.\n"
         "# TYPE prm_mock_event_streams_open gauge\n"
         "prm_mock_event_streams_open " +
         std::to_string(figures.event_streams_open) +
         "\n"
         "# HELP prm_mock_event_stream_dropped_total Events request streams skipped because their "
         "readers fell behind.\n"
         "# TYPE prm_mock_event_stream_dropped_total counter\n"
         "prm_mock_event_stream_dropped_total " +
         std::to_string(figures.event_stream_dropped) + "\n";
}

}  // namespace prm_mock
