#pragma once
// One compiled fixture: everything a request needs is parsed at load, so answering
// costs only matching and rendering. Immutable once built; shared between fixture sets by
// shared_ptr.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stubs/body_template.hpp"
#include "stubs/delay_distribution.hpp"
#include "stubs/request_matcher.hpp"
#include "stubs/scope.hpp"
#include "stubs/template_string.hpp"

namespace prm_mock {

// How the server misbehaves instead of answering normally.
enum class Fault { None, ConnectionReset, EmptyResponse, MalformedBody, Timeout };

// "connection_reset" etc. (the fixture spelling); "none" for Fault::None.
std::string_view fault_name(Fault fault);
std::optional<Fault> fault_from_name(std::string_view name);

struct ResponseHeaderTemplate {
  std::string name;
  TemplateString value;
};

// One response a fixture gives: its whole answer (`response`), or one step of a sequence
// (`responses`).
struct FixtureResponse {
  int status = 200;
  std::vector<ResponseHeaderTemplate> headers;  // without Content-Type (see content_type)
  std::string content_type = "application/json";
  std::optional<BodyTemplate> body;  // absent: no body
  DelayDistribution delay;           // sampled per request
  Fault fault = Fault::None;
  std::uint32_t repeat = 1;  // a sequence step answers this many turns in a row
};

// What a sequence answers once its last step has had all its turns.
enum class AfterLast {
  Repeat,  // the last step, from then on
  Cycle,   // the first step again, and so on
};

struct Fixture {
  std::string name;
  std::string file;         // where it was loaded from (for messages and the admin API)
  std::string source_json;  // the file's text, as written
  std::string description;
  int priority = 0;
  RequestMatcher when;
  // Never empty. One, unless the fixture is a sequence.
  std::vector<FixtureResponse> responses;
  // Written with `responses`: each answer is the step its scope's turn count points at.
  bool sequence = false;
  AfterLast after_last = AfterLast::Repeat;
  ScopeRule scope;  // whose turns count (sequences)
  // A hash of source_json: a sequence whose text changed (an edit, a reload) starts again.
  std::uint64_t revision = 0;

  // The response of a fixture that is not a sequence (a sequence's first step).
  const FixtureResponse& response() const { return responses.front(); }
  // The step that answers a sequence's turn (0 = its first answer in a scope); 0 for others.
  std::size_t step_for_turn(std::uint64_t turn) const;
  // Turns until the last step has answered all of its own: the length of one cycle.
  std::uint64_t turns_per_pass() const;
};

}  // namespace prm_mock
