#include "journal/request_log.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdio>
#include <utility>

#include "journal/log_writer.hpp"
#include "text/clock_text.hpp"
#include "text/utf8_text.hpp"

namespace prm_mock {
namespace {

// Formatted on the request's thread, written by the log's own (log_writer.hpp).
void emit(std::string line) { LogWriter::standard_error().write(std::move(line)); }

// Paths and messages carry client bytes; a JSON log line must stay UTF-8 whatever they are.
void write_string(rapidjson::Writer<rapidjson::StringBuffer>& writer, const std::string& text) {
  write_utf8_json_string(writer, text);
}

void write_string_or_null(rapidjson::Writer<rapidjson::StringBuffer>& writer,
                          const std::string& text) {
  if (text.empty()) {
    writer.Null();
  } else {
    write_string(writer, text);
  }
}

// One JSON log line: the time first, then what `write_fields` adds, then a newline.
template <typename WriteFields>
std::string json_log_line(WriteFields write_fields) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("time");
  write_string(writer, utc_timestamp_now());
  write_fields(writer);
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
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
    emit(json_log_line([&](rapidjson::Writer<rapidjson::StringBuffer>& writer) {
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
      writer.Key("delayMs");
      writer.Int64(exchange.delay.count());
      writer.Key("chaos");
      write_string_or_null(writer, exchange.chaos);
      writer.Key("code");
      write_string_or_null(writer, exchange.error_code);
      writer.Key("problem");
      write_string_or_null(writer, exchange.first_problem);
    }));
    return;
  }
  char latency[32];
  std::snprintf(latency, sizeof latency, "%.3fms", static_cast<double>(latency_us) / 1000.0);
  std::string line = utc_timestamp_now() + " " + printable(request.method) + " " +
                     printable(request.path) + " " + std::to_string(response.status) +
                     " fixture=" + (exchange.fixture.empty() ? "-" : exchange.fixture) + " " +
                     latency + " id=" + exchange.request_id;
  // The line is written when the response is decided; a fixture's delay is still to come.
  if (exchange.delay.count() > 0) line += " delay=" + std::to_string(exchange.delay.count()) + "ms";
  if (!exchange.chaos.empty()) line += " chaos=" + exchange.chaos;
  if (!exchange.error_code.empty()) line += " " + exchange.error_code;
  if (!exchange.first_problem.empty()) line += " " + printable(exchange.first_problem);
  line += '\n';
  emit(std::move(line));
}

void log_event(LogFormat format, const std::string& message) {
  if (format == LogFormat::Json) {
    emit(json_log_line([&](rapidjson::Writer<rapidjson::StringBuffer>& writer) {
      writer.Key("event");
      write_string(writer, message);
    }));
  } else {
    emit(utc_timestamp_now() + " " + message + "\n");
  }
}

void flush_log() { LogWriter::standard_error().flush(); }

}  // namespace prm_mock
