// The scope routes: GET and DELETE /__admin/scopes, POST /__admin/scopes/reset. A scope holds the
// positions of sequence fixtures and the --stateful memory of one API key (or session header
// value, or everybody); these routes show them and let a test start its own afresh.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "admin/admin_call.hpp"
#include "admin/admin_endpoints.hpp"
#include "stubs/fixture_set.hpp"
#include "stubs/scope.hpp"
#include "text/utf8_text.hpp"

namespace prm_mock {
namespace {

using ScopeJsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

// A header scope's label holds a header value, whose bytes need not be UTF-8.
void write_scope_label(ScopeJsonWriter& writer, const std::string& label) {
  write_utf8_json_string(writer, label);
}

// [{"fixture", "answered", "nextStep", "steps"}] for the fixtures in `fixtures` as they are now:
// a sequence removed or changed since its turns were counted starts again, so its old count is
// not shown.
void write_sequence_positions(ScopeJsonWriter& writer, const ScopeSnapshot& scope,
                              const FixtureSet& fixtures) {
  writer.StartArray();
  for (const SequenceTurns& turns : scope.sequences) {
    const auto fixture = fixtures.find(turns.fixture);
    if (!fixture || !fixture->sequence || fixture->revision != turns.revision) continue;
    writer.StartObject();
    writer.Key("fixture");
    writer.String(fixture->name.c_str(), static_cast<rapidjson::SizeType>(fixture->name.size()));
    writer.Key("answered");
    writer.Uint64(turns.turns);
    writer.Key("nextStep");
    writer.Uint64(fixture->step_for_turn(turns.turns));
    writer.Key("steps");
    writer.Uint64(fixture->responses.size());
    writer.EndObject();
  }
  writer.EndArray();
}

// {"count", "evicted", "scopes": [{"scope", "sequences", "publishes"}]}
std::string scopes_json(const ScopeStore& scopes, const FixtureSet& fixtures) {
  const std::vector<ScopeSnapshot> snapshot = scopes.snapshot();
  rapidjson::StringBuffer buffer;
  ScopeJsonWriter writer(buffer);
  writer.StartObject();
  writer.Key("count");
  writer.Uint64(snapshot.size());
  writer.Key("evicted");
  writer.Uint64(scopes.evicted());
  writer.Key("scopes");
  writer.StartArray();
  for (const ScopeSnapshot& scope : snapshot) {
    writer.StartObject();
    writer.Key("scope");
    write_scope_label(writer, scope.label);
    writer.Key("sequences");
    write_sequence_positions(writer, scope, fixtures);
    writer.Key("publishes");
    writer.Uint64(scope.publishes);
    writer.EndObject();
  }
  writer.EndArray();
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

// The label a POST /__admin/scopes/reset body names: {"apiKey": "<key>"} (the scope of that key,
// for a test that knows only its key) or {"scope": "<label>"}. Empty, with `problem` set, for
// anything else.
std::string label_to_reset(const rapidjson::Value& body, FixtureProblem& problem) {
  problem = {"request body", "",
             "expected {\"apiKey\": \"<the key>\"} or {\"scope\": \"<a label from GET "
             "/__admin/scopes>\"}"};
  if (!body.IsObject() || body.MemberCount() != 1) return {};
  const auto& member = *body.MemberBegin();
  const std::string_view name(member.name.GetString(), member.name.GetStringLength());
  if (name != "apiKey" && name != "scope") return {};
  if (!member.value.IsString() || member.value.GetStringLength() == 0) {
    problem.field = "/" + std::string(name);
    problem.message = "expected a non-empty string";
    return {};
  }
  const std::string_view text(member.value.GetString(), member.value.GetStringLength());
  return name == "apiKey" ? api_key_scope_label(text) : std::string(text);
}

}  // namespace

void AdminEndpoints::list_scopes(AdminCall& call) const {
  call.answer_json(scopes_json(*services_.scopes, *services_.fixtures->current()));
}

void AdminEndpoints::clear_scopes(AdminCall& call) const {
  // Counted and cleared in two steps: a scope a request creates in between is cleared too, but
  // not counted, which a caller cannot tell from one created just after.
  const std::size_t forgotten = services_.scopes->size();
  services_.scopes->reset();
  call.answer_json("{\"deleted\":" + std::to_string(forgotten) + "}");
}

void AdminEndpoints::reset_scope(AdminCall& call) const {
  const auto body = call.read_json_body(services_.max_body_bytes, services_.max_json_depth);
  if (!body) return;
  FixtureProblem problem;
  const std::string label = label_to_reset(*body, problem);
  if (label.empty()) return call.answer_problems("INVALID_SCOPE", "no scope to reset", {problem});
  const bool reset = services_.scopes->reset_scope(label);
  rapidjson::StringBuffer buffer;
  ScopeJsonWriter writer(buffer);
  writer.StartObject();
  writer.Key("scope");
  write_scope_label(writer, label);
  writer.Key("reset");
  writer.Bool(reset);
  writer.EndObject();
  call.answer_json(std::string(buffer.GetString(), buffer.GetSize()));
}

}  // namespace prm_mock
