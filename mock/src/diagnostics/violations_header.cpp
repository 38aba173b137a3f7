#include "diagnostics/violations_header.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace prm_mock {
namespace {

using AsciiWriter =
    rapidjson::Writer<rapidjson::StringBuffer, rapidjson::UTF8<>, rapidjson::ASCII<>>;

void write_ascii_string(AsciiWriter& writer, const std::string& text) {
  writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

std::string one_violation(const Violation& violation) {
  rapidjson::StringBuffer buffer;
  AsciiWriter writer(buffer);
  writer.StartObject();
  writer.Key("pointer");
  write_ascii_string(writer, violation.pointer);
  writer.Key("keyword");
  write_ascii_string(writer, violation.keyword);
  writer.Key("message");
  write_ascii_string(writer, violation.message);
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace

std::string violations_header_value(const Violations& violations, std::size_t max_bytes) {
  std::string value = "[";
  std::size_t written = 0;
  for (const auto& violation : violations) {
    std::string item = one_violation(violation);
    if (value.size() + item.size() + 32 > max_bytes) break;
    if (written > 0) value += ',';
    value += item;
    ++written;
  }
  if (written < violations.size()) {
    if (written > 0) value += ',';
    value += "{\"omitted\":" + std::to_string(violations.size() - written) + "}";
  }
  value += ']';
  return value;
}

}  // namespace prm_mock
