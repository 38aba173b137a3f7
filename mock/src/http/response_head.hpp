#pragma once
// The last look at a response's head before httplib writes it: what httplib 0.11.4 leaves out or
// gets wrong there, put right in one place.
//  - Date (RFC 9110 §6.6.1), which httplib never sends. A delayed response is dated when it is
//    sent instead (ConnectionServer::send_response): its delay stands for a slow server, which
//    would date its answer when it finished. A Date a fixture sets is kept.
// httplib calls its post-routing handler after adding its own headers and right before writing
// the head; ConnectionServer runs this there, after the server's handler. Working on httplib's
// Response rather than on the bytes it writes keeps httplib the one writer of the head.
#include <httplib.h>

#include "http/exchange_context.hpp"

namespace prm_mock {

void settle_response_head(const httplib::Request& request, httplib::Response& response,
                          const ExchangeContext& exchange);

}  // namespace prm_mock
