// Fuzz target: the template language of fixture responses. The input is split into a template
// text, a request header value and a request body (FuzzedDataProvider); the template is compiled
// against the contract's request schema as the fixture loader does, then rendered as text and as a
// JSON value. The template text, when it parses as JSON, is also compiled and rendered as a whole
// response body.
//
// Findings: a crash or sanitizer report; rendered JSON that does not parse; a template without
// placeholders that does not render as itself.
#include <fuzzer/FuzzedDataProvider.h>
#include <httplib.h>
#include <rapidjson/document.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "contract/contract.hpp"
#include "publish/json_body.hpp"
#include "stubs/body_template.hpp"
#include "stubs/template_string.hpp"
#include "text/json_numbers.hpp"

namespace {

using namespace prm_mock;

const Contract& contract() {
  static const Contract embedded = Contract::embedded();
  return embedded;
}

[[noreturn]] void finding(const std::string& what) {
  std::fprintf(stderr, "template_renderer_fuzzer: %s\n", what.c_str());
  std::abort();
}

void expect_json(const std::string& text, const char* what) {
  rapidjson::Document parsed;
  parsed.Parse(text.c_str(), text.size());
  if (parsed.HasParseError()) finding(std::string(what) + " is not JSON: " + text);
}

void render_string(const std::string& text, const RequestContext& request) {
  std::string problem;
  const auto compiled = TemplateString::compile(text, contract().request_schema(), problem);
  if (!compiled) {
    if (problem.empty()) finding("a template was rejected without a reason");
    return;
  }
  std::string rendered;
  compiled->render_text(request, rendered);
  if (!compiled->has_placeholders() && rendered != text) {
    finding("a template without placeholders rendered as something else");
  }
  rapidjson::StringBuffer buffer;
  ResponseJsonWriter writer(buffer);
  compiled->render_json(request, writer);
  expect_json(std::string(buffer.GetString(), buffer.GetSize()), "a rendered JSON value");
}

void render_body(const std::string& text, const RequestContext& request) {
  rapidjson::Document body;
  body.Parse(text.c_str(), text.size());
  // compile_fixture, the only caller in the product, refuses both (fixture_compiler.cpp).
  if (body.HasParseError() || non_finite_number_pointer(body)) return;
  FixtureProblems problems;
  const auto compiled = BodyTemplate::compile(body, contract().request_schema(), "fuzz.json",
                                              "/response/body", problems);
  if (compiled) expect_json(compiled->render(request), "a rendered body");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider provider(data, size);
  const std::string text = provider.ConsumeRandomLengthString(4096);
  const std::string header_value = provider.ConsumeRandomLengthString(256);
  const std::string body_text = provider.ConsumeRemainingBytesAsString();
  // Parsed as the server parses request bodies; one that does not parse leaves a null body, so
  // every placeholder meets a missing value (rendered as null or ""), which is fuzzed too.
  rapidjson::Document body;
  if (parse_json_body(body_text, body, 256)) body.SetNull();
  const httplib::Headers headers = {{"X-Trace", header_value}, {"x-api-key", "k"}};
  const RequestContext request{headers, body, "req-1"};
  render_string(text, request);
  render_body(text, request);
  return 0;
}
