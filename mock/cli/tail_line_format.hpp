#pragma once
// The text `prm-mock tail` prints for each journal entry and stream notice, kept apart from the
// connection so it can be tested without a server. Every line ends in '\n'.
#include <rapidjson/document.h>

#include <cstdint>
#include <string>

#include "cli/command_options.hpp"

namespace prm_mock {

struct TailStyle {
  // ANSI colours: the status by class (2xx green, 3xx cyan, 4xx yellow, 5xx red), secondary
  // fields dim. Off for pipes and files, and under NO_COLOR.
  bool colour = false;
};

// Whether --color=MODE colours: auto only when stdout is a terminal and NO_COLOR is not set (to
// anything but the empty string, as no-color.org asks).
bool tail_colour_on(ColourMode mode, bool stdout_is_terminal, bool no_color_set);

// One journal entry (the JSON object GET /__admin/requests lists):
//   14:03:07.412  400  POST /api/registries/artifacts  -  1.2 ms  /artifact/hash: missing ...
// time of day (UTC, from receivedAt), status, method and path (with its query), the fixture that
// answered or '-', the latency, and a one-line reason when there is one (the first violation, the
// error code of the response, what --chaos injected, a warning). Under a 4xx or 5xx, each
// violation follows on its own indented line; warnings do under any status. Text from the client
// (path, messages) has its control characters replaced, so it cannot drive the terminal.
std::string format_tail_entry(const rapidjson::Value& entry, const TailStyle& style);

// The notice for an `event: dropped` of `count` entries the stream skipped.
std::string format_tail_dropped(std::uint64_t count, const TailStyle& style);

// The notice for an `event: cleared`.
std::string format_tail_cleared(const TailStyle& style);

}  // namespace prm_mock
