#pragma once
// Rules the real registry enforces on neighbouring endpoints but the publish schema does not state
// (semver version, prompt-name pattern, org/registry ref, hex-digest hash). They are warnings by
// default and 400s under --strict.
#include <rapidjson/document.h>

#include "diagnostics/violation.hpp"

namespace prm_mock {

// Checks a body that already passed (or was allowed past) the contract. Each finding has location
// "body", the pointer of the value, keyword "advisory", and a message that states the rule, e.g.
// "version '1.2' should look like MAJOR.MINOR.PATCH (^\d+\.\d+\.\d+$)". Values that are absent or
// not strings are skipped (the contract reports those).
Violations check_advisory_rules(const rapidjson::Value& body);

}  // namespace prm_mock
