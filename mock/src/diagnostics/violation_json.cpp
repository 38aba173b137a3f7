#include "diagnostics/violation_json.hpp"

#include <string>

namespace prm_mock {
namespace {

void write_violation_member(rapidjson::Writer<rapidjson::StringBuffer>& writer, const char* name,
                            const std::string& value) {
  writer.Key(name);
  writer.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

}  // namespace

void write_violations(rapidjson::Writer<rapidjson::StringBuffer>& writer,
                      const Violations& violations) {
  writer.StartArray();
  for (const Violation& violation : violations) {
    writer.StartObject();
    write_violation_member(writer, "location", violation.location);
    write_violation_member(writer, "pointer", violation.pointer);
    write_violation_member(writer, "keyword", violation.keyword);
    write_violation_member(writer, "message", violation.message);
    writer.EndObject();
  }
  writer.EndArray();
}

}  // namespace prm_mock
