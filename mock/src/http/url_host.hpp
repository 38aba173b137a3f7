#pragma once
#include <string>
#include <string_view>

namespace prm_mock {

// The host part of a URL for a host given as --host takes it: an IPv6 literal gets the brackets a
// URL needs ("::1" -> "[::1]", or "http://::1:4010" would read as host ":" and port ":1:4010"),
// and a zone ("fe80::1%eth0") its '%' escaped as RFC 6874 asks. Names and IPv4 addresses, and a
// literal already in brackets, are returned unchanged.
std::string url_host(std::string_view host);

// "http://" or "https://", url_host(host), ':' and the port: how every printed URL starts.
std::string url_origin(bool tls, std::string_view host, int port);

}  // namespace prm_mock
