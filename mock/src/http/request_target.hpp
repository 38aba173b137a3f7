#pragma once
// The request target as the client sent it. httplib percent-decodes request.path before routing;
// what the decoding hides (an encoded slash) is read from request.target.
#include <string_view>

namespace prm_mock {

// The target without its query: "/a%2Fb?x=1" -> "/a%2Fb".
std::string_view target_path(std::string_view target);

// Whether the path of `target` (before any '?') holds an encoded slash, "%2F" in either case.
// Decoded, it would act as a separator: "/__admin%2Freset" would route as "/__admin/reset". An
// encoded slash is data, never structure (RFC 3986 §2.2), so no route takes one as a separator.
bool has_encoded_slash(std::string_view target);

}  // namespace prm_mock
