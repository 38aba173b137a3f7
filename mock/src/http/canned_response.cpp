#include "http/canned_response.hpp"

#include <sys/socket.h>

#include "diagnostics/error_response.hpp"
#include "http/http_date.hpp"
#include "text/uuid.hpp"

namespace prm_mock {

std::string canned_error_response(int status, std::string_view reason, std::string_view code,
                                  std::string_view message) {
  return canned_error_response(status, reason, code, message, new_uuid_v4());
}

std::string canned_error_response(int status, std::string_view reason, std::string_view code,
                                  std::string_view message, std::string_view request_id) {
  const std::string body =
      error_body_json({status, std::string(code), std::string(message), {}, -1}, request_id);
  std::string response = "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason) + "\r\n";
  response += "Date: ";
  response += http_date_now();
  response += "\r\nContent-Type: application/json\r\n";
  response += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  response += "X-Request-Id: " + std::string(request_id) + "\r\n";
  response += "Connection: close\r\n\r\n";
  response += body;
  return response;
}

void send_without_blocking(int socket_fd, const std::string& bytes) {
  [[maybe_unused]] const ssize_t sent =
      ::send(socket_fd, bytes.data(), bytes.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
}

}  // namespace prm_mock
