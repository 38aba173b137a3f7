#pragma once
// The Date header of a response made now. RFC 9110 §6.6.1: an origin server with a clock sends
// Date on every response (clients use it to judge a response's age and their own clock's skew).
// The text changes once a second while responses come thousands of times a second, so each thread
// formats it at most once per second and hands out its copy in between: no lock, no locale.
#include <string_view>

namespace prm_mock {

// The current time as an IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"). Valid until this thread
// calls again.
std::string_view http_date_now();

}  // namespace prm_mock
