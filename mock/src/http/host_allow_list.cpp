#include "http/host_allow_list.hpp"

#include <algorithm>

#include "diagnostics/error_response.hpp"
#include "http/http_authority.hpp"

namespace prm_mock {
namespace {

// The --host value as a Host header would carry it: IPv6 addresses in brackets.
std::string as_host_name(std::string_view listen_host) {
  const bool bare_ipv6 =
      listen_host.find(':') != std::string_view::npos && !listen_host.starts_with('[');
  const auto authority =
      parse_authority(bare_ipv6 ? "[" + std::string(listen_host) + "]" : std::string(listen_host));
  return authority ? authority->host : std::string();
}

// 0.0.0.0 and :: mean "every interface": no client names them, so they are no Host to answer.
std::string specific_address(std::string host) {
  return host == "0.0.0.0" || host == "[::]" ? std::string() : host;
}

bool names_this_machine(const std::string& host) {
  return host == "localhost" || host == "[::1]" || is_ipv4_loopback(host);
}

}  // namespace

bool is_loopback_listen_address(std::string_view listen_host) {
  return names_this_machine(as_host_name(listen_host));
}

HostAllowList::HostAllowList(std::string_view listen_host, const std::vector<std::string>& aliases)
    : every_host_(aliases.empty() && !is_loopback_listen_address(listen_host)),
      listen_host_(specific_address(as_host_name(listen_host))) {
  for (const std::string& alias : aliases) {
    if (const auto authority = parse_authority(alias)) aliases_.push_back(authority->host);
  }
}

bool HostAllowList::allows(std::string_view host_header) const {
  if (every_host_) return true;
  const auto authority = parse_authority(host_header);
  if (!authority) return false;
  const std::string& host = authority->host;
  return names_this_machine(host) || (!listen_host_.empty() && host == listen_host_) ||
         std::find(aliases_.begin(), aliases_.end(), host) != aliases_.end();
}

bool HostAllowList::allows(const httplib::Request& request) const {
  return every_host_ || !request.has_header("Host") ||
         allows(std::string_view(request.get_header_value("Host")));
}

void HostAllowList::answer_refusal(const httplib::Request& request, httplib::Response& response,
                                   ExchangeContext& exchange) const {
  const std::string given = request.get_header_value("Host");
  std::string answered = "localhost, 127.0.0.0/8, [::1]";
  if (!listen_host_.empty() && !names_this_machine(listen_host_)) answered += ", " + listen_host_;
  for (const std::string& alias : aliases_) answered += ", " + alias;
  std::string message = "Host '" + given + "' is not allowed: this mock answers only " + answered +
                        " (so that no web page can reach it by DNS rebinding); ";
  if (const auto authority = parse_authority(given)) {
    message += "to allow this name, start it with --allowed-host " + authority->host +
               " (env PRM_MOCK_ALLOWED_HOSTS)";
  } else {
    message += "this Host is not host[:port]";
  }
  exchange.error_code = "HOST_NOT_ALLOWED";
  set_error_response(response, {403, "HOST_NOT_ALLOWED", message, {}, -1}, exchange.request_id);
}

}  // namespace prm_mock
