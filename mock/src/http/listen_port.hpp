#pragma once
#include <string>

namespace prm_mock {

// The options of the server's listening socket (cpp-httplib's set_socket_options). SO_REUSEADDR
// only: a restarted server binds while connections of the one before are in TIME_WAIT, but not
// while another socket listens on the port. httplib's default, SO_REUSEPORT, lets a second server
// bind the same port, and the kernel then splits the connections between the two, so each
// journal holds a random part of the requests.
void set_listen_socket_options(int socket);

// Why host:port cannot be bound, found by trying it again on a socket of our own: cpp-httplib's
// bind_to_port() only says false, and errno after it is whatever its last clean-up call left.
// Throws PortInUseError when another socket listens there (EADDRINUSE), else std::runtime_error
// naming the cause (an address not on this machine, a privileged port, a name that does not
// resolve). Call it only after a bind failed.
[[noreturn]] void throw_bind_failure(const std::string& host, int port);

}  // namespace prm_mock
