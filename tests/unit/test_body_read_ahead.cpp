#include <doctest/doctest.h>

#include <string>

#include "http/body_read_ahead.hpp"

using prm_mock::body_bytes_to_read_ahead;
using prm_mock::kMaxBodyReadAhead;

TEST_CASE("body read-ahead: only a plainly stated, bounded Content-Length is read ahead") {
  CHECK(body_bytes_to_read_ahead("Host: x\r\nContent-Length: 120\r\n") == 120);
  CHECK(body_bytes_to_read_ahead("content-LENGTH:\t7 \r\n") == 7);
  CHECK(body_bytes_to_read_ahead("Host: x\r\n") == 0);
  CHECK(body_bytes_to_read_ahead("Content-Length: " + std::to_string(kMaxBodyReadAhead) + "\r\n") ==
        kMaxBodyReadAhead);
  // Left to the worker, which reads (or refuses) such bodies itself.
  CHECK(body_bytes_to_read_ahead("Content-Length: " + std::to_string(kMaxBodyReadAhead + 1) +
                                 "\r\n") == 0);
  CHECK(body_bytes_to_read_ahead("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n") == 0);
  CHECK(body_bytes_to_read_ahead("Content-Length: 5\r\nExpect: 100-continue\r\n") == 0);
  CHECK(body_bytes_to_read_ahead("Content-Length: 5\r\nContent-Length: 5\r\n") == 0);
  CHECK(body_bytes_to_read_ahead("Content-Length: 5x\r\n") == 0);
  CHECK(body_bytes_to_read_ahead("Content-Length: -5\r\n") == 0);
  CHECK(body_bytes_to_read_ahead("Content-Length: \r\n") == 0);
}
