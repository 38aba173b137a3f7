#include "http/request_head_check.hpp"

#include <array>
#include <cstring>

namespace prm_mock {
namespace {

// RFC 9110 §5.6.2: token characters, the only ones a method or a header name may have.
constexpr std::array<bool, 256> kTokenCharacters = [] {
  std::array<bool, 256> table{};
  for (int c = '0'; c <= '9'; ++c) table[static_cast<std::size_t>(c)] = true;
  for (int c = 'a'; c <= 'z'; ++c) table[static_cast<std::size_t>(c)] = true;
  for (int c = 'A'; c <= 'Z'; ++c) table[static_cast<std::size_t>(c)] = true;
  for (const char c : std::string_view("!#$%&'*+-.^_`|~")) {
    table[static_cast<unsigned char>(c)] = true;
  }
  return table;
}();

bool is_token_character(unsigned char byte) { return kTokenCharacters[byte]; }

// Control characters other than HTAB (and DEL): never in a field value or a request target.
bool is_control(unsigned char byte) { return (byte < 0x20 && byte != '\t') || byte == 0x7f; }

// httplib refuses a request line with any other method (and would then read the header lines
// as further requests); PRI is on its list for the HTTP/2 preface.
constexpr std::string_view kKnownMethods[] = {"GET",     "HEAD",    "POST",  "PUT",   "DELETE",
                                              "CONNECT", "OPTIONS", "TRACE", "PATCH", "PRI"};

constexpr std::string_view kVersionPrefix = "HTTP/1.";

constexpr const char* kNotARequestLine =
    "these bytes are not the start of an HTTP request: a request line begins with a method such "
    "as POST (were they left over from a body longer than its Content-Length?)";
constexpr const char* kTlsOnPlainPort =
    "TLS handshake on a plain-HTTP port: use http://, or start prm-mock with --tls-cert/--tls-key";
// A TLS record of type handshake starts every TLS session: 0x16, then the version's major byte.
constexpr unsigned char kTlsHandshakeRecord = 0x16;
constexpr unsigned char kTlsMajorVersion = 0x03;
constexpr unsigned char kHighestTlsMinorVersion = 0x04;  // SSL 3.0 (0x00) to TLS 1.3 (0x04)
constexpr const char* kBareLineFeed =
    "a line ends with a bare LF: HTTP lines end with CRLF (RFC 9112 §2.2)";

}  // namespace

RequestHeadCheck::Verdict RequestHeadCheck::scan(std::string_view more) {
  for (const char byte : more) {
    if (verdict_ != Verdict::Incomplete) break;
    ++scanned_;
    step(static_cast<unsigned char>(byte));
    if (verdict_ == Verdict::Incomplete && scanned_ >= kMaxHeadBytes) {
      fail(431, "the request head (request line and headers) is larger than 128 KiB");
    }
  }
  return verdict_;
}

bool RequestHeadCheck::fail(int status, const char* problem) {
  verdict_ = Verdict::Invalid;
  status_ = status;
  problem_ = problem;
  return false;
}

bool RequestHeadCheck::step(unsigned char byte) {
  switch (state_) {
    case State::Start:
      if (byte == '\r') {
        state_ = State::LeadingLineFeed;
        return true;
      }
      if (byte == kTlsHandshakeRecord && scanned_ == 1) {
        state_ = State::TlsMajorVersion;
        return true;
      }
      line_start_ = scanned_ - 1;
      state_ = State::Method;
      break;
    case State::TlsMajorVersion:
      if (byte != kTlsMajorVersion) return fail(400, kNotARequestLine);
      state_ = State::TlsMinorVersion;
      return true;
    case State::TlsMinorVersion:
      if (byte > kHighestTlsMinorVersion) return fail(400, kNotARequestLine);
      tls_handshake_ = true;
      return fail(400, kTlsOnPlainPort);
    case State::LeadingLineFeed:
      if (byte != '\n') return fail(400, kNotARequestLine);
      leading_bytes_ += 2;
      state_ = State::Start;
      return true;
    case State::LineStart:
      line_start_ = scanned_ - 1;
      line_bytes_ = 0;
      break;
    default:
      break;
  }
  if (++line_bytes_ > kMaxLineBytes) {
    if (state_ == State::Method) return fail(400, "the request line is longer than 8 KB");
    if (state_ <= State::RequestLineFeed) {
      return fail(414, "the request line (method, target and version) is longer than 8 KB");
    }
    return fail(400, "a header line is longer than 8 KB");
  }
  switch (state_) {
    case State::Method:
      return on_method_byte(byte);
    case State::Target:
      return on_target_byte(byte);
    case State::Version:
      return on_version_byte(byte);
    case State::RequestLineFeed:
      if (byte != '\n') return fail(400, "a CR not followed by LF in the request line");
      if (!known_method()) {
        return fail(501,
                    "the method is not one this mock knows: GET, HEAD, POST, PUT, DELETE, "
                    "CONNECT, OPTIONS, TRACE or PATCH (methods are case-sensitive)");
      }
      state_ = State::LineStart;
      header_lines_start_ = scanned_;
      return true;
    case State::LineStart:
      return on_line_start(byte);
    case State::Name:
      return on_name_byte(byte);
    case State::Value:
      return on_value_byte(byte);
    case State::HeaderLineFeed:
      if (byte != '\n') {
        return fail(400,
                    "a bare CR in a header value: a CR must be followed by LF (RFC 9110 §5.5)");
      }
      state_ = State::LineStart;
      return true;
    case State::FinalLineFeed:
      if (byte != '\n') return fail(400, "a bare CR where a header line should begin");
      // RFC 9112 §3.2: a server MUST answer 400 to an HTTP/1.1 request without a Host header or
      // with more than one; an HTTP/1.0 request may leave it out.
      if (http11_ && host_headers_ == 0) {
        return fail(400, "an HTTP/1.1 request without a Host header (RFC 9112 §3.2)");
      }
      if (host_headers_ > 1) return fail(400, "more than one Host header (RFC 9112 §3.2)");
      state_ = State::Done;
      verdict_ = Verdict::Complete;
      return false;
    default:
      return false;
  }
}

bool RequestHeadCheck::on_method_byte(unsigned char byte) {
  if (is_token_character(byte)) {
    if (token_bytes_ < sizeof method_) method_[token_bytes_] = static_cast<char>(byte);
    ++token_bytes_;
    return true;
  }
  if (byte != ' ' || token_bytes_ == 0) return fail(400, kNotARequestLine);
  method_bytes_ = token_bytes_;
  token_bytes_ = 0;
  state_ = State::Target;
  return true;
}

bool RequestHeadCheck::on_target_byte(unsigned char byte) {
  if (byte == ' ') {
    if (token_bytes_ == 0) {
      return fail(400,
                  "two spaces after the method: a request line is METHOD, one space, the "
                  "target, one space, HTTP/1.1");
    }
    state_ = State::Version;
    token_bytes_ = 0;
    return true;
  }
  if (byte == '\r' || byte == '\n') {
    return fail(400,
                "the request line has no HTTP version (an HTTP/0.9 request such as \"GET /\" "
                "is not supported): end it with a space and HTTP/1.1");
  }
  if (is_control(byte) || byte == '\t') {
    return fail(400, "a control character in the request target: percent-encode it");
  }
  ++token_bytes_;
  return true;
}

bool RequestHeadCheck::on_version_byte(unsigned char byte) {
  const std::size_t at = token_bytes_++;
  if (at < kVersionPrefix.size() && byte == static_cast<unsigned char>(kVersionPrefix[at])) {
    return true;
  }
  if (at == kVersionPrefix.size() && (byte == '0' || byte == '1')) {
    http11_ = byte == '1';
    return true;
  }
  if (at == kVersionPrefix.size() + 1) {
    if (byte == '\r') {
      state_ = State::RequestLineFeed;
      return true;
    }
    if (byte == '\n') return fail(400, kBareLineFeed);
  }
  return fail(400,
              "the request line's HTTP version is not HTTP/1.1 or HTTP/1.0: this mock speaks "
              "HTTP/1.1 (an HTTP/2 client must fall back to it)");
}

bool RequestHeadCheck::on_line_start(unsigned char byte) {
  if (byte == '\r') {
    state_ = State::FinalLineFeed;
    return true;
  }
  if (byte == '\n') return fail(400, kBareLineFeed);
  if (byte == ' ' || byte == '\t') {
    return fail(400,
                "a header line starts with whitespace: obsolete line folding is not accepted "
                "(RFC 9112 §5.2); send each value on one line");
  }
  if (byte == ':') return fail(400, "a header line with an empty name");
  state_ = State::Name;
  name_bytes_ = 0;
  name_may_be_host_ = true;
  return on_name_byte(byte);
}

bool RequestHeadCheck::on_name_byte(unsigned char byte) {
  if (is_token_character(byte)) {
    constexpr std::string_view kHost = "host";
    name_may_be_host_ = name_may_be_host_ && name_bytes_ < kHost.size() &&
                        (byte | 0x20) == static_cast<unsigned char>(kHost[name_bytes_]);
    ++name_bytes_;
    return true;
  }
  if (byte == ':') {
    if (name_may_be_host_ && name_bytes_ == 4) ++host_headers_;
    state_ = State::Value;
    value_has_content_ = false;
    return true;
  }
  if (byte == ' ' || byte == '\t') {
    return fail(400, "whitespace between a header name and its colon (RFC 9112 §5.1)");
  }
  if (byte == '\r' || byte == '\n') return fail(400, "a header line without a colon");
  return fail(400,
              "a header name has a character names cannot have (they are tokens, RFC 9110 "
              "§5.1)");
}

bool RequestHeadCheck::on_value_byte(unsigned char byte) {
  if (byte == '\r') {
    if (!value_has_content_) values_httplib_alters_ = true;
    state_ = State::HeaderLineFeed;
    return true;
  }
  if (byte == '\n') return fail(400, kBareLineFeed);
  if (byte == '\0') return fail(400, "a NUL byte in a header value (RFC 9110 §5.5)");
  if (is_control(byte)) return fail(400, "a control character in a header value");
  if (byte == '%') values_httplib_alters_ = true;
  if (byte != ' ' && byte != '\t') value_has_content_ = true;
  return true;
}

bool RequestHeadCheck::known_method() const {
  if (method_bytes_ > sizeof method_) return false;
  for (const std::string_view known : kKnownMethods) {
    if (known.size() == method_bytes_ && std::memcmp(known.data(), method_, known.size()) == 0) {
      return true;
    }
  }
  return false;
}

}  // namespace prm_mock
