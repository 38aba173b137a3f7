#include "stubs/fixture_compiler.hpp"

#include <rapidjson/error/en.h>

#include <algorithm>
#include <cctype>
#include <string>

#include "stubs/fixture_format.hpp"
#include "text/ascii_text.hpp"
#include "text/json_depth.hpp"
#include "text/json_numbers.hpp"
#include "text/json_pointer_text.hpp"

namespace prm_mock {
namespace {

// Everything after the parse (the format check, template compilation, copies, serialisation)
// recurses once per nesting level, so a hostile file or POST /__admin/fixtures body nested a
// hundred thousand levels deep overflowed the stack (fuzz/fixture_loader_fuzzer,
// tests/unit/test_fixture_limits.cpp). The parse itself is iterative, and nesting beyond this
// limit, far past any real fixture, is refused.
constexpr std::size_t kMaxFixtureDepth = 512;

bool is_header_token(std::string_view name) {
  static constexpr std::string_view kSpecials = "!#$%&'*+-.^_`|~";
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           kSpecials.find(c) != std::string_view::npos;
  });
}

// Headers the server itself owns: a fixture setting them would corrupt framing or tracing.
bool is_server_owned(std::string_view name) {
  for (std::string_view owned :
       {"Content-Length", "Transfer-Encoding", "Connection", "X-Request-Id", "X-Mock-Fixture"}) {
    if (equals_ignoring_case(name, owned)) return true;
  }
  return false;
}

void compile_response_headers(const rapidjson::Value& headers, const Contract& contract,
                              const std::string& file, Fixture& fixture,
                              FixtureProblems& problems) {
  for (const auto& header : headers.GetObject()) {
    const std::string name(header.name.GetString(), header.name.GetStringLength());
    const std::string field = child_pointer("/response/headers", name);
    if (!is_header_token(name)) {
      problems.push_back({file, field, "'" + name + "' is not a valid HTTP header name"});
      continue;
    }
    if (is_server_owned(name)) {
      problems.push_back(
          {file, field, "'" + name + "' is set by the server and cannot be overridden"});
      continue;
    }
    const std::string_view value(header.value.GetString(), header.value.GetStringLength());
    if (value.find_first_of("\r\n") != std::string_view::npos) {
      problems.push_back({file, field, "a header value cannot contain line breaks"});
      continue;
    }
    std::string problem;
    auto compiled = TemplateString::compile(value, contract.request_schema(), problem);
    if (!compiled) {
      problems.push_back({file, field, problem});
      continue;
    }
    if (equals_ignoring_case(name, "Content-Type")) {
      if (compiled->has_placeholders()) {
        problems.push_back({file, field, "Content-Type cannot contain templates"});
        continue;
      }
      fixture.content_type = std::string(value);
      continue;
    }
    fixture.headers.push_back({name, std::move(*compiled)});
  }
}

}  // namespace

std::shared_ptr<const Fixture> compile_fixture(std::string_view text, std::string_view file_view,
                                               const Contract& contract,
                                               FixtureProblems& problems) {
  const std::string file(file_view);
  rapidjson::Document document;
  document.Parse<rapidjson::kParseIterativeFlag>(text.data(), text.size());
  if (document.HasParseError()) {
    problems.push_back({file, kWholeFile,
                        "invalid JSON at byte " + std::to_string(document.GetErrorOffset()) + ": " +
                            rapidjson::GetParseError_En(document.GetParseError())});
    return nullptr;
  }
  if (nested_deeper_than(document, kMaxFixtureDepth)) {
    problems.push_back(
        {file, kWholeFile, "nested deeper than " + std::to_string(kMaxFixtureDepth) + " levels"});
    return nullptr;
  }
  // Else the response would carry a body RapidJSON cannot write (json_numbers.hpp).
  if (const auto at = non_finite_number_pointer(document)) {
    problems.push_back({file, *at, "number too big to be stored in a double"});
    return nullptr;
  }
  // The format schema guarantees every key and type below, so the rest can read without checks.
  if (FixtureProblems format = check_fixture_format(document, file); !format.empty()) {
    problems.insert(problems.end(), format.begin(), format.end());
    return nullptr;
  }
  const std::size_t problems_before = problems.size();
  const rapidjson::Value& schema = contract.request_schema();
  auto fixture = std::make_shared<Fixture>();
  fixture->name = document["name"].GetString();
  fixture->file = file;
  fixture->source_json = std::string(text);
  if (document.HasMember("description")) fixture->description = document["description"].GetString();
  if (document.HasMember("priority")) fixture->priority = document["priority"].GetInt();
  if (document.HasMember("delayMs")) {
    if (auto delay = DelayDistribution::compile(document["delayMs"], file, "/delayMs", problems)) {
      fixture->delay = *delay;
    }
  }
  if (document.HasMember("fault") && document["fault"].IsString()) {
    fixture->fault = fault_from_name(document["fault"].GetString()).value_or(Fault::None);
  }
  if (document.HasMember("when")) {
    if (auto when = RequestMatcher::compile(document["when"], schema, file, "/when", problems)) {
      fixture->when = std::move(*when);
    }
  }
  const rapidjson::Value& response = document["response"];
  fixture->status = response["status"].GetInt();
  if (response.HasMember("headers")) {
    compile_response_headers(response["headers"], contract, file, *fixture, problems);
  }
  if (response.HasMember("body")) {
    fixture->body =
        BodyTemplate::compile(response["body"], schema, file, "/response/body", problems);
  }
  if (document.HasMember("recorded") && document["recorded"].HasMember("request")) {
    for (const Violation& violation : contract.validate(document["recorded"]["request"])) {
      problems.push_back({file, "/recorded/request" + violation.pointer,
                          "recorded request violates the contract: " + violation.message});
    }
  }
  if (problems.size() != problems_before) return nullptr;
  return fixture;
}

}  // namespace prm_mock
