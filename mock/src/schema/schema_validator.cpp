#include "schema/schema_validator.hpp"

#include <algorithm>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "schema/json_number_math.hpp"
#include "schema/repeated_items.hpp"
#include "schema/utf8_code_points.hpp"
#include "text/json_pointer_token.hpp"
#include "text/json_text.hpp"

namespace prm_mock {
namespace {

// One step from the body's root to the value being checked: a member name (pointing into the
// body, which outlives the walk) or an array index.
struct PathStep {
  std::string_view name;
  std::size_t index = 0;
  bool is_index = false;
};

std::string_view string_of(const rapidjson::Value& string) {
  return {string.GetString(), string.GetStringLength()};
}

bool has_type(std::uint8_t types, const rapidjson::Value& value) {
  switch (value.GetType()) {
    case rapidjson::kNullType:
      return (types & kTypeNull) != 0;
    case rapidjson::kFalseType:
    case rapidjson::kTrueType:
      return (types & kTypeBoolean) != 0;
    case rapidjson::kObjectType:
      return (types & kTypeObject) != 0;
    case rapidjson::kArrayType:
      return (types & kTypeArray) != 0;
    case rapidjson::kStringType:
      return (types & kTypeString) != 0;
    case rapidjson::kNumberType:
      return (types & kTypeNumber) != 0 ||
             ((types & kTypeInteger) != 0 && has_integral_value(value));
  }
  return false;
}

bool has_member(const rapidjson::Value& object, std::string_view name) {
  return object.FindMember(rapidjson::Value(rapidjson::StringRef(
             name.data(), static_cast<rapidjson::SizeType>(name.size())))) != object.MemberEnd();
}

const SchemaNode* property_schema(const SchemaNode& node, std::string_view name) {
  const auto found = std::lower_bound(
      node.properties.begin(), node.properties.end(), name,
      [](const NamedSchema& property, std::string_view wanted) { return property.name < wanted; });
  return found != node.properties.end() && found->name == name ? found->schema.get() : nullptr;
}

// Compact JSON of a value for messages; long values are cut so one bad field cannot flood a reply.
std::string preview(const rapidjson::Value& value) {
  constexpr std::size_t kMaxPreview = 80;
  std::string text = compact_json(value);
  if (text.size() > kMaxPreview) {
    std::size_t cut = kMaxPreview;
    // Do not split a UTF-8 sequence.
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    text = text.substr(0, cut) + "...";
  }
  return text;
}

std::string single_quoted(std::string_view name) { return "'" + std::string(name) + "'"; }

class Walk {
 public:
  // Without `out`, only the verdict matters: the walk stops at the first failure.
  Walk(std::vector<PathStep>& path, Violations* out) : path_(path), out_(out) {}

  bool check(const SchemaNode& node, const rapidjson::Value& value) {
    if (node.accepts_anything) return true;
    if (node.accepts_nothing) {
      report("false", "no value is allowed here");
      return false;
    }
    bool valid = true;
    // Records a result; false when the walk may stop (a failure, and no one to tell).
    auto go_on = [&](bool passed) {
      valid = valid && passed;
      return valid || collecting();
    };
    if (node.types != 0 && !has_type(node.types, value)) {
      report("type", "expected " + node.type_names + ", found " + json_type_name(value));
      if (!go_on(false)) return false;
    }
    if (!go_on(check_value(node, value))) return false;
    if (value.IsString() && !go_on(check_string(node, value))) return false;
    if (value.IsNumber() && !go_on(check_number(node, value))) return false;
    if (value.IsArray() && !go_on(check_array(node, value))) return false;
    if (value.IsObject() && !go_on(check_object(node, value))) return false;
    return go_on(check_applicators(node, value)) && valid;
  }

 private:
  bool collecting() const { return out_ != nullptr; }

  bool matches(const SchemaNode& node, const rapidjson::Value& value) {
    Walk quiet(path_, nullptr);
    return quiet.check(node, value);
  }

  std::string pointer() const {
    std::string text;
    for (const PathStep& step : path_) {
      text += '/';
      text += step.is_index ? std::to_string(step.index) : escape_pointer_token(step.name);
    }
    return text;
  }

  void report(std::string_view keyword, std::string message) {
    if (out_ != nullptr)
      out_->push_back({"body", pointer(), std::string(keyword), std::move(message)});
  }
  void report_at_member(std::string_view name, std::string_view keyword, std::string message) {
    path_.push_back({name, 0, false});
    report(keyword, std::move(message));
    path_.pop_back();
  }
  void report_at_item(std::size_t index, std::string_view keyword, std::string message) {
    path_.push_back({{}, index, true});
    report(keyword, std::move(message));
    path_.pop_back();
  }

  // A member checked against the schema `keyword` gives it; `false` there reads as "not allowed".
  bool check_member(const SchemaNode& schema, std::string_view name, const rapidjson::Value& value,
                    std::string_view keyword) {
    if (schema.accepts_nothing) {
      report_at_member(name, keyword, "property " + single_quoted(name) + " is not allowed here");
      return false;
    }
    path_.push_back({name, 0, false});
    const bool passed = check(schema, value);
    path_.pop_back();
    return passed;
  }
  bool check_item(const SchemaNode& schema, std::size_t index, const rapidjson::Value& value,
                  std::string_view keyword) {
    if (schema.accepts_nothing) {
      report_at_item(index, keyword, "item " + std::to_string(index) + " is not allowed here");
      return false;
    }
    path_.push_back({{}, index, true});
    const bool passed = check(schema, value);
    path_.pop_back();
    return passed;
  }

  bool check_value(const SchemaNode& node, const rapidjson::Value& value) {
    bool passed = true;
    if (node.enum_values != nullptr) {
      const auto& choices = node.enum_values->GetArray();
      if (std::find(choices.begin(), choices.end(), value) == choices.end()) {
        std::string listed;
        for (const auto& choice : choices) listed += (listed.empty() ? "" : ", ") + preview(choice);
        report("enum", "expected one of " + listed + ", found " + preview(value));
        passed = false;
      }
    }
    if (node.const_value != nullptr && !(*node.const_value == value)) {
      report("const", "expected " + preview(*node.const_value) + ", found " + preview(value));
      passed = false;
    }
    return passed;
  }

  bool check_string(const SchemaNode& node, const rapidjson::Value& value) {
    const std::string_view text = string_of(value);
    bool passed = true;
    if (node.min_length || node.max_length) {
      const std::size_t length = count_code_points(text);
      if (node.min_length && length < *node.min_length) {
        report("minLength", "string should be no fewer than " + std::to_string(*node.min_length) +
                                " characters in length");
        passed = false;
      }
      if (node.max_length && length > *node.max_length) {
        report("maxLength", "string should be no more than " + std::to_string(*node.max_length) +
                                " characters in length");
        passed = false;
      }
    }
    if (node.pattern && !node.pattern->search(text)) {
      report("pattern", preview(value) + " does not match the pattern " +
                            single_quoted(node.pattern->source()));
      passed = false;
    }
    if (node.format != nullptr && !node.format(text)) {
      report("format", preview(value) + " is not a valid " + node.format_name);
      passed = false;
    }
    return passed;
  }

  bool check_number(const SchemaNode& node, const rapidjson::Value& value) {
    bool passed = true;
    auto bound = [&](const rapidjson::Value* limit, std::string_view keyword, bool (*holds)(int),
                     std::string_view relation) {
      if (limit == nullptr || holds(compare_numbers(value, *limit))) return;
      report(keyword, "expected a number " + std::string(relation) + " " + preview(*limit) +
                          ", found " + preview(value));
      passed = false;
    };
    bound(
        node.minimum, "minimum", [](int order) { return order >= 0; }, "greater than or equal to");
    bound(
        node.maximum, "maximum", [](int order) { return order <= 0; }, "less than or equal to");
    bound(
        node.exclusive_minimum, "exclusiveMinimum", [](int order) { return order > 0; },
        "greater than");
    bound(
        node.exclusive_maximum, "exclusiveMaximum", [](int order) { return order < 0; },
        "less than");
    if (node.multiple_of != nullptr && !is_multiple_of(value, *node.multiple_of)) {
      report("multipleOf", preview(value) + " is not a multiple of " + preview(*node.multiple_of));
      passed = false;
    }
    return passed;
  }

  bool check_array(const SchemaNode& node, const rapidjson::Value& array) {
    const std::size_t size = array.Size();
    bool passed = true;
    auto go_on = [&](bool ok) {
      passed = passed && ok;
      return passed || collecting();
    };
    if (node.min_items && size < *node.min_items) {
      report("minItems",
             "array should contain no fewer than " + std::to_string(*node.min_items) + " items");
      if (!go_on(false)) return false;
    }
    if (node.max_items && size > *node.max_items) {
      report("maxItems",
             "array should contain no more than " + std::to_string(*node.max_items) + " items");
      if (!go_on(false)) return false;
    }
    const std::size_t prefix = std::min(size, node.prefix_items.size());
    for (std::size_t i = 0; i < prefix; ++i) {
      if (!go_on(check_item(*node.prefix_items[i], i, item(array, i), "prefixItems"))) {
        return false;
      }
    }
    for (std::size_t i = node.prefix_items.size(); node.items && i < size; ++i) {
      if (!go_on(check_item(*node.items, i, item(array, i), "items"))) return false;
    }
    if (node.contains && !go_on(check_contains(node, array))) return false;
    if (node.unique_items) {
      for (const auto& [later, earlier] : repeated_items(array)) {
        report_at_item(later, "uniqueItems",
                       "item " + std::to_string(later) + " repeats item " +
                           std::to_string(earlier) + "; items must be unique");
        if (!go_on(false)) return false;
      }
    }
    if (node.unevaluated_items) {
      std::vector<bool> evaluated(size, false);
      mark_evaluated_items(node, array, evaluated, /*with_own_unevaluated=*/false);
      for (std::size_t i = 0; i < size; ++i) {
        if (!evaluated[i] &&
            !go_on(check_item(*node.unevaluated_items, i, item(array, i), "unevaluatedItems"))) {
          return false;
        }
      }
    }
    return passed;
  }

  static const rapidjson::Value& item(const rapidjson::Value& array, std::size_t index) {
    return array[static_cast<rapidjson::SizeType>(index)];
  }

  bool check_contains(const SchemaNode& node, const rapidjson::Value& array) {
    std::size_t matching = 0;
    for (const auto& element : array.GetArray()) matching += matches(*node.contains, element);
    const std::string counted = std::to_string(matching) + " item" + (matching == 1 ? "" : "s") +
                                " match the schema in 'contains'";
    if (matching < node.min_contains) {
      if (matching == 0 && node.min_contains == 1) {
        report("contains", "no item matches the schema in 'contains'");
      } else {
        report("minContains",
               counted + ", at least " + std::to_string(node.min_contains) + " must");
      }
      return false;
    }
    if (node.max_contains && matching > *node.max_contains) {
      report("maxContains", counted + ", at most " + std::to_string(*node.max_contains) + " may");
      return false;
    }
    return true;
  }

  bool check_object(const SchemaNode& node, const rapidjson::Value& object) {
    bool passed = true;
    auto go_on = [&](bool ok) {
      passed = passed && ok;
      return passed || collecting();
    };
    for (const std::string& name : node.required) {
      if (has_member(object, name)) continue;
      report_at_member(name, "required", "missing required property " + single_quoted(name));
      if (!go_on(false)) return false;
    }
    const std::size_t size = object.MemberCount();
    if (node.min_properties && size < *node.min_properties) {
      report("minProperties", "object should have no fewer than " +
                                  std::to_string(*node.min_properties) + " properties");
      if (!go_on(false)) return false;
    }
    if (node.max_properties && size > *node.max_properties) {
      report("maxProperties", "object should have no more than " +
                                  std::to_string(*node.max_properties) + " properties");
      if (!go_on(false)) return false;
    }
    for (const DependentNames& dependency : node.dependent_required) {
      if (!has_member(object, dependency.name)) continue;
      for (const std::string& name : dependency.required) {
        if (has_member(object, name)) continue;
        report_at_member(name, "dependentRequired",
                         "missing property " + single_quoted(name) + ", required when " +
                             single_quoted(dependency.name) + " is present");
        if (!go_on(false)) return false;
      }
    }
    for (const auto& member : object.GetObject()) {
      if (!go_on(check_object_member(node, string_of(member.name), member.value))) return false;
    }
    for (const NamedSchema& dependent : node.dependent_schemas) {
      if (has_member(object, dependent.name) && !go_on(check(*dependent.schema, object))) {
        return false;
      }
    }
    if (node.unevaluated_properties) {
      std::vector<bool> evaluated(size, false);
      mark_evaluated_properties(node, object, evaluated, /*with_own_unevaluated=*/false);
      std::size_t i = 0;
      for (const auto& member : object.GetObject()) {
        if (!evaluated[i++] &&
            !go_on(check_member(*node.unevaluated_properties, string_of(member.name), member.value,
                                "unevaluatedProperties"))) {
          return false;
        }
      }
    }
    return passed;
  }

  // properties, every matching patternProperties entry, else additionalProperties; then the name.
  bool check_object_member(const SchemaNode& node, std::string_view name,
                           const rapidjson::Value& value) {
    bool passed = true;
    bool covered = false;
    if (const SchemaNode* property = property_schema(node, name)) {
      covered = true;
      passed = check_member(*property, name, value, "properties");
    }
    for (const PatternSchema& entry : node.pattern_properties) {
      if (!(passed || collecting())) return false;
      if (!entry.pattern.search(name)) continue;
      covered = true;
      passed = check_member(*entry.schema, name, value, "patternProperties") && passed;
    }
    if (!covered && node.additional_properties && (passed || collecting())) {
      passed =
          check_member(*node.additional_properties, name, value, "additionalProperties") && passed;
    }
    if (node.property_names && (passed || collecting())) {
      passed = check_property_name(*node.property_names, name) && passed;
    }
    return passed;
  }

  // The name is validated as a string; its violations point at the member it names.
  bool check_property_name(const SchemaNode& schema, std::string_view name) {
    const rapidjson::Value key(
        rapidjson::StringRef(name.data(), static_cast<rapidjson::SizeType>(name.size())));
    Violations found;
    path_.push_back({name, 0, false});
    Walk inner(path_, collecting() ? &found : nullptr);
    const bool passed = inner.check(schema, key);
    path_.pop_back();
    for (Violation& violation : found) {
      violation.keyword = "propertyNames";
      violation.message = "property name " + single_quoted(name) + ": " + violation.message;
      out_->push_back(std::move(violation));
    }
    return passed;
  }

  bool check_applicators(const SchemaNode& node, const rapidjson::Value& value) {
    bool passed = true;
    for (const SchemaNodePtr& branch : node.all_of) {
      passed = check(*branch, value) && passed;
      if (!(passed || collecting())) return false;
    }
    if (!node.any_of.empty()) {
      const bool any =
          std::any_of(node.any_of.begin(), node.any_of.end(),
                      [&](const SchemaNodePtr& branch) { return matches(*branch, value); });
      if (!any) {
        report("anyOf", "matches none of the " + std::to_string(node.any_of.size()) +
                            " alternatives in anyOf" + reasons(node.any_of, value));
        if (!collecting()) return false;
        passed = false;
      }
    }
    if (!node.one_of.empty() && !check_one_of(node, value)) {
      if (!collecting()) return false;
      passed = false;
    }
    if (node.not_schema && matches(*node.not_schema, value)) {
      report("not", "must not match the schema in 'not'");
      if (!collecting()) return false;
      passed = false;
    }
    if (node.if_schema) {
      const SchemaNode* branch =
          matches(*node.if_schema, value) ? node.then_schema.get() : node.else_schema.get();
      if (branch != nullptr) passed = check(*branch, value) && passed;
    }
    return passed;
  }

  bool check_one_of(const SchemaNode& node, const rapidjson::Value& value) {
    std::vector<std::size_t> matching;
    for (std::size_t i = 0; i < node.one_of.size() && matching.size() < 2; ++i) {
      if (matches(*node.one_of[i], value)) matching.push_back(i);
    }
    if (matching.size() == 1) return true;
    if (matching.empty()) {
      report("oneOf", "matches none of the " + std::to_string(node.one_of.size()) +
                          " alternatives in oneOf" + reasons(node.one_of, value));
    } else {
      report("oneOf", "matches alternatives " + std::to_string(matching[0]) + " and " +
                          std::to_string(matching[1]) + " of oneOf; exactly one must match");
    }
    return false;
  }

  // Why each alternative failed, in short: its first violation and how many more there are.
  std::string reasons(const std::vector<SchemaNodePtr>& alternatives,
                      const rapidjson::Value& value) {
    if (!collecting()) return "";
    const std::string here = pointer();
    std::string text;
    for (std::size_t i = 0; i < alternatives.size(); ++i) {
      Violations found;
      Walk inner(path_, &found);
      inner.check(*alternatives[i], value);
      if (found.empty()) continue;
      std::sort(found.begin(), found.end(), [](const Violation& a, const Violation& b) {
        return std::tie(a.pointer, a.message) < std::tie(b.pointer, b.message);
      });
      const bool deeper = found[0].pointer != here;
      text += (text.empty() ? ": " : "; ") + std::to_string(i) + ": " +
              (deeper ? found[0].pointer + " " : "") + found[0].message;
      if (found.size() > 1) text += " (and " + std::to_string(found.size() - 1) + " more)";
    }
    return text;
  }

  // unevaluatedProperties: which members the schema's other keywords and its passing in-place
  // subschemas (allOf, anyOf, oneOf, if/then/else, dependentSchemas) evaluated.
  void mark_evaluated_properties(const SchemaNode& node, const rapidjson::Value& object,
                                 std::vector<bool>& evaluated, bool with_own_unevaluated) {
    if (node.accepts_anything || node.accepts_nothing) return;
    if (node.additional_properties || (with_own_unevaluated && node.unevaluated_properties)) {
      std::fill(evaluated.begin(), evaluated.end(), true);
      return;
    }
    std::size_t i = 0;
    for (const auto& member : object.GetObject()) {
      const std::string_view name = string_of(member.name);
      evaluated[i] =
          evaluated[i] || property_schema(node, name) != nullptr ||
          std::any_of(node.pattern_properties.begin(), node.pattern_properties.end(),
                      [&](const PatternSchema& entry) { return entry.pattern.search(name); });
      ++i;
    }
    for_each_applied(node, object, [&](const SchemaNode& applied) {
      mark_evaluated_properties(applied, object, evaluated, true);
    });
  }

  void mark_evaluated_items(const SchemaNode& node, const rapidjson::Value& array,
                            std::vector<bool>& evaluated, bool with_own_unevaluated) {
    if (node.accepts_anything || node.accepts_nothing) return;
    if (node.items || (with_own_unevaluated && node.unevaluated_items)) {
      std::fill(evaluated.begin(), evaluated.end(), true);
      return;
    }
    for (std::size_t i = 0; i < std::min(evaluated.size(), node.prefix_items.size()); ++i) {
      evaluated[i] = true;
    }
    for (std::size_t i = 0; node.contains && i < evaluated.size(); ++i) {
      evaluated[i] = evaluated[i] || matches(*node.contains, item(array, i));
    }
    for_each_applied(node, array, [&](const SchemaNode& applied) {
      mark_evaluated_items(applied, array, evaluated, true);
    });
  }

  // The in-place subschemas whose annotations count: allOf (all of them; if one fails the value
  // is invalid anyway), the anyOf/oneOf branches that match, then or else as `if` decides, and
  // the dependentSchemas that apply.
  template <typename Visit>
  void for_each_applied(const SchemaNode& node, const rapidjson::Value& value, Visit visit) {
    for (const SchemaNodePtr& branch : node.all_of) visit(*branch);
    for (const auto* alternatives : {&node.any_of, &node.one_of}) {
      for (const SchemaNodePtr& branch : *alternatives) {
        if (matches(*branch, value)) visit(*branch);
      }
    }
    if (node.if_schema) {
      if (matches(*node.if_schema, value)) {
        visit(*node.if_schema);
        if (node.then_schema) visit(*node.then_schema);
      } else if (node.else_schema) {
        visit(*node.else_schema);
      }
    }
    for (const NamedSchema& dependent : node.dependent_schemas) {
      if (value.IsObject() && has_member(value, dependent.name)) visit(*dependent.schema);
    }
  }

  std::vector<PathStep>& path_;
  Violations* out_;
};

}  // namespace

Violations schema_violations_of(const SchemaNode& schema, const rapidjson::Value& value) {
  std::vector<PathStep> path;
  Violations violations;
  Walk walk(path, &violations);
  const bool valid = walk.check(schema, value);
  if (!valid && violations.empty()) {
    // Every failure reports itself; never call an invalid body valid should one not.
    violations.push_back({"body", "", "schema", "the body does not match the request schema"});
  }
  auto key = [](const Violation& v) { return std::tie(v.pointer, v.keyword, v.message); };
  std::sort(violations.begin(), violations.end(),
            [&](const Violation& a, const Violation& b) { return key(a) < key(b); });
  violations.erase(
      std::unique(violations.begin(), violations.end(),
                  [&](const Violation& a, const Violation& b) { return key(a) == key(b); }),
      violations.end());
  return violations;
}

}  // namespace prm_mock
