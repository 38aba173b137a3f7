#pragma once
// Reading a request body under the size limit, without ever buffering more than limit + one chunk,
// and keeping the connection consistent when a response is decided before the body is read.
#include <httplib.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

#include "http/exchange_context.hpp"

namespace prm_mock {

// Thrown by read() on a body that is not sent yet (see RequestBody::before_continue): the head
// alone does not decide the answer.
class BodyNotSentYet : public std::logic_error {
 public:
  BodyNotSentYet() : std::logic_error("the request body is needed before it was sent") {}
};

class RequestBody {
 public:
  // TimedOut: the client stopped sending (--io-timeout) or took too long (--request-timeout).
  enum class Outcome { Complete, TooLarge, Broken, TimedOut };

  // `reader` is null for methods whose bodies httplib does not hand to a content reader. A body
  // left unread or broken marks `exchange` to close the connection after the response.
  RequestBody(const httplib::Request& request, const httplib::ContentReader* reader,
              ExchangeContext& exchange);

  // The body of a request with Expect: 100-continue, whose client sends it only once told to go
  // on: what the head alone decides is answered without it. read() answers TooLarge or Broken
  // when the head says so (a declared length over the limit, broken framing) and otherwise throws
  // BodyNotSentYet, before a byte is read; discard() reads nothing and marks the connection to
  // close, since the client may still send the body.
  static RequestBody before_continue(const httplib::Request& request, ExchangeContext& exchange);

  // Whether the request announces a body (a Content-Length above 0, chunked transfer coding, or
  // framing so broken that the body's extent is unknown).
  bool announced() const {
    return chunked_ || !framing_problem_.empty() || declared_length_.value_or(0) > 0;
  }
  // Why the body's extent cannot be known (empty when it can): a Content-Length that is not one
  // decimal number, Content-Length headers that disagree, a Transfer-Encoding other than
  // "chunked", or chunked together with a Content-Length. Guessing there is how request smuggling
  // works, so such a body is never read and the connection closes (RFC 9112 §6.1, §6.3).
  const std::string& framing_problem() const { return framing_problem_; }

  // Reads the whole body into `out`, giving up as soon as it exceeds `limit` bytes. After TooLarge
  // or Broken the rest of the body is still on the connection, which must then close.
  Outcome read(std::string& out, std::size_t limit);

  // For responses decided without the body: reads and drops an announced body of at most `limit`
  // bytes so the connection can serve its next request, else marks the connection to close.
  void discard(std::size_t limit);

 private:
  const httplib::ContentReader* reader_;
  ExchangeContext& exchange_;
  bool chunked_ = false;
  std::string framing_problem_;
  bool consumed_ = false;
  bool not_sent_yet_ = false;
  std::optional<std::uint64_t> declared_length_;
};

}  // namespace prm_mock
