#pragma once
// Waits a handler may do on its connection's thread (fixture delays, the timeout fault) without
// holding up shutdown: both end as soon as the server starts shutting down.
#include <chrono>

namespace prm_mock {

// Sleeps for `duration`, or less if the server shuts down meanwhile.
void wait_unless_shutting_down(std::chrono::milliseconds duration);

// Holds the current connection open until the client closes it, the server shuts down, or `cap`
// passes, whichever comes first.
void wait_for_client_to_give_up(std::chrono::milliseconds cap);

}  // namespace prm_mock
