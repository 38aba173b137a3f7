#pragma once
// Violations as JSON, in the one shape every consumer sees (error bodies, the journal, validate's
// report, the X-Mock-Violations header): [{"location","pointer","keyword","message"}, ...].
// Templates over the RapidJSON writer, because the header needs an ASCII-only writer and the
// bodies a UTF-8 one. Messages can quote client bytes, so every string is written as valid UTF-8.
#include "diagnostics/violation.hpp"
#include "text/utf8_text.hpp"

namespace prm_mock {

// The header leaves "location" out: it lists body violations only and must stay short.
enum class ViolationFields { All, WithoutLocation };

template <typename JsonWriter>
void write_violation(JsonWriter& writer, const Violation& violation,
                     ViolationFields fields = ViolationFields::All) {
  writer.StartObject();
  if (fields == ViolationFields::All) {
    writer.Key("location");
    write_utf8_json_string(writer, violation.location);
  }
  writer.Key("pointer");
  write_utf8_json_string(writer, violation.pointer);
  writer.Key("keyword");
  write_utf8_json_string(writer, violation.keyword);
  writer.Key("message");
  write_utf8_json_string(writer, violation.message);
  writer.EndObject();
}

// Writes `violations` as a JSON array at the writer's current position.
template <typename JsonWriter>
void write_violations(JsonWriter& writer, const Violations& violations) {
  writer.StartArray();
  for (const Violation& violation : violations) write_violation(writer, violation);
  writer.EndArray();
}

}  // namespace prm_mock
