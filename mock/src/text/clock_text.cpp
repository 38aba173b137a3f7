#include "text/clock_text.hpp"

#include <chrono>

#include "text/utc_time_text.hpp"

namespace prm_mock {

std::string utc_timestamp_now() { return format_utc_rfc3339_ms(std::chrono::system_clock::now()); }

}  // namespace prm_mock
