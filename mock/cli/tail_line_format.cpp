#include "cli/tail_line_format.hpp"

#include <cstdio>
#include <string_view>

namespace prm_mock {
namespace {

constexpr std::string_view kReset = "\x1b[0m";
constexpr std::string_view kDim = "\x1b[2m";
constexpr std::string_view kGreen = "\x1b[32m";
constexpr std::string_view kCyan = "\x1b[36m";
constexpr std::string_view kYellow = "\x1b[33m";
constexpr std::string_view kRed = "\x1b[31m";

constexpr std::string_view kIndent = "    ";
constexpr std::string_view kGap = "  ";

std::string_view status_colour(int status) {
  if (status >= 200 && status < 300) return kGreen;
  if (status >= 300 && status < 400) return kCyan;
  if (status >= 400 && status < 500) return kYellow;
  if (status >= 500 && status < 600) return kRed;
  return {};
}

// `text` wrapped in `colour` when colours are on.
std::string painted(std::string_view text, std::string_view colour, const TailStyle& style) {
  if (!style.colour || colour.empty()) return std::string(text);
  return std::string(colour) + std::string(text) + std::string(kReset);
}

// Control characters (C0, DEL, and C1 as UTF-8, which some terminals obey too) become '?'.
std::string terminal_safe(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t index = 0; index < text.size(); ++index) {
    const auto byte = static_cast<unsigned char>(text[index]);
    const bool c1 = byte == 0xC2 && index + 1 < text.size() &&
                    static_cast<unsigned char>(text[index + 1]) >= 0x80 &&
                    static_cast<unsigned char>(text[index + 1]) <= 0x9F;
    if (c1) {
      out += '?';
      ++index;
    } else if (byte < 0x20 || byte == 0x7F) {
      out += '?';
    } else {
      out += static_cast<char>(byte);
    }
  }
  return out;
}

std::string_view string_member(const rapidjson::Value& object, const char* name) {
  if (!object.IsObject()) return {};
  const auto member = object.FindMember(name);
  if (member == object.MemberEnd() || !member->value.IsString()) return {};
  return {member->value.GetString(), member->value.GetStringLength()};
}

const rapidjson::Value* array_member(const rapidjson::Value& object, const char* name) {
  if (!object.IsObject()) return nullptr;
  const auto member = object.FindMember(name);
  if (member == object.MemberEnd() || !member->value.IsArray()) return nullptr;
  return &member->value;
}

int status_of(const rapidjson::Value& entry) {
  const auto member = entry.FindMember("status");
  if (member == entry.MemberEnd() || !member->value.IsInt()) return 0;
  return member->value.GetInt();
}

// "14:03:07.412" from "2026-03-01T14:03:07.412Z".
std::string time_of_day(std::string_view received_at) {
  const std::size_t t = received_at.find('T');
  if (t == std::string_view::npos) return "--:--:--.---";
  std::string_view time = received_at.substr(t + 1);
  const std::size_t zone = time.find_first_of("Zz+-");
  return terminal_safe(time.substr(0, zone));
}

std::string latency_text(const rapidjson::Value& entry) {
  const auto member = entry.FindMember("latencyUs");
  if (member == entry.MemberEnd() || !member->value.IsNumber()) return "-";
  const double micros = member->value.GetDouble();
  char text[32];
  if (micros < 100'000) {
    std::snprintf(text, sizeof text, "%.1f ms", micros / 1000.0);
  } else if (micros < 10'000'000) {
    std::snprintf(text, sizeof text, "%.0f ms", micros / 1000.0);
  } else {
    std::snprintf(text, sizeof text, "%.1f s", micros / 1'000'000.0);
  }
  return text;
}

// "/artifact/hash: missing ...", "header X-API-Key: ...", or the message alone for the whole body.
std::string violation_summary(const rapidjson::Value& violation) {
  const std::string_view location = string_member(violation, "location");
  const std::string_view pointer = string_member(violation, "pointer");
  const std::string_view message = string_member(violation, "message");
  std::string where;
  if (location == "header") {
    where = "header " + std::string(pointer);
  } else {
    where = pointer;
  }
  return where.empty() ? std::string(message) : where + ": " + std::string(message);
}

// The response's error body ({"code","message",...}), when the entry carries the response.
std::string response_error_summary(const rapidjson::Value& entry) {
  const auto response = entry.FindMember("response");
  if (response == entry.MemberEnd() || !response->value.IsObject()) return {};
  const auto body = response->value.FindMember("body");
  if (body == response->value.MemberEnd()) return {};
  const std::string_view code = string_member(body->value, "code");
  const std::string_view message = string_member(body->value, "message");
  if (code.empty()) return std::string(message);
  return message.empty() ? std::string(code) : std::string(code) + ": " + std::string(message);
}

std::string reason_of(const rapidjson::Value& entry, int status) {
  const rapidjson::Value* violations = array_member(entry, "violations");
  if (violations && !violations->Empty()) {
    std::string reason = violation_summary((*violations)[0]);
    if (violations->Size() > 1) reason += " (+" + std::to_string(violations->Size() - 1) + " more)";
    return reason;
  }
  const auto chaos = entry.FindMember("chaos");
  if (chaos != entry.MemberEnd() && chaos->value.IsTrue()) {
    const std::string_view what = string_member(entry, "chaosWhat");
    return "chaos: " + std::string(what.empty() ? "injected" : what);
  }
  if (status >= 400) {
    if (std::string error = response_error_summary(entry); !error.empty()) return error;
  }
  const rapidjson::Value* warnings = array_member(entry, "warnings");
  if (warnings && !warnings->Empty()) return "warning " + violation_summary((*warnings)[0]);
  return {};
}

//     body /artifact/hash  required  missing required property 'hash'
std::string detail_line(const rapidjson::Value& violation, std::string_view label,
                        std::string_view colour, const TailStyle& style) {
  std::string where(string_member(violation, "location"));
  const std::string_view pointer = string_member(violation, "pointer");
  where += ' ';
  where += pointer.empty() ? "(whole body)" : pointer;
  std::string line(kIndent);
  if (!label.empty()) line += painted(label, colour, style) + " ";
  line += painted(terminal_safe(where), colour, style);
  line += kGap;
  line += painted(terminal_safe(string_member(violation, "keyword")), kDim, style);
  line += kGap;
  line += terminal_safe(string_member(violation, "message"));
  line += '\n';
  return line;
}

std::string notice_line(std::string_view text, const TailStyle& style) {
  return painted(std::string("-- ") + std::string(text) + " --", kDim, style) + "\n";
}

}  // namespace

bool tail_colour_on(ColourMode mode, bool stdout_is_terminal, bool no_color_set) {
  switch (mode) {
    case ColourMode::Always:
      return true;
    case ColourMode::Never:
      return false;
    case ColourMode::Auto:
      break;
  }
  return stdout_is_terminal && !no_color_set;
}

std::string format_tail_entry(const rapidjson::Value& entry, const TailStyle& style) {
  if (!entry.IsObject()) return notice_line("an entry that is not a JSON object", style);
  const int status = status_of(entry);
  const std::string_view colour = status_colour(status);
  const std::string_view fixture = string_member(entry, "fixture");
  const std::string_view query = string_member(entry, "query");

  std::string request =
      std::string(string_member(entry, "method")) + " " + std::string(string_member(entry, "path"));
  if (!query.empty()) request += "?" + std::string(query);

  std::string line = painted(time_of_day(string_member(entry, "receivedAt")), kDim, style);
  line += kGap;
  line += painted(status > 0 ? std::to_string(status) : std::string("---"), colour, style);
  line += kGap;
  line += terminal_safe(request);
  line += kGap;
  line += painted(fixture.empty() ? std::string("-") : terminal_safe(fixture), kDim, style);
  line += kGap;
  line += painted(latency_text(entry), kDim, style);
  if (const std::string reason = reason_of(entry, status); !reason.empty()) {
    line += kGap;
    line += terminal_safe(reason);
  }
  line += '\n';

  if (status >= 400) {
    if (const rapidjson::Value* violations = array_member(entry, "violations")) {
      for (const rapidjson::Value& violation : violations->GetArray()) {
        line += detail_line(violation, "", colour, style);
      }
    }
  }
  if (const rapidjson::Value* warnings = array_member(entry, "warnings")) {
    for (const rapidjson::Value& warning : warnings->GetArray()) {
      line += detail_line(warning, "warning", kDim, style);
    }
  }
  return line;
}

std::string format_tail_dropped(std::uint64_t count, const TailStyle& style) {
  return notice_line(std::to_string(count) + (count == 1 ? " request" : " requests") +
                         " skipped: the tail fell behind the mock",
                     style);
}

std::string format_tail_cleared(const TailStyle& style) {
  return notice_line("the journal was cleared", style);
}

}  // namespace prm_mock
