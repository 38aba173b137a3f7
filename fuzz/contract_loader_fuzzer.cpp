// Fuzz target: arbitrary bytes as an OpenAPI document (YAML or JSON), loaded as --contract FILE
// is: YAML to JSON, finding the publish operation, reading its schema dialect, inlining $refs,
// translating OpenAPI 3.0 schemas, compiling the request schema (mock/src/schema). A document that
// loads then validates a few bodies, since a schema that compiles can still trip the validator;
// the seeds include an OpenAPI 3.0 document and one using the 2020-12 keywords.
//
// ContractError is the documented answer to a bad document. Findings: a crash, sanitizer report,
// hang or stack overflow (deep nesting, $ref cycles), or any other exception escaping.
#include <rapidjson/document.h>

#include <cstdint>
#include <string_view>

#include "contract/contract.hpp"

namespace {

rapidjson::Document parsed(const char* json) {
  rapidjson::Document document;
  document.Parse(json);
  return document;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const rapidjson::Document valid = parsed(
      R"({"registryRef":"acme/prompts","artifact":{"prompt":"greeting","version":"1.2.0",)"
      R"("model":"gpt-4o","compiled":"Hello","hash":"ab","schema":{},"components":{},"metadata":{}}})");
  static const rapidjson::Document odd = parsed(R"([1,"two",{"3":[null,true,4.5e300]}])");
  static const rapidjson::Document strings = parsed(
      R"({"registryRef":"a\u0000b","artifact":{"prompt":"\u00a0\u4f60","tags":[1,1.0,"x"]}})");
  try {
    const auto contract = prm_mock::Contract::from_text(
        std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.yaml");
    static_cast<void>(contract.validate(valid));
    static_cast<void>(contract.validate(odd));
    static_cast<void>(contract.validate(strings));
  } catch (const prm_mock::ContractError&) {
    // The documented answer to an unusable document.
  }
  return 0;
}
