#pragma once
// The last look at a response's head before httplib writes it: what httplib 0.11.4 leaves out or
// gets wrong there, put right in one place.
//  - Date (RFC 9110 §6.6.1), which httplib never sends. A delayed response is dated when it is
//    sent instead (ConnectionServer::send_response): its delay stands for a slow server, which
//    would date its answer when it finished. A Date a fixture sets is kept.
//  - Keep-alive. httplib adds "Keep-Alive: timeout=T, max=M" from its own settings to every
//    response unless it closes the connection itself, so it also went out beside "Connection:
//    close" (an HTTP/1.0 request without keep-alive, a body left unread). Here a response after
//    which the connection closes says "Connection: close" and no Keep-Alive; one after which it
//    stays open says "Keep-Alive: timeout=N", N being the idle timeout the reactor enforces, in
//    whole seconds rounded down (no "max": the mock has no cap on requests per connection). An
//    HTTP/1.0 client that asked for keep-alive is told it got it ("Connection: keep-alive"), as
//    such clients do not assume it. A "Connection: close" from any source (a fixture's headers
//    too) makes the connection close, so the head and the connection loop never disagree.
//  - A 1xx, 204 or 304 response has no content (RFC 9112 §6.3), and a 1xx or 204 must not carry
//    Content-Length (RFC 9110 §8.6): httplib's "Content-Length: 0" and any body go.
//  - A body without Content-Length (httplib writes its final answer to Expect: 100-continue that
//    way) gets one, so the client reads it by its length instead of waiting for the close.
// httplib calls its post-routing handler after adding its own headers and right before writing
// the head; ConnectionServer runs this there, after the server's handler. Working on httplib's
// Response rather than on the bytes it writes keeps httplib the one writer of the head.
#include <httplib.h>

#include <chrono>
#include <string>
#include <string_view>

#include "http/exchange_context.hpp"

namespace prm_mock {

// `keep_alive_value`: the Keep-Alive header of a response after which the connection stays open
// (keep_alive_header_value()). Sets `exchange.close_after_response` when the head says close.
void settle_response_head(const httplib::Request& request, httplib::Response& response,
                          ExchangeContext& exchange, std::string_view keep_alive_value);

// "timeout=N" for an idle timeout of N seconds and more: a client that counts on N idle seconds
// must not find the connection gone sooner.
std::string keep_alive_header_value(std::chrono::milliseconds idle_timeout);

}  // namespace prm_mock
