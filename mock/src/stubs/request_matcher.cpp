// GCC 12 at -O2 with -fsanitize=address reports a false "may be used uninitialized" inside
// libstdc++'s std::regex compiler; this file's code is not the cause.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include "stubs/request_matcher.hpp"

#include <algorithm>

#include "text/ascii_text.hpp"
#include "text/json_pointer_text.hpp"
#include "text/json_text.hpp"

namespace prm_mock {
namespace {

// libstdc++'s regex compiler recurses once per character of the pattern, and its default
// (backtracking) matcher once per character of the value: a 30,000-character request value
// overflowed a worker's stack under ASan, 300,000 killed an optimised server (fuzz/
// request_path_fuzzer; tests/unit/test_fixture_limits.cpp). So patterns are bounded and
// compiled in libstdc++'s __polynomial mode, whose breadth-first matcher walks the value in a
// loop and recurses only over the pattern's states. That mode has no back-references (\1): they
// are a load problem.
constexpr std::size_t kMaxMatcherPatternLength = 1024;
constexpr auto kPatternSyntax = std::regex::ECMAScript | std::regex_constants::__polynomial;

// `lower` is already lower-case (compiled so at load).
bool same_header_name(const std::string& name, const std::string& lower) {
  if (name.size() != lower.size()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (to_lower_ascii(name[i]) != lower[i]) return false;
  }
  return true;
}

}  // namespace

bool RequestMatcher::compile_target(std::string_view target, bool on_header,
                                    const rapidjson::Value& request_schema, const std::string& file,
                                    const std::string& field, FixtureProblems& problems,
                                    Condition& condition) {
  condition.on_header = on_header;
  if (on_header) {
    if (target.empty()) {
      problems.push_back({file, field, "a header name cannot be empty"});
      return false;
    }
    condition.header_name = lower_ascii(target);
    return true;
  }
  const std::string quoted = "'" + std::string(target) + "'";
  if (const std::string syntax = pointer_syntax_problem(target); !syntax.empty()) {
    problems.push_back({file, field, quoted + ": " + syntax});
    return false;
  }
  condition.pointer = rapidjson::Pointer(target.data(), target.size());
  if (!condition.pointer.IsValid()) {
    problems.push_back({file, field, quoted + " is not a valid JSON Pointer"});
    return false;
  }
  if (!schema_reaches(request_schema, condition.pointer)) {
    problems.push_back(
        {file, field, quoted + " is not a location in the contract's request schema"});
    return false;
  }
  return true;
}

bool RequestMatcher::compile_operator(std::string_view name, const rapidjson::Value& argument,
                                      const std::string& file, const std::string& field,
                                      FixtureProblems& problems, Condition& condition) {
  const auto problem = [&](std::string message) {
    problems.push_back({file, field, std::move(message)});
    return false;
  };
  if (name == "equals") {
    if (condition.on_header && !argument.IsString()) {
      return problem(std::string("a header value is a string; found ") + json_type_name(argument));
    }
    condition.op = Operator::Equals;
    condition.expected.CopyFrom(argument, condition.expected.GetAllocator());
    return true;
  }
  if (name == "matches") {
    if (!argument.IsString()) {
      return problem(std::string("expected a regex string, found ") + json_type_name(argument));
    }
    condition.op = Operator::Matches;
    if (argument.GetStringLength() > kMaxMatcherPatternLength) {
      return problem("regex longer than " + std::to_string(kMaxMatcherPatternLength) +
                     " characters");
    }
    try {
      condition.pattern =
          std::regex(argument.GetString(), argument.GetStringLength(), kPatternSyntax);
    } catch (const std::regex_error& error) {
      return problem("invalid regex '" + std::string(argument.GetString()) + "': " + error.what());
    }
    return true;
  }
  if (name == "present") {
    if (!argument.IsBool()) {
      return problem(std::string("expected boolean, found ") + json_type_name(argument));
    }
    condition.op = Operator::Present;
    condition.present = argument.GetBool();
    return true;
  }
  return problem("unknown operator '" + std::string(name) + "' (known: equals, matches, present)");
}

void RequestMatcher::compile_conditions(const rapidjson::Value& conditions, bool on_header,
                                        const rapidjson::Value& request_schema,
                                        std::string_view file, const std::string& field,
                                        FixtureProblems& problems, std::vector<Condition>& out) {
  const std::string file_name(file);
  if (!conditions.IsObject()) {
    problems.push_back(
        {file_name, field, std::string("expected object, found ") + json_type_name(conditions)});
    return;
  }
  for (const auto& entry : conditions.GetObject()) {
    const std::string target(entry.name.GetString(), entry.name.GetStringLength());
    const std::string target_field = child_pointer(field, target);
    Condition base;
    if (!compile_target(target, on_header, request_schema, file_name, target_field, problems,
                        base)) {
      continue;
    }
    if (!entry.value.IsObject() || entry.value.ObjectEmpty()) {
      problems.push_back({file_name, target_field,
                          "expected an object with at least one of equals, matches, present"});
      continue;
    }
    for (const auto& operation : entry.value.GetObject()) {
      const std::string name(operation.name.GetString(), operation.name.GetStringLength());
      Condition condition;
      condition.on_header = base.on_header;
      condition.header_name = base.header_name;
      condition.pointer = base.pointer;
      if (compile_operator(name, operation.value, file_name, child_pointer(target_field, name),
                           problems, condition)) {
        out.push_back(std::move(condition));
      }
    }
  }
}

std::optional<RequestMatcher> RequestMatcher::compile(const rapidjson::Value& when,
                                                      const rapidjson::Value& request_schema,
                                                      std::string_view file, std::string_view field,
                                                      FixtureProblems& problems) {
  const std::size_t problems_before = problems.size();
  const std::string file_name(file);
  RequestMatcher matcher;
  if (!when.IsObject()) {
    problems.push_back({file_name, std::string(field),
                        std::string("expected object, found ") + json_type_name(when)});
    return std::nullopt;
  }
  for (const auto& part : when.GetObject()) {
    const std::string name(part.name.GetString(), part.name.GetStringLength());
    if (name == "headers" || name == "body") {
      compile_conditions(part.value, name == "headers", request_schema, file,
                         child_pointer(field, name), problems, matcher.conditions_);
    } else {
      problems.push_back({file_name, child_pointer(field, name),
                          "unexpected key '" + name + "' (allowed: headers, body)"});
    }
  }
  if (problems.size() != problems_before) return std::nullopt;
  // All conditions must hold, so their order cannot change the result: try the cheap ones first
  // (presence, then equality, then regexes) to reject most non-matching requests early.
  std::stable_sort(matcher.conditions_.begin(), matcher.conditions_.end(),
                   [](const Condition& a, const Condition& b) {
                     return static_cast<int>(a.op) < static_cast<int>(b.op);
                   });
  return matcher;
}

bool RequestMatcher::header_holds(const Condition& condition, const httplib::Headers& headers) {
  // A linear scan with an ASCII comparison: httplib's own case-insensitive lookup calls the
  // locale-aware tolower per character and dominated matching cost with many fixtures.
  bool present = false;
  for (const auto& [name, value] : headers) {
    if (!same_header_name(name, condition.header_name)) continue;
    present = true;
    if (condition.op == Operator::Equals) {
      if (value.size() == condition.expected.GetStringLength() &&
          value.compare(0, value.size(), condition.expected.GetString(), value.size()) == 0) {
        return true;
      }
    } else if (condition.op == Operator::Matches && std::regex_search(value, condition.pattern)) {
      return true;
    }
  }
  return condition.op == Operator::Present && present == condition.present;
}

bool RequestMatcher::body_holds(const Condition& condition, const rapidjson::Value& body) {
  const rapidjson::Value* value = condition.pointer.Get(body);
  switch (condition.op) {
    case Operator::Present:
      return (value != nullptr) == condition.present;
    case Operator::Equals:
      return value != nullptr && *value == condition.expected;
    case Operator::Matches:
      return value != nullptr && value->IsString() &&
             std::regex_search(value->GetString(), value->GetString() + value->GetStringLength(),
                               condition.pattern);
  }
  return false;
}

bool RequestMatcher::matches(const RequestContext& request) const {
  for (const auto& condition : conditions_) {
    const bool holds = condition.on_header ? header_holds(condition, request.headers)
                                           : body_holds(condition, request.body);
    if (!holds) return false;
  }
  return true;
}

}  // namespace prm_mock
