#pragma once
// What the hostile-input suite checks around every attack: the precise answer, that the
// server still serves a normal publish on a fresh connection, that the journal holds what was
// received, and how much memory this process (which hosts the in-process server) used.
#include <rapidjson/document.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "test_server.hpp"

namespace prm_mock::testing {

// The body of one raw HTTP response (Content-Length framed, as the mock writes them) as JSON.
rapidjson::Document json_body_of(const std::string& raw_response);
// The "code" member of a raw error response, or "" when there is none.
std::string error_code_of(const std::string& raw_response);
// Whether `text` is one JSON value in valid UTF-8 (the test parser alone accepts any bytes).
bool is_valid_utf8_json(std::string_view text);
// The body of the first response in a raw exchange, as bytes.
std::string raw_body_of(const std::string& raw_response);
// How many responses (status lines) a raw exchange returned.
std::size_t response_count(const std::string& raw_exchange_text);

// The head of a publish request with the key, JSON content type, the given framing header lines
// (e.g. "Content-Length: 12\r\n") and any extra header lines, ending with the blank line.
std::string publish_head(const std::string& framing_lines, const std::string& extra_lines = "");
// `data` as one chunk of the chunked transfer coding (not the terminating chunk).
std::string as_chunk(std::string_view data);

// The journal through the admin API: entries received so far, and the newest `limit` entries
// (oldest first).
std::uint64_t journal_total(const RunningServer& mock);
rapidjson::Document journal_entries(const RunningServer& mock, std::size_t limit);

// A valid publish on a new connection gets 200 and is journaled: the attack before it did not
// break the server.
void check_still_serving(const RunningServer& mock);

// This process's VmRSS or VmHWM ("VmRSS", "VmHWM") from /proc/self/status, in KiB.
std::size_t memory_kib(std::string_view field);
// Returns free heap memory to the system and lowers VmHWM to the current VmRSS (writes 5 to
// /proc/self/clear_refs), so a peak measured next belongs to what runs next and not to an earlier
// test; false when the kernel refuses.
bool reset_memory_peak();

}  // namespace prm_mock::testing
