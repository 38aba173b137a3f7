#pragma once
// One client TCP connection driven byte by byte, for tests of connection handling (slow clients,
// limits, keep-alive) that httplib's client cannot express. Closed by its destructor.
#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace prm_mock::testing {

class RawConnection {
 public:
  explicit RawConnection(int port);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  // False once the server has closed or reset the connection.
  bool send(const std::string& bytes);
  // Everything until one complete response (Content-Length framing) or until the server closes,
  // waiting at most `limit` for each piece; empty when nothing came.
  std::string read_response(std::chrono::milliseconds limit = std::chrono::seconds(10));
  // The same, noting when each receive returned and how many bytes it brought.
  struct TimedRead {
    std::chrono::steady_clock::time_point at;
    std::size_t bytes = 0;
  };
  std::string read_response(std::chrono::milliseconds limit, std::vector<TimedRead>& reads);
  // Waits up to `limit` for the server to close the connection (EOF or reset); any bytes that
  // arrive first are appended to `received`.
  bool wait_closed_by_server(std::chrono::milliseconds limit, std::string* received = nullptr);

 private:
  int fd_ = -1;
  std::string pending_;  // bytes read beyond the last whole response
};

// The publish request with the valid body, keep-alive unless `close` is set.
std::string publish_request(bool close = false);
int status_of(const std::string& response);

}  // namespace prm_mock::testing
