#include "publish/request_body.hpp"

#include "text/ascii_text.hpp"
#include "text/whole_number.hpp"

namespace prm_mock {
namespace {

// A chunked body's size is unknown up front. Once one has passed this, it may well run to the
// limit: reserving the limit then replaces the remaining doublings, each of which holds the old and
// the new buffer at once (8 + 16 MiB just past 8 MiB, for a 10 MiB limit). Pages of the
// reservation that no byte reaches are never touched, so they cost no memory.
constexpr std::size_t kReserveLimitPast = 1024 * 1024;

std::optional<std::uint64_t> decimal_byte_count(const std::string& text) {
  return parse_whole_number<std::uint64_t>(text);
}

}  // namespace

RequestBody::RequestBody(const httplib::Request& request, const httplib::ContentReader* reader,
                         ExchangeContext& exchange)
    : reader_(reader), exchange_(exchange) {
  if (request.has_header("Transfer-Encoding")) {
    // httplib frames exactly one coding, "chunked"; it would read "gzip, chunked" as a body that
    // runs to the end of the connection.
    chunked_ = request.get_header_value_count("Transfer-Encoding") == 1 &&
               equals_ignoring_case(request.get_header_value("Transfer-Encoding"), "chunked");
    if (!chunked_) {
      framing_problem_ =
          "unsupported Transfer-Encoding: only a single 'chunked' coding is accepted";
      return;
    }
  }
  const auto [first, last] = request.headers.equal_range("Content-Length");
  for (auto header = first; header != last; ++header) {
    const auto length = decimal_byte_count(header->second);
    if (!length) {
      framing_problem_ = "invalid Content-Length header: expected a decimal byte count";
      return;
    }
    if (declared_length_ && *declared_length_ != *length) {
      framing_problem_ = "Content-Length headers disagree: the body's length is ambiguous";
      return;
    }
    declared_length_ = length;
  }
  if (chunked_ && declared_length_) {
    framing_problem_ =
        "Transfer-Encoding: chunked together with Content-Length: the body's length is ambiguous";
  }
}

RequestBody RequestBody::before_continue(const httplib::Request& request,
                                         ExchangeContext& exchange) {
  RequestBody body(request, nullptr, exchange);
  body.not_sent_yet_ = true;
  return body;
}

RequestBody::Outcome RequestBody::read(std::string& out, std::size_t limit) {
  out.clear();
  if (consumed_ || !announced()) return Outcome::Complete;
  // Judged from the head alone, so also for a body that is not sent yet.
  if (!framing_problem_.empty() || (reader_ == nullptr && !not_sent_yet_)) {
    consumed_ = true;
    exchange_.close_after_response = true;
    return Outcome::Broken;
  }
  if (declared_length_ && *declared_length_ > limit) {
    consumed_ = true;
    exchange_.close_after_response = true;
    return Outcome::TooLarge;
  }
  if (not_sent_yet_) throw BodyNotSentYet();
  consumed_ = true;
  if (declared_length_) out.reserve(static_cast<std::size_t>(*declared_length_));
  bool too_large = false;
  const bool complete = (*reader_)([&](const char* data, std::size_t length) {
    if (out.size() + length > limit) {
      too_large = true;
      return false;
    }
    if (out.size() + length > out.capacity() && out.size() + length > kReserveLimitPast) {
      out.reserve(limit);
    }
    out.append(data, length);
    return true;
  });
  if (complete) return Outcome::Complete;
  exchange_.close_after_response = true;
  if (too_large) return Outcome::TooLarge;
  return exchange_.read_timed_out ? Outcome::TimedOut : Outcome::Broken;
}

void RequestBody::discard(std::size_t limit) {
  if (consumed_ || !announced()) return;
  consumed_ = true;
  if (not_sent_yet_ || !framing_problem_.empty() || reader_ == nullptr || chunked_ ||
      *declared_length_ > limit) {
    exchange_.close_after_response = true;
    return;
  }
  const bool complete = (*reader_)([](const char*, std::size_t) { return true; });
  if (!complete) exchange_.close_after_response = true;
}

}  // namespace prm_mock
