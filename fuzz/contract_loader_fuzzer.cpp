// Fuzz target: arbitrary bytes as an OpenAPI document (YAML or JSON), loaded as --contract FILE
// is: YAML to JSON, finding the publish operation, inlining $refs, compiling the request schema
// with valijson. A document that loads then validates two bodies, since a schema that compiles can
// still trip the validator.
//
// ContractError is the documented answer to a bad document. Findings: a crash, sanitizer report,
// hang or stack overflow (deep nesting, $ref cycles), or any other exception escaping.
#include <rapidjson/document.h>

#include <cstdint>
#include <string_view>

#include "contract.hpp"

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
  try {
    const auto contract = prm_mock::Contract::from_text(
        std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.yaml");
    static_cast<void>(contract.validate(valid));
    static_cast<void>(contract.validate(odd));
  } catch (const prm_mock::ContractError&) {
    // The documented answer to an unusable document.
  }
  return 0;
}
