#pragma once
// X-Mock-Violations / X-Mock-Warnings: the findings of a request that was let through, as compact
// JSON on one header line (non-ASCII escaped), bounded in size.
#include <string>

#include "diagnostics/violation.hpp"

namespace prm_mock {

// A JSON array of {pointer, keyword, message}; past `max_bytes` the remaining findings are replaced
// by one {"omitted": N} element.
std::string violations_header_value(const Violations& violations, std::size_t max_bytes = 4096);

}  // namespace prm_mock
