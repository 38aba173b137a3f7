// Binding the listening port: a port another server listens on is refused (never shared), a port
// just released binds again at once, and an IPv6 host gives URLs with brackets.
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <sstream>
#include <string>

#include "cli/health_command.hpp"
#include "hostile_checks.hpp"
#include "test_server.hpp"

using prm_mock::Config;
using prm_mock::PortInUseError;
using prm_mock::Server;
using prm_mock::testing::journal_total;
using prm_mock::testing::kValidBody;
using prm_mock::testing::quiet_config;
using prm_mock::testing::RunningServer;

namespace {

Config config_for_port(int port) {
  Config config = quiet_config();
  config.port = port;
  return config;
}

// The message of what bind() threw, and whether it was a PortInUseError; empty when it bound.
struct BindOutcome {
  bool port_in_use = false;
  std::string message;
};

BindOutcome bind_outcome(Server& server) {
  try {
    server.bind();
  } catch (const PortInUseError& error) {
    return {true, error.what()};
  } catch (const std::exception& error) {
    return {false, error.what()};
  }
  return {};
}

// Loopback IPv6 may be disabled (some containers); the IPv6 cases then have nothing to test.
bool ipv6_loopback_available() {
  const int probe = ::socket(AF_INET6, SOCK_STREAM, 0);
  if (probe < 0) return false;
  sockaddr_in6 address{};
  address.sin6_family = AF_INET6;
  address.sin6_addr = in6addr_loopback;
  const bool bound = ::bind(probe, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  ::close(probe);
  return bound;
}

}  // namespace

TEST_CASE("a second server on a served port refuses to start; the first gets every request") {
  RunningServer first;
  Server second(config_for_port(first.port()));
  const BindOutcome outcome = bind_outcome(second);
  CHECK(outcome.port_in_use);
  CHECK(outcome.message.find("port " + std::to_string(first.port()) + " is already in use") !=
        std::string::npos);
  CHECK(second.port() == -1);

  // Each publish on a new connection: had the second server bound the port too, the kernel would
  // hand some of these connections to it (where nobody accepts them) instead of the first.
  constexpr std::uint64_t kPublishes = 12;
  for (std::uint64_t i = 0; i < kPublishes; ++i) {
    const auto response = first.publish(kValidBody);
    REQUIRE(response);
    CHECK(response->status == 200);
  }
  CHECK(journal_total(first) == kPublishes);
}

TEST_CASE("a port is free again as soon as the server on it stopped") {
  int port = 0;
  {
    RunningServer earlier;
    port = earlier.port();
    // A closed connection leaves the port's side in TIME_WAIT: SO_REUSEADDR must still let it bind.
    REQUIRE(earlier.publish(kValidBody));
  }
  Server later(config_for_port(port));
  CHECK(later.bind() == port);
}

TEST_CASE("a host not on this machine is a plain start failure, not a busy port") {
  Config config = config_for_port(0);
  config.host = "203.0.113.7";  // TEST-NET-3: never assigned to a local interface
  Server server(config);
  const BindOutcome outcome = bind_outcome(server);
  CHECK_FALSE(outcome.port_in_use);
  CHECK(outcome.message.find("cannot listen on 203.0.113.7:0") != std::string::npos);
}

TEST_CASE("with an IPv6 host the base URL and the health probe URL put the address in brackets") {
  if (!ipv6_loopback_available()) {
    MESSAGE("IPv6 loopback unavailable: nothing to check");
    return;
  }
  Config config = config_for_port(0);
  config.host = "::1";
  Server server(config);
  const int port = server.start();
  CHECK(server.base_url() == "http://[::1]:" + std::to_string(port) + "/api");

  config.port = port;
  Server second(config);
  const BindOutcome outcome = bind_outcome(second);
  CHECK(outcome.port_in_use);
  CHECK(outcome.message.find("([::1]:" + std::to_string(port) + ")") != std::string::npos);

  CHECK(prm_mock::health_probe_url(config, {}) == "http://[::1]:" + std::to_string(port));
  std::ostringstream out;
  std::ostringstream err;
  CHECK(prm_mock::run_health_command(config, {}, out, err) == 0);
  CHECK(err.str().empty());
  server.stop();
}
