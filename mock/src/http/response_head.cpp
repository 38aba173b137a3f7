#include "http/response_head.hpp"

#include "http/http_date.hpp"
#include "text/ascii_text.hpp"

namespace prm_mock {
namespace {

// RFC 9112 §6.3: the responses that never have content, whatever their headers say.
bool never_has_content(int status) { return status < 200 || status == 204 || status == 304; }

// RFC 9110 §8.6: Content-Length is forbidden on these; on a 304 it would have to repeat the
// length of the 200 it stands for, which httplib's "0" does not.
bool forbids_content_length(int status) { return status < 200 || status == 204; }

// Whether the client asked to end the connection, as httplib reads the request: its reading
// decides whether the connection loop keeps the connection (it reports it from
// process_request), so the head must say the same.
bool client_ends_connection(const httplib::Request& request) {
  const std::string connection = request.get_header_value("Connection");
  if (connection == "close") return true;
  return request.version == "HTTP/1.0" && connection != "Keep-Alive";
}

}  // namespace

void settle_response_head(const httplib::Request& request, httplib::Response& response,
                          ExchangeContext& exchange, std::string_view keep_alive_value) {
  if (!exchange.respond_at && !response.has_header("Date")) {
    response.set_header("Date", std::string(http_date_now()));
  }
  if (never_has_content(response.status)) {
    response.body.clear();
    if (forbids_content_length(response.status) ||
        response.get_header_value("Content-Length") == "0") {
      response.headers.erase("Content-Length");
    }
  } else if (!response.body.empty() && !response.has_header("Content-Length") &&
             !response.has_header("Transfer-Encoding")) {
    response.set_header("Content-Length", std::to_string(response.body.size()));
  }
  const bool closes = exchange.close_after_response || client_ends_connection(request) ||
                      equals_ignoring_case(response.get_header_value("Connection"), "close");
  response.headers.erase("Keep-Alive");
  response.headers.erase("Connection");
  if (closes) {
    exchange.close_after_response = true;
    response.set_header("Connection", "close");
    return;
  }
  response.set_header("Keep-Alive", std::string(keep_alive_value));
  if (request.version == "HTTP/1.0") response.set_header("Connection", "keep-alive");
}

std::string keep_alive_header_value(std::chrono::milliseconds idle_timeout) {
  return "timeout=" + std::to_string(idle_timeout.count() / 1000);
}

}  // namespace prm_mock
