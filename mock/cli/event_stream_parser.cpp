#include "cli/event_stream_parser.hpp"

#include <algorithm>
#include <cstdint>

#include "text/whole_number.hpp"

namespace prm_mock {
namespace {

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

}  // namespace

void EventStreamParser::feed(std::string_view bytes, std::vector<ServerSentEvent>& events) {
  if (at_stream_start_) {
    // The mark may itself arrive split: hold back a prefix of it until it is whole or broken.
    line_.append(bytes);
    const std::size_t compared = std::min(line_.size(), kByteOrderMark.size());
    if (line_.compare(0, compared, kByteOrderMark, 0, compared) == 0 &&
        line_.size() < kByteOrderMark.size()) {
      return;
    }
    at_stream_start_ = false;
    std::string pending = std::move(line_);
    line_.clear();
    if (pending.starts_with(kByteOrderMark)) pending.erase(0, kByteOrderMark.size());
    feed(pending, events);
    return;
  }
  std::size_t start = 0;
  if (skip_line_feed_ && !bytes.empty()) {
    skip_line_feed_ = false;
    if (bytes.front() == '\n') start = 1;
  }
  while (start < bytes.size()) {
    const std::size_t end = bytes.find_first_of("\r\n", start);
    if (end == std::string_view::npos) {
      line_.append(bytes.substr(start));
      return;
    }
    line_.append(bytes.substr(start, end - start));
    std::string line = std::move(line_);
    line_.clear();
    take_line(line, events);
    start = end + 1;
    if (bytes[end] == '\r') {
      if (start == bytes.size()) {
        skip_line_feed_ = true;
      } else if (bytes[start] == '\n') {
        ++start;
      }
    }
  }
}

void EventStreamParser::take_line(std::string_view line, std::vector<ServerSentEvent>& events) {
  if (line.empty()) {
    dispatch(events);
    return;
  }
  if (line.front() == ':') return;  // a comment, such as a keep-alive
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) {
    take_field(line, "");
    return;
  }
  std::string_view value = line.substr(colon + 1);
  if (value.starts_with(' ')) value.remove_prefix(1);
  take_field(line.substr(0, colon), value);
}

void EventStreamParser::take_field(std::string_view name, std::string_view value) {
  if (name == "data") {
    data_.append(value);
    data_ += '\n';
    has_data_ = true;
  } else if (name == "event") {
    type_ = value;
  } else if (name == "id") {
    // An id with a NUL is ignored, so that no later header can carry one.
    if (value.find('\0') == std::string_view::npos) last_event_id_ = value;
  } else if (name == "retry") {
    if (const auto milliseconds = parse_whole_number<std::uint64_t>(value))
      retry_ms_ = *milliseconds;
  }
  // Any other field is ignored, as the format requires.
}

void EventStreamParser::dispatch(std::vector<ServerSentEvent>& events) {
  if (has_data_) {
    ServerSentEvent event;
    event.type = type_.empty() ? "message" : type_;
    data_.pop_back();  // the '\n' after the last data line
    event.data = std::move(data_);
    event.last_event_id = last_event_id_;
    events.push_back(std::move(event));
  }
  data_.clear();
  has_data_ = false;
  type_.clear();
}

}  // namespace prm_mock
