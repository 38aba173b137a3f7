#include "request_log.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "clock_text.hpp"
#include "journal/utf8_text.hpp"

namespace prm_mock {
namespace {

// One write(2) per line, not fwrite: fwrite holds stderr's FILE lock for the whole system call,
// so a slow reader of the log (a container's log driver) would queue every worker behind one
// lock. A pipe takes a line of up to PIPE_BUF (4 KiB) whole, so lines are not interleaved.
void emit(const std::string& line) {
  std::size_t written = 0;
  while (written < line.size()) {
    const ssize_t count = ::write(STDERR_FILENO, line.data() + written, line.size() - written);
    if (count < 0 && errno == EINTR) continue;
    if (count <= 0) return;  // a log that cannot be written must not fail the request
    written += static_cast<std::size_t>(count);
  }
}

// Paths and messages carry client bytes; a JSON log line must stay UTF-8 whatever they are.
void write_string(rapidjson::Writer<rapidjson::StringBuffer>& writer, const std::string& text) {
  write_utf8_json_string(writer, text);
}

void write_string_or_null(rapidjson::Writer<rapidjson::StringBuffer>& writer, const std::string& text) {
  if (text.empty()) {
    writer.Null();
  } else {
    write_string(writer, text);
  }
}

// Paths come from the client: keep control characters out of the text log.
std::string printable(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) out += (c < 0x20 || c == 0x7f) ? '?' : static_cast<char>(c);
  return out;
}

}  // namespace

void log_exchange(const httplib::Request& request, const httplib::Response& response,
                  const ExchangeContext& exchange, LogFormat format) {
  const auto latency_us = std::chrono::duration_cast<std::chrono::microseconds>(
                              std::chrono::steady_clock::now() - exchange.started)
                              .count();
  if (format == LogFormat::Json) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    writer.StartObject();
    writer.Key("time");
    write_string(writer, utc_timestamp_now());
    writer.Key("requestId");
    write_string(writer, exchange.request_id);
    writer.Key("method");
    write_string(writer, request.method);
    writer.Key("path");
    write_string(writer, request.path);
    writer.Key("status");
    writer.Int(response.status);
    writer.Key("fixture");
    write_string_or_null(writer, exchange.fixture);
    writer.Key("latencyUs");
    writer.Int64(latency_us);
    writer.Key("code");
    write_string_or_null(writer, exchange.error_code);
    writer.Key("problem");
    write_string_or_null(writer, exchange.first_problem);
    writer.EndObject();
    emit(std::string(buffer.GetString(), buffer.GetSize()) + "\n");
    return;
  }
  char latency[32];
  std::snprintf(latency, sizeof latency, "%.3fms", static_cast<double>(latency_us) / 1000.0);
  std::string line = utc_timestamp_now() + " " + printable(request.method) + " " +
                     printable(request.path) + " " + std::to_string(response.status) +
                     " fixture=" + (exchange.fixture.empty() ? "-" : exchange.fixture) + " " +
                     latency + " id=" + exchange.request_id;
  if (!exchange.error_code.empty()) line += " " + exchange.error_code;
  if (!exchange.first_problem.empty()) line += " " + printable(exchange.first_problem);
  emit(line + "\n");
}

void log_event(LogFormat format, const std::string& message) {
  if (format == LogFormat::Json) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    writer.StartObject();
    writer.Key("time");
    write_string(writer, utc_timestamp_now());
    writer.Key("event");
    write_string(writer, message);
    writer.EndObject();
    emit(std::string(buffer.GetString(), buffer.GetSize()) + "\n");
  } else {
    emit(utc_timestamp_now() + " " + message + "\n");
  }
}

}  // namespace prm_mock
