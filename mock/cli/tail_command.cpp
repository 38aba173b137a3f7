#include "cli/tail_command.hpp"

#include <httplib.h>
#include <pthread.h>
#include <rapidjson/document.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdlib>
#include <ctime>
#include <future>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "cli/event_stream_parser.hpp"
#include "cli/health_command.hpp"
#include "cli/status_filter.hpp"
#include "cli/tail_line_format.hpp"

namespace prm_mock {
namespace {

using namespace std::chrono_literals;

constexpr const char* kStreamPath = "/__admin/requests/stream";
// Where a mock that restarted is read from: everything it still holds, all of it new to us.
constexpr const char* kFromTheStart = "?since=1970-01-01T00:00:00Z";
constexpr auto kReconnectPause = 1s;
// The stream sends a comment every 15 s when idle: twice that in silence means a dead connection.
constexpr std::time_t kStreamReadTimeoutSeconds = 30;
constexpr std::time_t kConnectTimeoutSeconds = 2;
// How long a signal waits for the stream to wind down before the process just ends.
constexpr auto kStopGrace = 3s;
// An error answer's body is read for its message only.
constexpr std::size_t kErrorBodyLimit = 64 * 1024;
// Beyond the round trips, what two estimates of one mock's start may differ by (the uptime is a
// double of seconds, read from another clock).
constexpr auto kClockSlack = 20ms;

// When the mock process started, on our steady clock, give or take `uncertainty`.
struct MockStart {
  std::chrono::steady_clock::time_point at;
  std::chrono::steady_clock::duration uncertainty;
};

// What one connection ended with.
enum class StreamOutcome { Stopped, Ended, Unreachable, Refused, Retry };

// The "message" of the mock's JSON error body, else the body itself.
std::string error_message_of(const std::string& body) {
  rapidjson::Document document;
  document.Parse(body.c_str(), body.size());
  if (!document.HasParseError() && document.IsObject()) {
    const rapidjson::Value& error_object = document;
    const auto message = error_object.FindMember("message");
    if (message != error_object.MemberEnd() && message->value.IsString()) {
      return message->value.GetString();
    }
  }
  return body;
}

class StreamFollower {
 public:
  StreamFollower(std::string base, std::string token, const TailOptions& options, TailStyle style,
                 std::ostream& out, std::ostream& err)
      : base_(std::move(base)),
        token_(std::move(token)),
        filter_(StatusFilter::parse(options.status).value_or(StatusFilter())),
        json_(options.json),
        style_(style),
        out_(out),
        err_(err) {}

  // Follows the stream until stop() or a refusal; the exit code.
  int run() {
    if (!httplib::Client(base_).is_valid()) {
      err_ << "prm-mock tail: unusable URL '" << base_ << "'\n";
      return 1;
    }
    while (true) {
      std::string notice;
      switch (follow_once(notice)) {
        case StreamOutcome::Stopped:
          return 0;
        case StreamOutcome::Refused:
          err_ << "prm-mock tail: " << notice << "\n";
          return 1;
        case StreamOutcome::Ended:
        case StreamOutcome::Unreachable:
        case StreamOutcome::Retry:
          // An outage is told once, however many attempts and reasons it takes, until the
          // stream is back.
          if (outage_notice_.empty()) {
            err_ << "prm-mock tail: " << notice << "; retrying every second\n" << std::flush;
            outage_notice_ = notice;
          }
          break;
      }
      std::unique_lock lock(mutex_);
      if (wake_.wait_for(lock, kReconnectPause, [this] { return stopping_.load(); })) return 0;
    }
  }

  // From any thread: ends run() promptly, interrupting a blocked read. The read is interrupted
  // by shutting the client's socket down, a system call on a number, rather than by
  // httplib::Client::stop(), which would touch the client's state from this thread while the
  // stream's thread is inside it.
  void stop() {
    stopping_ = true;
    std::lock_guard lock(mutex_);
    if (active_socket_ >= 0) ::shutdown(active_socket_, SHUT_RDWR);
    wake_.notify_all();
  }

 private:
  // Makes every socket `client` opens the one stop() shuts down; false when already stopping.
  // A socket opened after stop() is shut down at once: either stop() sees it or it sees stop().
  bool activate(httplib::Client& client) {
    std::lock_guard lock(mutex_);
    if (stopping_) return false;
    client.set_socket_options([this](socket_t socket) {
      std::lock_guard socket_lock(mutex_);
      active_socket_ = socket;
      if (stopping_) ::shutdown(socket, SHUT_RDWR);
    });
    return true;
  }

  void deactivate() {
    std::lock_guard lock(mutex_);
    active_socket_ = -1;
  }

  // When the mock started, on our clock: the health call's midpoint less the uptime it reports,
  // uncertain by half the call's round trip. Nothing when health does not answer.
  std::optional<MockStart> mock_started(httplib::Client& client) {
    const auto before = std::chrono::steady_clock::now();
    const auto result = client.Get("/__admin/health");
    const auto after = std::chrono::steady_clock::now();
    if (!result || result->status != 200) return std::nullopt;
    rapidjson::Document health;
    health.Parse(result->body.c_str(), result->body.size());
    if (health.HasParseError() || !health.IsObject()) return std::nullopt;
    const rapidjson::Value& health_object = health;
    const auto uptime = health_object.FindMember("uptimeSeconds");
    if (uptime == health_object.MemberEnd() || !uptime->value.IsNumber()) return std::nullopt;
    const auto half_trip = (after - before) / 2;
    return MockStart{before + half_trip -
                         std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                             std::chrono::duration<double>(uptime->value.GetDouble())),
                     half_trip};
  }

  // A mock that restarted numbers its events from 1 again, so the last id seen means nothing to
  // it: the new process is read from its first held request instead. It is another process when
  // the two estimates of its start differ by more than they can be wrong.
  bool restarted(httplib::Client& client) {
    const auto started = mock_started(client);
    if (!started) return false;
    bool different = false;
    if (mock_started_) {
      const auto gap = started->at > mock_started_->at ? started->at - mock_started_->at
                                                       : mock_started_->at - started->at;
      different = gap > started->uncertainty + mock_started_->uncertainty + kClockSlack;
    }
    mock_started_ = started;
    return different;
  }

  StreamOutcome follow_once(std::string& notice) {
    httplib::Client client(base_);
    client.set_connection_timeout(kConnectTimeoutSeconds);
    client.set_read_timeout(kStreamReadTimeoutSeconds);
    if (!activate(client)) return StreamOutcome::Stopped;
    struct Deactivate {
      StreamFollower& follower;
      ~Deactivate() { follower.deactivate(); }
    } deactivate_on_return{*this};

    std::string path = kStreamPath;
    httplib::Headers headers{{"Accept", "text/event-stream"}};
    if (!token_.empty()) headers.emplace("Authorization", "Bearer " + token_);
    if (restarted(client)) {
      err_ << "prm-mock tail: the mock at " << base_
           << " restarted; showing its requests from the first it holds\n"
           << std::flush;
      path += kFromTheStart;
    } else if (!last_event_id_.empty()) {
      headers.emplace("Last-Event-ID", last_event_id_);
    }
    if (stopping_) return StreamOutcome::Stopped;

    int status = 0;
    std::string error_body;
    EventStreamParser parser;
    std::vector<ServerSentEvent> events;
    const auto result = client.Get(
        path, headers,
        [&](const httplib::Response& response) {
          status = response.status;
          if (status == 200 && (!followed_ || !outage_notice_.empty())) {
            // On stderr, so --json output stays entries only; it also tells a script that
            // requests from now on will be shown.
            err_ << "prm-mock tail: following " << base_ << kStreamPath
                 << (followed_ ? " again" : " (Ctrl-C to stop)") << "\n"
                 << std::flush;
            followed_ = true;
            outage_notice_.clear();
          }
          return !stopping_;
        },
        [&](const char* data, std::size_t length) {
          if (stopping_) return false;
          if (status != 200) {
            if (error_body.size() < kErrorBodyLimit) error_body.append(data, length);
            return true;
          }
          events.clear();
          parser.feed(std::string_view(data, length), events);
          for (const ServerSentEvent& event : events) print(event);
          if (!parser.last_event_id().empty()) last_event_id_ = parser.last_event_id();
          out_.flush();
          return !stopping_.load();
        });
    if (stopping_) return StreamOutcome::Stopped;
    if (status == 0) {
      notice = "cannot reach " + base_ + " (" + httplib::to_string(result.error()) + ")";
      return StreamOutcome::Unreachable;
    }
    if (status == 200) {
      notice = "the stream from " + base_ + " ended";
      return StreamOutcome::Ended;
    }
    const std::string message = error_message_of(error_body);
    if (status == 401) {
      notice = std::string(token_.empty() ? "the mock needs its admin token"
                                          : "the mock refused the admin token") +
               " (401 from " + base_ + kStreamPath +
               "); pass --admin-token TOKEN or set PRM_MOCK_ADMIN_TOKEN";
      return StreamOutcome::Refused;
    }
    notice = base_ + kStreamPath + " answered " + std::to_string(status) + ": " + message;
    if (status >= 500 && status != 501) {
      return StreamOutcome::Retry;
    }
    return StreamOutcome::Refused;
  }

  void print(const ServerSentEvent& event) {
    if (event.type == "request") {
      rapidjson::Document entry;
      entry.Parse(event.data.c_str(), event.data.size());
      if (entry.HasParseError() || !entry.IsObject()) return;
      const rapidjson::Value& entry_object = entry;
      const auto status = entry_object.FindMember("status");
      const int code =
          status != entry_object.MemberEnd() && status->value.IsInt() ? status->value.GetInt() : 0;
      if (!filter_.admits(code)) return;
      if (json_) {
        out_ << event.data << '\n';
      } else {
        out_ << format_tail_entry(entry, style_);
      }
    } else if (event.type == "dropped") {
      rapidjson::Document dropped;
      dropped.Parse(event.data.c_str(), event.data.size());
      std::uint64_t count = 0;
      if (!dropped.HasParseError() && dropped.IsObject() && dropped.HasMember("dropped") &&
          dropped["dropped"].IsUint64()) {
        count = dropped["dropped"].GetUint64();
      }
      // --json output stays entries only, for jq; the notice goes beside it.
      (json_ ? err_ : out_) << format_tail_dropped(count, json_ ? TailStyle{} : style_);
    } else if (event.type == "cleared") {
      (json_ ? err_ : out_) << format_tail_cleared(json_ ? TailStyle{} : style_);
    }
  }

  const std::string base_;
  const std::string token_;
  const StatusFilter filter_;
  const bool json_;
  const TailStyle style_;
  std::ostream& out_;
  std::ostream& err_;

  std::string last_event_id_;
  std::optional<MockStart> mock_started_;
  std::string outage_notice_;  // the outage last told on `err_`, until the stream is back
  bool followed_ = false;      // the stream answered 200 once

  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::condition_variable wake_;
  int active_socket_ = -1;  // the socket the client has open, while it follows
};

}  // namespace

int run_tail_command(const Config& config, const HealthOptions& health, const TailOptions& options,
                     std::ostream& out, std::ostream& err) {
  const bool terminal = isatty(STDOUT_FILENO) == 1;
  const char* no_color = std::getenv("NO_COLOR");
  const TailStyle style{!options.json &&
                        tail_colour_on(options.colour, terminal, no_color && *no_color)};
  StreamFollower follower(health_probe_url(config, health), config.admin_token, options, style, out,
                          err);

  // SIGINT and SIGTERM are taken by sigtimedwait below, never by a handler: blocked here, before
  // the stream's thread starts, so that thread inherits the mask.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  sigset_t previous_mask;
  pthread_sigmask(SIG_BLOCK, &stop_signals, &previous_mask);

  std::promise<int> finished;
  std::future<int> exit_code = finished.get_future();
  std::thread stream_thread([&] { finished.set_value(follower.run()); });

  bool signalled = false;
  while (exit_code.wait_for(0s) != std::future_status::ready) {
    const timespec poll_interval{0, 100'000'000};
    const int signal_number = sigtimedwait(&stop_signals, nullptr, &poll_interval);
    if (signal_number == SIGINT || signal_number == SIGTERM) {
      signalled = true;
      follower.stop();
      break;
    }
  }
  if (exit_code.wait_for(kStopGrace) != std::future_status::ready) {
    // The stream's thread is stuck in a call stop() could not interrupt (a connect in progress):
    // what was printed is flushed and the process ends without waiting for it.
    out.flush();
    err.flush();
    std::_Exit(0);
  }
  stream_thread.join();
  pthread_sigmask(SIG_SETMASK, &previous_mask, nullptr);
  const int code = exit_code.get();
  return signalled ? 0 : code;
}

}  // namespace prm_mock
