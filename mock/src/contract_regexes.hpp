#pragma once
// The regexes in a request schema (`pattern` values, `patternProperties` names), checked once at
// load. valijson compiles each only when it first validates a value against it, so a bad one made
// every request fail instead of the contract (found by fuzz/contract_loader_fuzzer).
#include <rapidjson/document.h>

#include <string>
#include <string_view>

namespace prm_mock {

// Throws ContractError, naming `origin` and the JSON Pointer (under `at`) of the first regex in
// `schema` that std::regex (valijson's engine) rejects, or that is longer than 1024 characters
// (libstdc++'s regex compiler recurses once per character).
void check_schema_regexes(const rapidjson::Value& schema, std::string_view origin,
                          const std::string& at);

}  // namespace prm_mock
