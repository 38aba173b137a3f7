#include "http/http_date.hpp"

#include <chrono>
#include <string>

#include "text/utc_time_text.hpp"

namespace prm_mock {

std::string_view http_date_now() {
  using namespace std::chrono;
  thread_local sys_seconds formatted_second{};
  thread_local std::string formatted;
  const auto now = floor<seconds>(system_clock::now());
  if (formatted.empty() || now != formatted_second) {
    formatted = format_imf_fixdate(now);
    formatted_second = now;
  }
  return formatted;
}

}  // namespace prm_mock
