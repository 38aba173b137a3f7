#include "publish/json_body.hpp"

#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <cmath>
#include <cstdio>
#include <string>

#include "publish/json_body_duplicates.hpp"
#include "publish/json_body_literal.hpp"
#include "text/ascii_text.hpp"
#include "text/utf8_text.hpp"

namespace prm_mock {
namespace {

// Iterative: the reader keeps its own heap stack instead of recursing, so nesting cannot overflow
// the C++ stack. Validate: invalid UTF-8 is a syntax error, not a string the validator chokes on.
constexpr unsigned kParseFlags =
    rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag;

// True when a decoded string holds a UTF-16 surrogate (U+D800..U+DFFF, encoded 0xED 0xA0..0xBF).
// RapidJSON rejects a lone *high* surrogate escape but encodes a lone *low* one ("\uDC00") as such
// bytes, which are not UTF-8; this catches them before they reach a document.
bool has_encoded_surrogate(const char* text, rapidjson::SizeType length) {
  for (rapidjson::SizeType i = 0; i + 1 < length; ++i) {
    if (static_cast<unsigned char>(text[i]) == 0xED &&
        (static_cast<unsigned char>(text[i + 1]) & 0xE0) == 0xA0) {
      return true;
    }
  }
  return false;
}

// Forwards SAX events to the document while counting depth, and stops the parse (without recursing)
// once a container opens past the limit or a string holds a lone surrogate.
class BoundedHandler {
 public:
  enum class Stop { kNone, kTooDeep, kLoneSurrogate, kNumberTooBig };

  BoundedHandler(rapidjson::Document& document, const rapidjson::MemoryStream& stream,
                 std::size_t max_depth)
      : document_(document), stream_(stream), max_depth_(max_depth) {}

  bool Null() { return document_.Null(); }
  bool Bool(bool value) { return document_.Bool(value); }
  bool Int(int value) { return document_.Int(value); }
  bool Uint(unsigned value) { return document_.Uint(value); }
  bool Int64(int64_t value) { return document_.Int64(value); }
  bool Uint64(uint64_t value) { return document_.Uint64(value); }
  // RapidJSON 1.1 turns some numbers past the largest double ("5551e308") into infinity instead
  // of its "number too big" error (json_numbers.hpp); such a body could not be echoed or
  // journaled as JSON.
  bool Double(double value) {
    if (std::isfinite(value)) return document_.Double(value);
    stop_ = Stop::kNumberTooBig;
    return false;
  }
  bool RawNumber(const char* text, rapidjson::SizeType length, bool copy) {
    return document_.RawNumber(text, length, copy);
  }
  bool String(const char* text, rapidjson::SizeType length, bool copy) {
    return check_string(text, length) && document_.String(text, length, copy);
  }
  bool Key(const char* text, rapidjson::SizeType length, bool copy) {
    return check_string(text, length) && document_.Key(text, length, copy);
  }
  bool StartObject() { return open() && document_.StartObject(); }
  bool EndObject(rapidjson::SizeType members) {
    --depth_;
    return document_.EndObject(members);
  }
  bool StartArray() { return open() && document_.StartArray(); }
  bool EndArray(rapidjson::SizeType elements) {
    --depth_;
    return document_.EndArray(elements);
  }

  Stop stop() const { return stop_; }
  // Offset just past the string whose content was rejected.
  std::size_t string_end() const { return string_end_; }

 private:
  bool open() {
    if (++depth_ <= max_depth_) return true;
    stop_ = Stop::kTooDeep;
    return false;
  }
  bool check_string(const char* text, rapidjson::SizeType length) {
    if (!has_encoded_surrogate(text, length)) return true;
    stop_ = Stop::kLoneSurrogate;
    string_end_ = stream_.Tell();
    return false;
  }

  rapidjson::Document& document_;
  const rapidjson::MemoryStream& stream_;
  std::size_t max_depth_;
  std::size_t depth_ = 0;
  Stop stop_ = Stop::kNone;
  std::size_t string_end_ = 0;
};

// The code unit of a "\uXXXX" escape starting at `at`, or -1.
long unicode_escape(std::string_view text, std::size_t at) {
  if (at + 6 > text.size() || text[at] != '\\' || text[at + 1] != 'u') return -1;
  long value = 0;
  for (std::size_t i = at + 2; i < at + 6; ++i) {
    const int digit = hex_digit_value(text[i]);
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

// Byte offset of the first "\uDC00".."\uDFFF" escape in [from, to) that is not the second half of
// a pair, or npos.
std::size_t first_lone_low_surrogate(std::string_view text, std::size_t from, std::size_t to) {
  for (std::size_t i = from; i + 1 < to; ++i) {
    if (text[i] != '\\') continue;
    const long unit = unicode_escape(text, i);
    const long next = unicode_escape(text, i + 6);
    if (unit >= 0xD800 && unit <= 0xDBFF && next >= 0xDC00 && next <= 0xDFFF) {
      i += 11;  // a valid pair; skip both escapes
    } else if (unit >= 0xDC00 && unit <= 0xDFFF) {
      return i;
    } else {
      ++i;  // skip the escaped character so "\\" is not mistaken for an escape start
    }
  }
  return std::string_view::npos;
}

// Byte offset of the lone low-surrogate escape in the (already well-formed) string literal that
// ends just before `end` (the offset after its closing quote).
std::size_t lone_surrogate_offset(std::string_view text, std::size_t end) {
  const std::size_t open = opening_quote_before(text, end - 1);
  const std::size_t lone = first_lone_low_surrogate(text, open + 1, end - 1);
  return lone == std::string_view::npos ? open : lone;
}

// RapidJSON stops at an unpaired *high* surrogate but decodes a lone *low* one without complaint,
// so in "\uDE00\uD83D" it blames the second escape; the first problem in the string is the earlier
// one.
std::size_t earliest_surrogate_problem(std::string_view text, std::size_t reported) {
  const std::size_t open = opening_quote_before(text, reported);
  const std::size_t lone = first_lone_low_surrogate(text, open + 1, reported);
  return lone == std::string_view::npos ? reported : lone;
}

// RapidJSON's sentences are capitalised and end with a period; ours continue a prefix.
std::string syntax_message(std::size_t offset, std::string detail) {
  if (!detail.empty() && detail.back() == '.') detail.pop_back();
  if (!detail.empty() && detail[0] >= 'A' && detail[0] <= 'Z')
    detail[0] = char(detail[0] - 'A' + 'a');
  return "invalid JSON at byte " + std::to_string(offset) + ": " + detail;
}

// A member name as a message quotes it: whole when short, else its first 64 bytes (never cutting a
// character) and an ellipsis.
std::string shown_name(const std::string& name) {
  constexpr std::size_t kShown = 64;
  if (name.size() <= kShown) return name;
  return std::string(utf8_prefix(name, kShown)) + "\u2026";
}

bool is_json_whitespace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

JsonParseError malformed_json_at(std::size_t at, std::string detail) {
  return JsonParseError{"MALFORMED_JSON", syntax_message(at, std::move(detail)), at};
}

// After a parse that succeeded: a repeated member name, or a NUL byte where the parse was cut.
std::optional<JsonParseError> json_problem_after_parse(std::string_view parsed,
                                                       const rapidjson::Document& document,
                                                       std::size_t nul) {
  if (const auto repeated = first_repeated_key(parsed, document)) {
    return malformed_json_at(repeated->offset,
                             "duplicate key \"" + shown_name(repeated->name) +
                                 "\" in an object (JSON parsers disagree on which value counts)");
  }
  if (nul == std::string_view::npos) return std::nullopt;
  return malformed_json_at(nul, "unexpected NUL byte");
}

// Why the handler stopped the parse at `offset`, if it did.
std::optional<JsonParseError> json_handler_stop_error(const BoundedHandler& handler,
                                                      std::string_view parsed, std::size_t offset,
                                                      std::size_t max_depth) {
  switch (handler.stop()) {
    case BoundedHandler::Stop::kNone:
      return std::nullopt;
    case BoundedHandler::Stop::kTooDeep:
      return JsonParseError{"NESTING_TOO_DEEP",
                            "JSON nesting deeper than the limit of " + std::to_string(max_depth) +
                                " levels at byte " + std::to_string(offset),
                            offset};
    case BoundedHandler::Stop::kNumberTooBig:
      return malformed_json_at(offset,
                               rapidjson::GetParseError_En(rapidjson::kParseErrorNumberTooBig));
    case BoundedHandler::Stop::kLoneSurrogate:
      return malformed_json_at(
          lone_surrogate_offset(parsed, handler.string_end()),
          rapidjson::GetParseError_En(rapidjson::kParseErrorStringUnicodeSurrogateInvalid));
  }
  return std::nullopt;
}

// RapidJSON's own error, at the byte that causes it rather than where RapidJSON noticed.
JsonParseError json_reader_error(rapidjson::ParseErrorCode code, std::string_view parsed,
                                 std::size_t offset) {
  // Trailing whitespace never matters, but a trailing-content error should point at the content.
  std::size_t at = offset;
  if (code == rapidjson::kParseErrorDocumentRootNotSingular) {
    while (at < parsed.size() && is_json_whitespace(parsed[at])) ++at;
  }
  if (code == rapidjson::kParseErrorStringUnicodeSurrogateInvalid) {
    at = earliest_surrogate_problem(parsed, offset);
  }
  // RapidJSON calls a raw control character in a string an "invalid escape character", which sends
  // the reader looking for a backslash that is not there.
  if (code == rapidjson::kParseErrorStringEscapeInvalid && at < parsed.size() &&
      static_cast<unsigned char>(parsed[at]) < 0x20) {
    const unsigned control = static_cast<unsigned char>(parsed[at]);
    char escaped[8];
    std::snprintf(escaped, sizeof escaped, "\\u%04x", control);
    return malformed_json_at(
        at, std::string("unescaped control character in string (write it as ") + escaped + ")");
  }
  return malformed_json_at(at, rapidjson::GetParseError_En(code));
}

}  // namespace

std::optional<JsonParseError> parse_json_body(std::string_view text, rapidjson::Document& out,
                                              std::size_t max_depth) {
  out.SetNull();
  if (text.find_first_not_of(" \t\n\r") == std::string_view::npos) {
    return JsonParseError{"MALFORMED_JSON", "empty body: expected a JSON object", 0};
  }
  // RapidJSON streams treat a NUL byte as the end of input, which would accept "{}\0junk". JSON
  // never allows a raw NUL, so parse only what precedes the first one and report the NUL if that
  // parses.
  const std::size_t nul = text.find('\0');
  const std::string_view parsed = text.substr(0, nul);

  rapidjson::MemoryStream stream(parsed.data(), parsed.size());
  BoundedHandler handler(out, stream, max_depth);
  rapidjson::Reader reader;
  auto generator = [&](rapidjson::Document& document) {
    (void)document;  // the handler already forwards to it
    return !reader.Parse<kParseFlags>(stream, handler).IsError();
  };
  out.Populate(generator);

  if (!reader.HasParseError()) {
    auto problem = json_problem_after_parse(parsed, out, nul);
    if (problem) out.SetNull();
    return problem;
  }
  out.SetNull();
  const std::size_t offset = reader.GetErrorOffset();
  if (auto stopped = json_handler_stop_error(handler, parsed, offset, max_depth)) return stopped;
  if (nul != std::string_view::npos && offset >= nul) {
    // The input was cut at the NUL; whatever RapidJSON says about the end is really about the NUL.
    return malformed_json_at(nul, "unexpected NUL byte");
  }
  return json_reader_error(reader.GetParseErrorCode(), parsed, offset);
}

}  // namespace prm_mock
