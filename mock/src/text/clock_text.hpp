#pragma once
#include <string>

namespace prm_mock {

// The current time as RFC 3339 UTC with milliseconds, e.g. "2026-11-29T03:04:05.678Z".
std::string utc_timestamp_now();

}  // namespace prm_mock
