#pragma once
// Whole HTTP responses written by the connection layer itself, outside httplib: refusing a
// connection over the cap, giving up on a request head that never finished, refusing a malformed
// one, and answering plain HTTP on the HTTPS port. Same JSON error body as every other error, a
// Date like every other response, and always "Connection: close".
#include <string>
#include <string_view>

namespace prm_mock {

std::string canned_error_response(int status, std::string_view reason, std::string_view code,
                                  std::string_view message, std::string_view request_id);
// With a fresh request id.
std::string canned_error_response(int status, std::string_view reason, std::string_view code,
                                  std::string_view message);

// Best effort, never blocking: the socket is fresh or drained, so a small response fits its buffer.
void send_without_blocking(int socket_fd, const std::string& bytes);

}  // namespace prm_mock
