#pragma once
// One exchange with a server on 127.0.0.1 over a fresh TCP connection, bounded in time so that no
// fuzz input can hang its target: whatever the server does, the call returns by the deadline.
#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

namespace prm_mock::fuzzing {

struct ExchangeResult {
  bool connected = false;
  int local_port = 0;             // the client end's port, to find the server's end in /proc
  std::size_t sent = 0;           // bytes of the input the server took before the end
  bool closed_by_server = false;  // false: the deadline passed first
  // The client's descriptor stopped being open while in use: something else in this process (the
  // in-process server) closed a descriptor number it no longer owned.
  bool descriptor_closed_under_us = false;
  std::string received;
};

// Sends `bytes`, half-closes the connection (the server sees end of input, so a request cut short
// cannot keep it waiting), and reads until the server closes or `deadline` has passed.
ExchangeResult exchange(int port, std::string_view bytes, std::chrono::milliseconds deadline);

}  // namespace prm_mock::fuzzing
