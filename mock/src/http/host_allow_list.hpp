#pragma once
// Which Host headers the mock answers: its defence against DNS rebinding. A web page whose own name
// re-resolves to 127.0.0.1 reaches a local server as "same-origin", where CORS never applies; the
// one thing it cannot change is the Host header, which still names the attacker's domain. So a
// mock listening on a loopback address answers only the names that mean "this machine" (localhost,
// 127.0.0.0/8, [::1]) and the aliases given with --allowed-host. Listening on any other address
// (the container's 0.0.0.0) means clients come from elsewhere under names the mock cannot know:
// every Host is answered then, unless --allowed-host names them.
#include <httplib.h>

#include <string>
#include <string_view>
#include <vector>

#include "http/exchange_context.hpp"

namespace prm_mock {

// Whether `listen_host` (--host) is a loopback address: "localhost", 127.0.0.0/8 or ::1.
bool is_loopback_listen_address(std::string_view listen_host);

class HostAllowList {
 public:
  // `listen_host`: the address the mock listens on (--host); `aliases`: the --allowed-host names.
  HostAllowList(std::string_view listen_host, const std::vector<std::string>& aliases);

  // Whether a request with this Host header value is answered, whatever its port.
  bool allows(std::string_view host_header) const;
  // A request without a Host header (HTTP/1.0) is answered: browsers always send one.
  bool allows(const httplib::Request& request) const;

  // 403 HOST_NOT_ALLOWED, saying which names are answered and how to add this one.
  void answer_refusal(const httplib::Request& request, httplib::Response& response,
                      ExchangeContext& exchange) const;

 private:
  bool every_host_ = false;
  std::string listen_host_;           // the --host address, always answered (a probe by address)
  std::vector<std::string> aliases_;  // lower case, as parse_authority gives them
};

}  // namespace prm_mock
