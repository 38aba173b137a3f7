#include "http/header_lines.hpp"

#include <string>

#include "http/connection_pseudo_headers.hpp"

namespace prm_mock {

void add_header_lines(std::string_view lines, httplib::Headers& headers) {
  for_each_header_line(lines, [&](std::string_view name, std::string_view value) {
    headers.emplace(std::string(name), std::string(value));
    return true;
  });
}

void restore_header_values_as_sent(std::string_view lines, httplib::Request& request) {
  httplib::Headers as_sent;
  add_header_lines(lines, as_sent);
  for (const std::string_view address : kConnectionPseudoHeaders) {
    const auto [first, last] = request.headers.equal_range(std::string(address));
    as_sent.insert(first, last);
  }
  request.headers = std::move(as_sent);
}

}  // namespace prm_mock
