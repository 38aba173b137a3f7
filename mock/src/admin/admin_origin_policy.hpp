#pragma once
// Keeps the admin API to its own origin. The journal holds what the developer's client published;
// a page open in the developer's browser must neither read it nor reset it. So under /__admin:
//  - no response grants CORS to every origin (the publish endpoint's "*" stops at /__admin);
//  - a request whose Origin is not the mock's own is refused, unless --admin-cors-origin lists
//    that origin, which is then granted CORS (echoed, with Vary: Origin);
//  - a POST or DELETE must carry "Content-Type: application/json" or an X-Requested-With header.
//    Neither can be sent cross-site without a CORS preflight, which only listed origins pass, so
//    no "simple request" (a form post, a fetch without custom headers) changes the mock's state,
//    even from a browser that sends no Origin. Only X-Requested-With counts, not any "X-" header:
//    a proxy in between may add X-Forwarded-For to a page's simple request.
#include <httplib.h>

#include <string>
#include <vector>

#include "http/exchange_context.hpp"
#include "http/http_authority.hpp"

namespace prm_mock {

enum class AdminOriginVerdict {
  Pass,           // on to the admin API
  Preflight,      // a listed origin's CORS preflight: answered 204 here
  ForeignOrigin,  // 403 ORIGIN_NOT_ALLOWED
  SimpleRequest,  // 403 ADMIN_HEADER_REQUIRED
};

class AdminOriginPolicy {
 public:
  // `cors_origins`: the --admin-cors-origin values; `serves_tls`: the mock's own scheme is https.
  AdminOriginPolicy(const std::vector<std::string>& cors_origins, bool serves_tls);

  AdminOriginVerdict judge(const httplib::Request& request) const;
  // Answers a verdict other than Pass.
  void answer(AdminOriginVerdict verdict, const httplib::Request& request,
              httplib::Response& response, ExchangeContext& exchange) const;
  // For every admin response: the CORS headers a listed origin gets, and none for anyone else.
  void add_cors_headers(const httplib::Request& request, httplib::Response& response) const;

 private:
  bool is_own_origin(const WebOrigin& origin, const httplib::Request& request) const;
  bool is_listed(const WebOrigin& origin) const;

  std::vector<WebOrigin> listed_;
  std::string own_scheme_;
};

}  // namespace prm_mock
