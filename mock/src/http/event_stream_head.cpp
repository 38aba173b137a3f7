#include "http/event_stream_head.hpp"

#include <array>
#include <string_view>

#include "http/event_stream_limits.hpp"
#include "http/http_date.hpp"
#include "text/ascii_text.hpp"

namespace prm_mock {
namespace {

// Headers the stream's head sets itself, or that would describe a framed or encoded body.
bool set_by_stream_head(std::string_view name) {
  static constexpr std::array<std::string_view, 9> kOwn = {
      "Content-Type",      "Content-Length", "Content-Encoding",
      "Transfer-Encoding", "Connection",     "Keep-Alive",
      "Cache-Control",     "Date",           "X-Accel-Buffering"};
  for (const std::string_view own : kOwn) {
    if (equals_ignoring_case(name, own)) return true;
  }
  return false;
}

}  // namespace

std::string event_stream_head(const httplib::Response& response) {
  std::string head =
      "HTTP/1.1 200 OK\r\n"
      "Date: " +
      std::string(http_date_now()) +
      "\r\n"
      "Content-Type: text/event-stream; charset=utf-8\r\n"
      "Cache-Control: no-store\r\n"
      "X-Accel-Buffering: no\r\n"
      "Connection: close\r\n";
  for (const auto& [name, value] : response.headers) {
    if (set_by_stream_head(name)) continue;
    head += name + ": " + value + "\r\n";
  }
  return head + "\r\n";
}

std::string event_stream_preamble() {
  return "retry: " + std::to_string(event_stream::kRetryMilliseconds) + "\n\n";
}

}  // namespace prm_mock
