#pragma once
// The head of an event stream's response (text/event-stream). httplib would frame a response by
// its length; a stream has none and runs until the connection closes, so its head is written
// here, from the headers the handlers gave httplib's response (X-Request-Id, CORS), with those
// that describe a framed body left out.
#include <httplib.h>

#include <string>

namespace prm_mock {

// "HTTP/1.1 200 OK", Date, Content-Type: text/event-stream, Cache-Control: no-store,
// X-Accel-Buffering: no (proxies must not buffer it), Connection: close, then `response`'s other
// headers, and the blank line. No Content-Length, no chunking.
std::string event_stream_head(const httplib::Response& response);

// The first bytes of the stream's body: how long the client waits before reconnecting.
std::string event_stream_preamble();

}  // namespace prm_mock
