#include "request_body.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "http/exchange_context.hpp"

namespace prm_mock {

RequestBody::RequestBody(const httplib::Request& request, const httplib::ContentReader* reader)
    : reader_(reader) {
  std::string transfer_encoding = request.get_header_value("Transfer-Encoding");
  std::transform(transfer_encoding.begin(), transfer_encoding.end(), transfer_encoding.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  chunked_ = transfer_encoding.find("chunked") != std::string::npos;
  if (request.has_header("Content-Length")) {
    const std::string text = request.get_header_value("Content-Length");
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
      malformed_length_ = true;
    } else {
      declared_length_ = value;
    }
  }
}

RequestBody::Outcome RequestBody::read(std::string& out, std::size_t limit) {
  out.clear();
  if (consumed_ || !announced()) return Outcome::Complete;
  consumed_ = true;
  if (malformed_length_ || reader_ == nullptr) {
    current_exchange().close_after_response = true;
    return Outcome::Broken;
  }
  if (declared_length_ && *declared_length_ > limit) {
    current_exchange().close_after_response = true;
    return Outcome::TooLarge;
  }
  if (declared_length_) out.reserve(static_cast<std::size_t>(*declared_length_));
  bool too_large = false;
  const bool complete = (*reader_)([&](const char* data, std::size_t length) {
    if (out.size() + length > limit) {
      too_large = true;
      return false;
    }
    out.append(data, length);
    return true;
  });
  if (complete) return Outcome::Complete;
  current_exchange().close_after_response = true;
  if (too_large) return Outcome::TooLarge;
  return current_exchange().read_timed_out ? Outcome::TimedOut : Outcome::Broken;
}

void RequestBody::discard(std::size_t limit) {
  if (consumed_ || !announced()) return;
  consumed_ = true;
  if (malformed_length_ || reader_ == nullptr || chunked_ || *declared_length_ > limit) {
    current_exchange().close_after_response = true;
    return;
  }
  const bool complete = (*reader_)([](const char*, std::size_t) { return true; });
  if (!complete) current_exchange().close_after_response = true;
}

}  // namespace prm_mock
