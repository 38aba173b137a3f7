// Fuzz target: arbitrary bytes as one fixture file, compiled exactly as a file in a --fixtures
// directory or a POST /__admin/fixtures body is (compile_fixture: JSON syntax, the fixture-format
// schema, templates and pointers against the contract, regexes, response headers, the recorded
// request). A fixture that compiles then joins the default set (adding or replacing by name) the
// way a loaded file does, the set selects for a fixed request, and the fixture is matched and
// rendered (every step of a sequence), so whatever the compiler accepted is also used the way a
// request would use it.
// (The defaults are compiled once: recompiling them per input made the target ~20x slower.)
//
// Findings: a crash, sanitizer report or uncaught exception; a rejection without a problem, or a
// fixture returned together with problems; a rendered body that is not JSON; a rendered header
// value that could split the response head.
#include <httplib.h>
#include <rapidjson/document.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "contract/contract.hpp"
#include "stubs/fixture_compiler.hpp"
#include "stubs/fixture_loader.hpp"
#include "stubs/response_renderer.hpp"

namespace {

using namespace prm_mock;

const Contract& contract() {
  static const Contract embedded = Contract::embedded();
  return embedded;
}

const FixtureSet& defaults() {
  static const std::shared_ptr<const FixtureSet> set = [] {
    LoadResult loaded = load_fixture_set({}, contract());
    if (!loaded.ok()) std::abort();  // the embedded defaults always load (tests say so)
    return loaded.set;
  }();
  return *set;
}

const rapidjson::Document& request_body() {
  static const rapidjson::Document body = [] {
    rapidjson::Document parsed;
    parsed.Parse(R"({"registryRef":"acme/prompts","artifact":{"prompt":"greeting",)"
                 R"("version":"0.0.409","model":"gpt-4o","compiled":"Hello {{name}}",)"
                 R"("hash":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",)"
                 R"("schema":{"input":"i"},"components":{"a":"b"},"metadata":{"n":[1,{"x":null}]},)"
                 R"("tools":{"t":"u"},"body":"b\r\nX-Injected: 1"}})");
    return parsed;
  }();
  return body;
}

[[noreturn]] void finding(const std::string& what) {
  std::fprintf(stderr, "fixture_loader_fuzzer: %s\n", what.c_str());
  std::abort();
}

void check_rendered(const RenderedResponse& response) {
  for (const auto& [name, value] : response.headers) {
    if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) {
      finding("rendered header '" + name + "' holds a line break or NUL");
    }
  }
  if (response.has_body) {
    rapidjson::Document parsed;
    parsed.Parse(response.body.c_str(), response.body.size());
    if (parsed.HasParseError()) finding("rendered body is not JSON: " + response.body);
  }
}

// Every response a fixture can give: each step of a sequence, and which step a turn far past the
// last gets.
void check_rendering(const Fixture& fixture, const RequestContext& request) {
  static_cast<void>(fixture.when.matches(request));
  for (std::size_t step = 0; step < fixture.responses.size(); ++step) {
    check_rendered(render(fixture, request, step));
  }
  if (fixture.step_for_turn(fixture.turns_per_pass() + 7) >= fixture.responses.size()) {
    finding("a turn past the last step points at no step");
  }
  static_cast<void>(fixture.scope.label_for(request.headers));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  FixtureProblems problems;
  const auto fixture = compile_fixture(text, "fuzz/input.json", contract(), problems);
  if (!fixture) {
    if (problems.empty()) finding("a fixture was rejected without a problem");
    return 0;
  }
  if (!problems.empty()) finding("a fixture compiled although problems were reported");

  const auto set = defaults().with(fixture);
  for (const char* prefer : {"code=409", "example=nothing-by-this-name"}) {
    const httplib::Headers headers = {{"X-API-Key", "k-readonly"},
                                      {"Authorization", "Bearer k-invalid"},
                                      {"X-Trace", "abcdef42"},
                                      {"Prefer", prefer}};
    const RequestContext request{headers, request_body(), "00000000-0000-4000-8000-000000000000"};
    static_cast<void>(set->select(request));
    check_rendering(*fixture, request);
  }
  return 0;
}
