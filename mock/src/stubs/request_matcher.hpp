#pragma once
// The `when` part of a fixture (also the query syntax of the admin API): conditions on request
// headers (names case-insensitive) and on body values addressed by JSON Pointer, each with the
// operators `equals` (deep JSON equality), `matches` (ECMAScript regex, searched, strings only) and
// `present`. Regexes and pointers are compiled once, here; matching allocates nothing.
#include <rapidjson/document.h>
#include <rapidjson/pointer.h>

#include <cstddef>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "stubs/fixture_problem.hpp"
#include "stubs/request_context.hpp"

namespace prm_mock {

class RequestMatcher {
 public:
  // A matcher with no conditions: matches every request.
  RequestMatcher() = default;

  // Compiles a `when` object. Checks its shape itself (so the admin API can pass user input), and
  // that every body pointer lies inside `request_schema`. Problems name `file` and pointers under
  // `field` (e.g. "/when"); returns nothing when there is any.
  static std::optional<RequestMatcher> compile(const rapidjson::Value& when,
                                               const rapidjson::Value& request_schema,
                                               std::string_view file, std::string_view field,
                                               FixtureProblems& problems);

  bool matches(const RequestContext& request) const;

  // Each operator counts once: {"equals": 1, "present": true} is two conditions. Ranks ties.
  std::size_t condition_count() const { return conditions_.size(); }

 private:
  enum class Operator { Present, Equals, Matches };  // in order of cost: cheapest first
  struct Condition {
    bool on_header = false;
    std::string header_name;     // on_header; lower-case (compared ASCII case-insensitively)
    rapidjson::Pointer pointer;  // !on_header
    Operator op = Operator::Present;
    rapidjson::Document expected;  // Equals (for headers: a string)
    std::regex pattern;            // Matches
    bool present = true;           // Present
  };
  static bool header_holds(const Condition& condition, const httplib::Headers& headers);
  static bool body_holds(const Condition& condition, const rapidjson::Value& body);
  // The target of a condition: a header name (kept lower-case) or a body pointer that lies in
  // `request_schema`. False, with a problem at `field`, when it is neither.
  static bool compile_target(std::string_view target, bool on_header,
                             const rapidjson::Value& request_schema, const std::string& file,
                             const std::string& field, FixtureProblems& problems,
                             Condition& condition);
  // One operator and its argument into `condition`, which has its target. False, with a problem
  // at `field`, when the operator is unknown or its argument wrong.
  static bool compile_operator(std::string_view name, const rapidjson::Value& argument,
                               const std::string& file, const std::string& field,
                               FixtureProblems& problems, Condition& condition);
  static void compile_conditions(const rapidjson::Value& conditions, bool on_header,
                                 const rapidjson::Value& request_schema, std::string_view file,
                                 const std::string& field, FixtureProblems& problems,
                                 std::vector<Condition>& out);

  std::vector<Condition> conditions_;
};

}  // namespace prm_mock
