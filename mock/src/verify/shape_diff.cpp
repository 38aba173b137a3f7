#include "verify/shape_diff.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>

#include "text/json_pointer_token.hpp"
#include "text/json_text.hpp"

namespace prm_mock {
namespace {

struct Comparison {
  const std::vector<std::string>& compare_values;
  std::vector<std::string> differences;

  void compare(const rapidjson::Value& expected, const rapidjson::Value& found,
               const std::string& pointer) {
    const std::string shown = pointer.empty() ? "(body)" : pointer;
    if (std::string(json_type_name(expected)) != json_type_name(found)) {
      differences.push_back(shown + " expected " + json_type_name(expected) + " found " +
                            json_type_name(found));
      return;
    }
    const bool values_matter =
        std::find(compare_values.begin(), compare_values.end(), pointer) != compare_values.end();
    if (values_matter && expected != found) {
      differences.push_back(shown + " expected " + compact_json(expected) + " found " +
                            compact_json(found));
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
