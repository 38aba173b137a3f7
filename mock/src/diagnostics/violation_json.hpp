#pragma once
// Violations as JSON, in the one shape every consumer sees (error bodies, validate's report):
// [{"location","pointer","keyword","message"}, ...].
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "diagnostics/violation.hpp"

namespace prm_mock {

// Writes `violations` as a JSON array at the writer's current position.
void write_violations(rapidjson::Writer<rapidjson::StringBuffer>& writer,
                      const Violations& violations);

}  // namespace prm_mock
