#include "stubs/template_string.hpp"

#include "text/ascii_text.hpp"
#include "text/clock_text.hpp"
#include "text/json_pointer_text.hpp"
#include "text/utf8_text.hpp"
#include "text/uuid.hpp"

namespace prm_mock {
namespace {

constexpr std::string_view kKnownPlaceholders =
    "{{body:/json/pointer}}, {{header:Name}}, {{requestId}}, {{now}}, {{uuid}}";

const std::string* first_header(const httplib::Headers& headers, const std::string& name) {
  const auto found = headers.find(name);
  return found == headers.end() ? nullptr : &found->second;
}

void append_json_text(const rapidjson::Value& value, std::string& out) {
  if (value.IsString()) {
    out.append(value.GetString(), value.GetStringLength());
    return;
  }
  rapidjson::StringBuffer buffer;
  ResponseJsonWriter writer(buffer);
  value.Accept(writer);
  out.append(buffer.GetString(), buffer.GetSize());
}

}  // namespace

std::optional<TemplateString> TemplateString::compile(std::string_view text,
                                                      const rapidjson::Value& request_schema,
                                                      std::string& problem) {
  TemplateString compiled;
  std::size_t position = 0;
  while (position < text.size()) {
    const std::size_t open = text.find("{{", position);
    if (open == std::string_view::npos) {
      compiled.segments_.push_back({Kind::Literal, std::string(text.substr(position)), {}});
      break;
    }
    if (open > position) {
      compiled.segments_.push_back(
          {Kind::Literal, std::string(text.substr(position, open - position)), {}});
    }
    const std::size_t close = text.find("}}", open + 2);
    if (close == std::string_view::npos) {
      problem = "unclosed '{{' at character " + std::to_string(open) + " (templates are " +
                std::string(kKnownPlaceholders) + ")";
      return std::nullopt;
    }
    const std::string_view inner = trim_spaces_and_tabs(text.substr(open + 2, close - open - 2));
    const std::string written(text.substr(open, close + 2 - open));
    Segment segment;
    if (inner.starts_with("body:")) {
      const std::string_view pointer_text = trim_spaces_and_tabs(inner.substr(5));
      if (const std::string syntax = pointer_syntax_problem(pointer_text); !syntax.empty()) {
        problem = "template " + written + ": " + syntax;
        return std::nullopt;
      }
      segment.kind = Kind::BodyValue;
      segment.pointer = rapidjson::Pointer(pointer_text.data(), pointer_text.size());
      if (!segment.pointer.IsValid()) {
        problem = "template " + written + ": not a valid JSON Pointer";
        return std::nullopt;
      }
      if (!schema_reaches(request_schema, segment.pointer)) {
        problem = "template " + written + ": '" + std::string(pointer_text) +
                  "' is not a location in the contract's request schema";
        return std::nullopt;
      }
    } else if (inner.starts_with("header:")) {
      segment.kind = Kind::Header;
      segment.text = std::string(trim_spaces_and_tabs(inner.substr(7)));
      if (segment.text.empty()) {
        problem = "template " + written + ": names no header";
        return std::nullopt;
      }
    } else if (inner == "requestId") {
      segment.kind = Kind::RequestId;
    } else if (inner == "now") {
      segment.kind = Kind::Now;
    } else if (inner == "uuid") {
      segment.kind = Kind::Uuid;
    } else {
      problem = "unknown template " + written + " (known: " + std::string(kKnownPlaceholders) + ")";
      return std::nullopt;
    }
    compiled.segments_.push_back(std::move(segment));
    position = close + 2;
  }
  return compiled;
}

bool TemplateString::has_placeholders() const {
  for (const auto& segment : segments_) {
    if (segment.kind != Kind::Literal) return true;
  }
  return false;
}

void TemplateString::render_text(const RequestContext& request, std::string& out) const {
  for (const auto& segment : segments_) {
    switch (segment.kind) {
      case Kind::Literal:
        out += segment.text;
        break;
      case Kind::BodyValue:
        if (const auto* value = segment.pointer.Get(request.body)) append_json_text(*value, out);
        break;
      case Kind::Header:
        if (const auto* value = first_header(request.headers, segment.text)) out += *value;
        break;
      case Kind::RequestId:
        out += request.request_id;
        break;
      case Kind::Now:
        out += utc_timestamp_now();
        break;
      case Kind::Uuid:
        if (request.uuid_random != nullptr) {
          const std::uint64_t high = request.uuid_random->next();
          out += uuid_v4_from_bits(high, request.uuid_random->next());
        } else {
          out += new_uuid_v4();
        }
        break;
    }
  }
}

void TemplateString::render_json(const RequestContext& request, ResponseJsonWriter& writer) const {
  if (segments_.size() == 1) {
    const Segment& only = segments_.front();
    if (only.kind == Kind::BodyValue) {
      const auto* value = only.pointer.Get(request.body);
      value ? static_cast<void>(value->Accept(writer)) : static_cast<void>(writer.Null());
      return;
    }
    if (only.kind == Kind::Header && !first_header(request.headers, only.text)) {
      writer.Null();
      return;
    }
  }
  std::string text;
  render_text(request, text);
  // Body values were validated as UTF-8 when parsed, but header values are any bytes a client sent;
  // the JSON written here must stay valid UTF-8 for every client that parses it.
  const std::string valid = valid_utf8(text);
  writer.String(valid.data(), static_cast<rapidjson::SizeType>(valid.size()));
}

}  // namespace prm_mock
