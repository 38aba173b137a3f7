#include "diagnostics/violations_header.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "diagnostics/violation_json.hpp"

namespace prm_mock {
namespace {

using AsciiWriter =
    rapidjson::Writer<rapidjson::StringBuffer, rapidjson::UTF8<>, rapidjson::ASCII<>>;

std::string one_violation(const Violation& violation) {
  rapidjson::StringBuffer buffer;
  AsciiWriter writer(buffer);
  write_violation(writer, violation, ViolationFields::WithoutLocation);
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
