// The run-time fixture routes: GET and POST /__admin/fixtures, GET and DELETE
// /__admin/fixtures/{name}. Edits replace the whole set, one at a time (fixture_edits_), and a
// fixture posted gets exactly the checks a fixture file gets, with the same messages.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <map>
#include <string>

#include "admin/admin_call.hpp"
#include "admin/admin_endpoints.hpp"
#include "stubs/fixture_compiler.hpp"
#include "stubs/fixture_set.hpp"

namespace prm_mock {
namespace {

std::string fixture_summary_json(const Fixture& fixture, std::uint64_t hits) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("name");
  writer.String(fixture.name.c_str());
  writer.Key("file");
  writer.String(fixture.file.c_str());
  writer.Key("priority");
  writer.Int(fixture.priority);
  writer.Key("conditions");
  writer.Uint64(fixture.when.condition_count());
  // A sequence's first step; its file (GET /__admin/fixtures/{name}) has the others.
  const FixtureResponse& first = fixture.response();
  writer.Key("status");
  writer.Int(first.status);
  writer.Key("delayMs");
  const std::string delay = first.delay.json_text();  // a number, or the distribution's object
  writer.RawValue(delay.c_str(), delay.size(), rapidjson::kObjectType);
  writer.Key("fault");
  if (first.fault == Fault::None) {
    writer.Null();
  } else {
    const std::string_view fault = fault_name(first.fault);
    writer.String(fault.data(), static_cast<rapidjson::SizeType>(fault.size()));
  }
  // Present only when the first response dribbles its body.
  if (first.dribble) {
    writer.Key("dribble");
    writer.StartObject();
    writer.Key("chunks");
    writer.Int(first.dribble->chunks);
    writer.Key("overMs");
    writer.Int(first.dribble->over_ms);
    writer.EndObject();
  }
  writer.Key("steps");
  writer.Uint64(fixture.responses.size());
  if (fixture.sequence) {
    writer.Key("afterLast");
    writer.String(fixture.after_last == AfterLast::Cycle ? "cycle" : "repeat");
    writer.Key("scope");
    const std::string scope = fixture.scope.spelling();
    writer.String(scope.c_str(), static_cast<rapidjson::SizeType>(scope.size()));
  }
  writer.Key("hits");
  writer.Uint64(hits);
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

// The answers by a fixture's name since start or the last POST /__admin/reset.
std::uint64_t hits_of(const std::map<std::string, std::uint64_t>& hits, const std::string& name) {
  const auto found = hits.find(name);
  return found == hits.end() ? 0 : found->second;
}

void answer_no_such_fixture(const AdminCall& call) {
  call.answer_error(404, "FIXTURE_NOT_FOUND", "no fixture named '" + std::string(call.name) + "'");
}

}  // namespace

void AdminEndpoints::list_fixtures(AdminCall& call) const {
  const auto set = services_.fixtures->current();
  const auto hits = services_.metrics->fixture_hits();
  std::string json = "{\"count\":" + std::to_string(set->size()) + ",\"fixtures\":[";
  bool first = true;
  for (const auto& fixture : set->ranked()) {
    if (!first) json += ',';
    first = false;
    json += fixture_summary_json(*fixture, hits_of(hits, fixture->name));
  }
  call.answer_json(json + "]}");
}

void AdminEndpoints::add_fixture(AdminCall& call) const {
  const auto text = call.read_json_text(services_.max_body_bytes, "fixture");
  if (!text) return;
  FixtureProblems problems;
  auto fixture = compile_fixture(*text, "POST /__admin/fixtures", *services_.contract, problems);
  if (!fixture) {
    return call.answer_problems("INVALID_FIXTURE", "the fixture is invalid", problems);
  }
  bool replaced = false;
  {
    std::lock_guard lock(fixture_edits_);
    FixtureStore& store = *services_.fixtures;
    const auto set = store.current();
    replaced = set->find(fixture->name) != nullptr;
    store.replace(set->with(fixture));
  }
  call.response.status = replaced ? 200 : 201;
  call.answer_json(
      fixture_summary_json(*fixture, hits_of(services_.metrics->fixture_hits(), fixture->name)));
}

void AdminEndpoints::get_fixture(AdminCall& call) const {
  const auto fixture = services_.fixtures->current()->find(call.name);
  if (!fixture) return answer_no_such_fixture(call);
  call.answer_json(fixture->source_json);
}

void AdminEndpoints::delete_fixture(AdminCall& call) const {
  std::lock_guard lock(fixture_edits_);
  FixtureStore& store = *services_.fixtures;
  const auto set = store.current();
  if (!set->find(call.name)) return answer_no_such_fixture(call);
  store.replace(set->without(call.name));
  call.answer_json(R"({"deleted":true})");
}

}  // namespace prm_mock
