#include "record/shape_diff.hpp"

#include <algorithm>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "json_pointer_token.hpp"

namespace prm_mock {
namespace {

std::string type_name(const rapidjson::Value& value) {
  if (value.IsNull()) return "null";
  if (value.IsBool()) return "boolean";
  if (value.IsNumber()) return "number";
  if (value.IsString()) return "string";
  if (value.IsArray()) return "array";
  return "object";
}

std::string json_text(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return buffer.GetString();
}

struct Comparison {
  const std::vector<std::string>& compare_values;
  std::vector<std::string> differences;

  void compare(const rapidjson::Value& expected, const rapidjson::Value& found,
               const std::string& pointer) {
    const std::string shown = pointer.empty() ? "(body)" : pointer;
    if (type_name(expected) != type_name(found)) {
      differences.push_back(shown + " expected " + type_name(expected) + " found " +
                            type_name(found));
      return;
    }
    const bool values_matter = std::find(compare_values.begin(), compare_values.end(),
                                         pointer) != compare_values.end();
    if (values_matter && expected != found) {
      differences.push_back(shown + " expected " + json_text(expected) + " found " +
                            json_text(found));
      return;
    }
    if (expected.IsObject()) {
      for (const auto& member : expected.GetObject()) {
        const std::string child = child_pointer(pointer, member.name.GetString());
        const auto match = found.FindMember(member.name);
        if (match == found.MemberEnd()) {
          differences.push_back(child + " missing");
        } else {
          compare(member.value, match->value, child);
        }
      }
      for (const auto& member : found.GetObject()) {
        if (!expected.HasMember(member.name)) {
          differences.push_back(child_pointer(pointer, member.name.GetString()) + " unexpected");
        }
      }
    } else if (expected.IsArray()) {
      const rapidjson::SizeType common = std::min(expected.Size(), found.Size());
      for (rapidjson::SizeType index = 0; index < common; ++index) {
        compare(expected[index], found[index], pointer + "/" + std::to_string(index));
      }
    }
  }
};

}  // namespace

std::vector<std::string> shape_differences(const rapidjson::Value& expected,
                                           const rapidjson::Value& found,
                                           const std::vector<std::string>& compare_values) {
  Comparison comparison{compare_values, {}};
  comparison.compare(expected, found, "");
  return comparison.differences;
}

}  // namespace prm_mock
