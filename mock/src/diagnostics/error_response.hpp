#pragma once
// The one error body, shared by every error the mock itself generates:
// { message, code, status, requestId, violations[] } as application/json.
#include <httplib.h>

#include <string>
#include <string_view>

#include "diagnostics/violation.hpp"

namespace prm_mock {

struct ErrorDetails {
  int status = 500;
  std::string code;     // one stable word per cause, e.g. "CONTRACT_VIOLATION"
  std::string message;  // what a client written for the real API reads
  Violations violations;
  // Extra members some causes carry (e.g. MALFORMED_JSON's byte offset); -1 means absent.
  long long offset = -1;
};

std::string error_body_json(const ErrorDetails& error, std::string_view request_id);

// Fills `response` with the error: status, body, Content-Type. X-Request-Id is set by the caller.
void set_error_response(httplib::Response& response, const ErrorDetails& error,
                        std::string_view request_id);

}  // namespace prm_mock
