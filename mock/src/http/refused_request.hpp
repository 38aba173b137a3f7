#pragma once
// What is known of a request whose head the connection layer refused (RequestHeadCheck): as much as
// could be read of it, in httplib's own terms, so that the journal and the log take it like any
// other request (every request received is journaled, answered or rejected).
#include <httplib.h>

#include <optional>
#include <string_view>

#include "http/request_head_check.hpp"

namespace prm_mock {

// The method, target (with path and version), the whole header lines read before the head turned
// invalid and, when it turned invalid in a header's value, that header up to the offending byte,
// from `scanned_head` (the bytes `check` scanned). nullopt when the bytes never began a request
// line: they were not a request, only bytes.
std::optional<httplib::Request> readable_part_of_refused_head(std::string_view scanned_head,
                                                              const RequestHeadCheck& check);

// The request line at the start of `bytes` (method, target, path and version), when a whole one
// is there; a request without them otherwise. For a request refused before it was read (plain
// HTTP on the HTTPS port), whose headers are never looked at.
httplib::Request request_line_only(std::string_view bytes);

// The reason phrase of a status the head check answers with.
const char* refused_head_reason(int status);

}  // namespace prm_mock
