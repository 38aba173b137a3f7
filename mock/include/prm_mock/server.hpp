#pragma once
// prm_mock::Server: the mock, usable in-process from a C++ test (port 0 picks a free port) or
// through the prm-mock executable, which is a thin shell over this class.
#include <memory>
#include <stdexcept>
#include <string>

#include "prm_mock/config.hpp"

namespace prm_mock {

// Thrown by bind() and start() when another socket already listens on host:port. A Server never
// shares its port: two servers on one port would each get a random share of the connections.
class PortInUseError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Server {
 public:
  // Loads the contract (embedded, or config.contract_file) and compiles its schema; throws
  // std::runtime_error with a readable message when the configuration cannot be served.
  explicit Server(Config config);
  ~Server();  // stops and joins if still running
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds host:port (port 0 picks a free one) and returns the bound port. Throws PortInUseError
  // when another server listens there, std::runtime_error on any other failure.
  int bind();
  // Serves on the bound socket until stop(); blocks the calling thread.
  void serve();
  // bind() then serve() on a background thread; returns the bound port once it accepts connections.
  int start();
  // Stops accepting, lets in-flight requests finish, and returns when the serving thread is done.
  // Safe to call from any thread (including a signal-watching thread) and more than once.
  void stop();

  int port() const;
  // e.g. "http://127.0.0.1:4010/api", "http://[::1]:4010/api"
  std::string base_url() const;
  const Config& config() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace prm_mock
