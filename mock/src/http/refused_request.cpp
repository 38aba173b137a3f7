#include "http/refused_request.hpp"

#include <string>

#include "http/header_lines.hpp"
#include "text/ascii_text.hpp"

namespace prm_mock {
namespace {

// The text up to `delimiter` (all of it when there is none); `text` keeps what follows it.
std::string_view take_until(std::string_view& text, std::string_view delimiters) {
  const std::size_t end = text.find_first_of(delimiters);
  const std::string_view taken = text.substr(0, end);
  text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
  return taken;
}

void read_request_line(std::string_view line, httplib::Request& request) {
  request.method = std::string(take_until(line, " "));
  request.target = std::string(take_until(line, " "));
  request.version = std::string(line);
  // The path as httplib would have decoded it, without query or fragment.
  const std::string_view target = request.target;
  request.path =
      httplib::detail::decode_url(std::string(target.substr(0, target.find_first_of("?#"))), false);
}

}  // namespace

std::optional<httplib::Request> readable_part_of_refused_head(std::string_view scanned_head,
                                                              const RequestHeadCheck& check) {
  if (!check.began_request_line()) return std::nullopt;
  httplib::Request request;
  const std::size_t failed_line = check.failed_line_start();
  std::string_view request_line = scanned_head.substr(check.leading_empty_line_bytes());
  if (check.header_lines_start() == 0) {
    // The request line failed: what of it came before the offending byte (a method and part of
    // a target tell the reader which request this was).
    request_line.remove_suffix(1);
    read_request_line(take_until(request_line, "\r\n"), request);
    return request;
  }
  read_request_line(take_until(request_line, "\r"), request);
  add_header_lines(
      scanned_head.substr(check.header_lines_start(), failed_line - check.header_lines_start()),
      request.headers);
  if (check.failed_in_header_value()) {
    // The offending header, up to the offending byte: the reader sees which header it was, and a
    // credential in it is redacted like any other.
    std::string_view line = scanned_head.substr(failed_line);
    line.remove_suffix(1);
    const std::string_view name = take_until(line, ":");
    request.headers.emplace(std::string(name),
                            std::string(trim_spaces_and_tabs(take_until(line, "\r"))));
  }
  return request;
}

httplib::Request request_line_only(std::string_view bytes) {
  httplib::Request request;
  const std::size_t line_end = bytes.find("\r\n");
  if (line_end != std::string_view::npos) read_request_line(bytes.substr(0, line_end), request);
  return request;
}

const char* refused_head_reason(int status) {
  switch (status) {
    case 414:
      return "URI Too Long";
    case 431:
      return "Request Header Fields Too Large";
    case 501:
      return "Not Implemented";
    default:
      return "Bad Request";
  }
}

}  // namespace prm_mock
