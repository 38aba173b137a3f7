#include "stubs/fixture_compiler.hpp"

#include <rapidjson/error/en.h>

#include <functional>
#include <string>
#include <string_view>

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

// Headers the server itself owns: a fixture setting them would corrupt framing or tracing.
bool is_server_owned(std::string_view name) {
  for (std::string_view owned :
       {"Content-Length", "Transfer-Encoding", "Connection", "X-Request-Id", "X-Mock-Fixture"}) {
    if (equals_ignoring_case(name, owned)) return true;
  }
  return false;
}

void compile_response_headers(const rapidjson::Value& headers, const Contract& contract,
                              const std::string& file, const std::string& headers_field,
                              FixtureResponse& response, FixtureProblems& problems) {
  for (const auto& header : headers.GetObject()) {
    const std::string name(header.name.GetString(), header.name.GetStringLength());
    const std::string field = child_pointer(headers_field, name);
    if (!is_http_token(name)) {
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
      response.content_type = std::string(value);
      continue;
    }
    response.headers.push_back({name, std::move(*compiled)});
  }
}

// What a response gets when it does not say: the fixture's top-level delayMs and fault.
struct ResponseDefaults {
  DelayDistribution delay;
  Fault fault = Fault::None;
};

Fault fault_of(const rapidjson::Value& fault) {
  // null is "no fault"; the format schema allows only the known names otherwise.
  return fault.IsString() ? fault_from_name(fault.GetString()).value_or(Fault::None) : Fault::None;
}

// `response`, or one step of `responses`, at `field`: the format schema has checked its keys.
FixtureResponse compile_response(const rapidjson::Value& written, const std::string& field,
                                 const ResponseDefaults& defaults, const Contract& contract,
                                 const std::string& file, FixtureProblems& problems) {
  FixtureResponse response;
  response.status = written["status"].GetInt();
  response.delay = defaults.delay;
  if (written.HasMember("delayMs")) {
    if (auto delay =
            DelayDistribution::compile(written["delayMs"], file, field + "/delayMs", problems)) {
      response.delay = *delay;
    }
  }
  response.fault = written.HasMember("fault") ? fault_of(written["fault"]) : defaults.fault;
  if (written.HasMember("repeat")) response.repeat = written["repeat"].GetUint();
  if (written.HasMember("headers")) {
    compile_response_headers(written["headers"], contract, file, field + "/headers", response,
                             problems);
  }
  if (written.HasMember("body")) {
    response.body = BodyTemplate::compile(written["body"], contract.request_schema(), file,
                                          field + "/body", problems);
  }
  return response;
}

// "apiKey", "global" or {"header": NAME} (shapes the format schema has checked).
ScopeRule compile_scope(const rapidjson::Value& scope, const std::string& file,
                        FixtureProblems& problems) {
  if (scope.IsString()) {
    return std::string_view(scope.GetString()) == "global" ? ScopeRule::global()
                                                           : ScopeRule::api_key();
  }
  std::string problem;
  const auto rule = parse_scope_rule(std::string("header:") + scope["header"].GetString(), problem);
  if (!rule) {
    problems.push_back({file, "/scope/header", problem});
    return ScopeRule::api_key();
  }
  return *rule;
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
  ResponseDefaults defaults;
  if (document.HasMember("delayMs")) {
    if (auto delay = DelayDistribution::compile(document["delayMs"], file, "/delayMs", problems)) {
      defaults.delay = *delay;
    }
  }
  if (document.HasMember("fault")) defaults.fault = fault_of(document["fault"]);
  if (document.HasMember("when")) {
    if (auto when = RequestMatcher::compile(document["when"], schema, file, "/when", problems)) {
      fixture->when = std::move(*when);
    }
  }
  if (document.HasMember("responses")) {
    fixture->sequence = true;
    const rapidjson::Value& steps = document["responses"];
    for (rapidjson::SizeType i = 0; i < steps.Size(); ++i) {
      fixture->responses.push_back(compile_response(steps[i], "/responses/" + std::to_string(i),
                                                    defaults, contract, file, problems));
    }
    if (document.HasMember("afterLast") &&
        std::string_view(document["afterLast"].GetString()) == "cycle") {
      fixture->after_last = AfterLast::Cycle;
    }
    if (document.HasMember("scope"))
      fixture->scope = compile_scope(document["scope"], file, problems);
  } else {
    fixture->responses.push_back(
        compile_response(document["response"], "/response", defaults, contract, file, problems));
    // Only a sequence has turns to count: said, rather than silently ignored.
    for (const char* key : {"afterLast", "scope"}) {
      if (document.HasMember(key)) {
        problems.push_back({file, std::string("/") + key,
                            std::string("'") + key +
                                "' applies only to a sequence: give 'responses' instead of "
                                "'response'"});
      }
    }
  }
  fixture->revision = std::hash<std::string>{}(fixture->source_json);
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
