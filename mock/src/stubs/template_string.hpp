#pragma once
// A fixture string with placeholders, parsed once at load: {{body:/ptr}}, {{header:Name}},
// {{requestId}}, {{now}} (RFC 3339 UTC), {{uuid}} (v4). Rendering only walks the parsed segments.
#include <rapidjson/document.h>
#include <rapidjson/pointer.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stubs/request_context.hpp"

namespace prm_mock {

using ResponseJsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

class TemplateString {
 public:
  // Parses `text`. Returns nothing and sets `problem` when a placeholder is unknown, unclosed, or
  // names a body pointer that `request_schema` does not describe.
  static std::optional<TemplateString> compile(std::string_view text,
                                               const rapidjson::Value& request_schema,
                                               std::string& problem);

  bool has_placeholders() const;

  // Appends the text; a value missing from the request renders as "" (never an exception).
  void render_text(const RequestContext& request, std::string& out) const;

  // Writes a JSON value. A string that is exactly one placeholder keeps the JSON type of what it
  // names ({{body:/n}} of a number writes a number) and writes null when the value is missing;
  // anything else writes a string.
  void render_json(const RequestContext& request, ResponseJsonWriter& writer) const;

 private:
  enum class Kind { Literal, BodyValue, Header, RequestId, Now, Uuid };
  struct Segment {
    Kind kind = Kind::Literal;
    std::string text;            // literal text, or the header name
    rapidjson::Pointer pointer;  // for BodyValue
  };
  std::vector<Segment> segments_;
};

}  // namespace prm_mock
