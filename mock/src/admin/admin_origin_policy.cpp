#include "admin/admin_origin_policy.hpp"

#include <algorithm>

#include "diagnostics/error_response.hpp"
#include "http/media_type.hpp"

namespace prm_mock {
namespace {

constexpr const char* kAdminPreflightMethods = "GET, POST, DELETE";
constexpr const char* kAdminPreflightHeaders = "Content-Type, Authorization, X-Requested-With";

bool changes_state(const std::string& method) { return method == "POST" || method == "DELETE"; }

// A header a page can set only after a CORS preflight, so its presence proves there was one (or
// that no browser sent the request).
bool carries_preflighted_header(const httplib::Request& request) {
  return request.has_header("X-Requested-With") ||
         (request.has_header("Content-Type") &&
          json_media_type_problem(request.get_header_value("Content-Type")).empty());
}

}  // namespace

AdminOriginPolicy::AdminOriginPolicy(const std::vector<std::string>& cors_origins, bool serves_tls)
    : own_scheme_(serves_tls ? "https" : "http") {
  for (const std::string& text : cors_origins) {
    if (const auto origin = parse_web_origin(text)) listed_.push_back(*origin);
  }
}

// Same origin: the page was loaded from this mock under the name the request is addressed to. The
// Host has passed the allow-list by then, so a rebinding page cannot pose as its own origin.
bool AdminOriginPolicy::is_own_origin(const WebOrigin& origin,
                                      const httplib::Request& request) const {
  if (!request.has_header("Host")) return false;
  const auto host = parse_authority(request.get_header_value("Host"));
  if (!host) return false;
  const int default_port = own_scheme_ == "https" ? 443 : 80;
  return origin.scheme == own_scheme_ && origin.host == host->host &&
         origin.port == host->port.value_or(default_port);
}

bool AdminOriginPolicy::is_listed(const WebOrigin& origin) const {
  return std::find(listed_.begin(), listed_.end(), origin) != listed_.end();
}

AdminOriginVerdict AdminOriginPolicy::judge(const httplib::Request& request) const {
  if (request.has_header("Origin")) {
    const auto origin = parse_web_origin(request.get_header_value("Origin"));
    const bool listed = origin && is_listed(*origin);
    if (!listed && !(origin && is_own_origin(*origin, request))) {
      return AdminOriginVerdict::ForeignOrigin;
    }
    if (listed && request.method == "OPTIONS" &&
        request.has_header("Access-Control-Request-Method")) {
      return AdminOriginVerdict::Preflight;
    }
  }
  if (changes_state(request.method) && !carries_preflighted_header(request)) {
    return AdminOriginVerdict::SimpleRequest;
  }
  return AdminOriginVerdict::Pass;
}

void AdminOriginPolicy::answer(AdminOriginVerdict verdict, const httplib::Request& request,
                               httplib::Response& response, ExchangeContext& exchange) const {
  if (verdict == AdminOriginVerdict::Preflight) {
    response.status = 204;
    response.set_header("Access-Control-Allow-Methods", kAdminPreflightMethods);
    response.set_header("Access-Control-Allow-Headers", kAdminPreflightHeaders);
    response.set_header("Access-Control-Max-Age", "600");
    return;
  }
  ErrorDetails error{403, "", "", {}, -1};
  if (verdict == AdminOriginVerdict::ForeignOrigin) {
    const std::string origin = request.get_header_value("Origin");
    error.code = "ORIGIN_NOT_ALLOWED";
    error.message = "the admin API answers only its own origin, not Origin '" + origin +
                    "'; to let pages from that origin use it, start the mock with "
                    "--admin-cors-origin " +
                    (parse_web_origin(origin) ? origin : std::string("ORIGIN")) +
                    " (env PRM_MOCK_ADMIN_CORS_ORIGINS)";
  } else {
    error.code = "ADMIN_HEADER_REQUIRED";
    error.message = request.method + " " + request.path +
                    " needs 'Content-Type: application/json' or an 'X-Requested-With' header, "
                    "which no web page can send cross-site (e.g. curl -X " +
                    request.method + " -H 'Content-Type: application/json' ...)";
  }
  exchange.error_code = error.code;
  set_error_response(response, error, exchange.request_id);
}

void AdminOriginPolicy::add_cors_headers(const httplib::Request& request,
                                         httplib::Response& response) const {
  if (!request.has_header("Origin")) return;
  const std::string origin_text = request.get_header_value("Origin");
  const auto origin = parse_web_origin(origin_text);
  if (!origin || !is_listed(*origin)) return;
  response.set_header("Access-Control-Allow-Origin", origin_text);
  response.set_header("Vary", "Origin");
  response.set_header("Access-Control-Expose-Headers", "X-Request-Id");
}

}  // namespace prm_mock
