#pragma once
// Checks a parsed fixture file against schemas/fixture.schema.json (embedded) with valijson before
// anything interprets it, and turns valijson's findings into `file: /pointer: message` problems
// that name the offending key ("unexpected key 'prority' (did you mean 'priority'?)").
#include <rapidjson/document.h>

#include <string_view>

#include "stubs/fixture_problem.hpp"

namespace prm_mock {

inline constexpr std::string_view kFixtureSchemaPath = "schemas/fixture.schema.json";

FixtureProblems check_fixture_format(const rapidjson::Value& fixture, std::string_view file);

}  // namespace prm_mock
