#pragma once
// A strict reader of one HTTP/1.1 request head (RFC 9112 §2-§5, RFC 9110 §5.5), run on the bytes a
// connection has buffered before httplib parses them. httplib is lenient where a server must not
// be: it keeps NUL bytes and bare CRs in values, skips lines it cannot read, takes "GET /" as a
// request line, and answers what it refuses without a journal entry. Two parsers that disagree
// about a head are how requests get smuggled, and a mock exists to tell a client precisely what it
// got wrong; so httplib only ever sees heads this check accepted, and answers what it refuses.
//
// One linear pass that can stop and resume anywhere: feed the head as it arrives, in pieces of any
// size, and each byte is looked at once. Nothing is allocated.
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace prm_mock {

class RequestHeadCheck {
 public:
  enum class Verdict { Incomplete, Complete, Invalid };

  // One line (the request line or a header line, CRLF included) at most: httplib's own limits,
  // so that nothing this check accepts is refused by httplib afterwards.
  static constexpr std::size_t kMaxLineBytes = 8192;
  // The whole head at most, blank line included; twice the 64 KB of headers known clients send.
  static constexpr std::size_t kMaxHeadBytes = 128 * 1024;

  // Reads on through `more`, the bytes that follow those earlier calls saw. Stops at the end of
  // the head (what follows, a body or the next request, is not looked at) or at the first byte
  // that makes the head invalid; once stopped, more bytes change nothing.
  Verdict scan(std::string_view more);

  Verdict verdict() const { return verdict_; }
  // Bytes scanned: once Complete, the whole head with its blank line; once Invalid, up to and
  // including the offending byte.
  std::size_t scanned() const { return scanned_; }
  // Empty lines before the request line (RFC 9112 §2.2: a server ignores them, as some clients
  // send a CRLF after a body): the head proper starts after them.
  std::size_t leading_empty_line_bytes() const { return leading_bytes_; }
  // Where the line being read when the head turned invalid starts (from the first byte scanned).
  std::size_t failed_line_start() const { return line_start_; }
  // Whether a method followed by a space began the request line: then the client spoke HTTP,
  // however badly, and what it sent is a request. Bytes that fail before that were never one
  // (the rest of a body longer than its Content-Length, another protocol).
  bool began_request_line() const { return state_ > State::Method; }
  // Once Invalid: whether the bytes are the start of a TLS handshake (a record of type 22, version
  // 3.x: 0x16 0x03 0x00-0x04), a client speaking HTTPS to this plain-HTTP port. It cannot read an
  // HTTP answer; problem() says what to change.
  bool tls_handshake() const { return tls_handshake_; }
  // Once Invalid: whether the offending byte came in a header value, after a well-formed name
  // and colon (a NUL, a bare CR, a line too long): that header is then known up to the byte.
  bool failed_in_header_value() const {
    return verdict_ == Verdict::Invalid &&
           (state_ == State::Value || state_ == State::HeaderLineFeed);
  }

  // Where the header lines start (after the request line), from the first byte scanned; 0 until
  // the request line has ended.
  std::size_t header_lines_start() const { return header_lines_start_; }
  // Whether a header value has a '%' or is empty: httplib percent-decodes values ("a%00b" becomes
  // "a", NUL, "b") and drops empty ones, so its headers then differ from those sent.
  bool has_values_httplib_alters() const { return values_httplib_alters_; }

  // Once Invalid: the status to answer (400, 414, 431 or 501) and why, in the client's terms.
  int status() const { return status_; }
  const char* problem() const { return problem_; }

  // For the next head on the connection.
  void reset() { *this = RequestHeadCheck(); }

 private:
  enum class State : std::uint8_t {
    LeadingLineFeed,  // a CR before the request line: an empty line if LF follows
    Start,            // before the request line (or between empty lines)
    TlsMajorVersion,  // the first byte was 0x16, a TLS handshake record's type
    TlsMinorVersion,  // then 0x03
    Method,
    Target,
    Version,
    RequestLineFeed,  // the CR ending the request line was read
    LineStart,        // a header line or the blank line that ends the head
    Name,
    Value,
    HeaderLineFeed,  // the CR ending a header line was read
    FinalLineFeed,   // the CR of the blank line was read
    Done,
  };

  bool step(unsigned char byte);
  bool fail(int status, const char* problem);
  bool on_method_byte(unsigned char byte);
  bool on_target_byte(unsigned char byte);
  bool on_version_byte(unsigned char byte);
  bool on_line_start(unsigned char byte);
  bool on_name_byte(unsigned char byte);
  bool on_value_byte(unsigned char byte);
  bool known_method() const;

  State state_ = State::Start;
  Verdict verdict_ = Verdict::Incomplete;
  std::size_t scanned_ = 0;
  std::size_t leading_bytes_ = 0;
  std::size_t line_start_ = 0;
  std::size_t line_bytes_ = 0;    // of the current line, terminator included
  std::size_t token_bytes_ = 0;   // of the method, target or version being read
  std::size_t method_bytes_ = 0;  // of the method, once read
  std::size_t header_lines_start_ = 0;
  bool value_has_content_ = false;  // the value being read has more than whitespace
  bool http11_ = false;             // the request line said HTTP/1.1 (1.0 needs no Host)
  bool name_may_be_host_ = false;   // the header name read so far is a prefix of "Host"
  std::size_t name_bytes_ = 0;      // of the header name being read
  int host_headers_ = 0;
  bool values_httplib_alters_ = false;
  bool tls_handshake_ = false;
  char method_[8] = {};  // its first bytes, to compare with the methods httplib knows
  int status_ = 0;
  const char* problem_ = "";
};

}  // namespace prm_mock
