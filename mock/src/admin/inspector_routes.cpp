// The request inspector page: GET /__admin/ (and /__admin/ui) and its script and style. They hold
// no data, so they are open without --admin-token; the page's own calls to the admin API send the
// token the user entered. Every value the page shows is inserted as text, and the headers below
// make the browser hold it to that: no inline script or style, nothing loaded from elsewhere, no
// framing, no guessing of types.
#include <string_view>

#include "admin/admin_call.hpp"
#include "admin/admin_endpoints.hpp"
#include "admin/inspector_page_files.hpp"

namespace prm_mock {
namespace {

constexpr const char* kInspectorContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

void answer_inspector_file(AdminCall& call, std::string_view path, const char* content_type) {
  for (const EmbeddedFile& file : inspector_page_files()) {
    if (file.path != path) continue;
    httplib::Response& response = call.response;
    response.set_header("Content-Security-Policy", kInspectorContentSecurityPolicy);
    response.set_header("X-Content-Type-Options", "nosniff");
    response.set_header("Referrer-Policy", "no-referrer");
    // Revalidated on every load: a rebuilt binary serves a new page at the same URL.
    response.set_header("Cache-Control", "no-cache");
    response.set_content(std::string(file.content), content_type);
    return;
  }
  // Only a build that lost a file of mock/ui gets here.
  call.answer_error(500, "INTERNAL_ERROR", std::string(path) + " is not compiled into this build");
}

}  // namespace

void AdminEndpoints::inspector_html(AdminCall& call) const {
  answer_inspector_file(call, "mock/ui/index.html", "text/html; charset=utf-8");
}

void AdminEndpoints::inspector_script(AdminCall& call) const {
  answer_inspector_file(call, "mock/ui/app.js", "text/javascript; charset=utf-8");
}

void AdminEndpoints::inspector_style(AdminCall& call) const {
  answer_inspector_file(call, "mock/ui/app.css", "text/css; charset=utf-8");
}

}  // namespace prm_mock
