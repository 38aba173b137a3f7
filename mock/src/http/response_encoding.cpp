#include "http/response_encoding.hpp"

#include <string>

#include "text/ascii_text.hpp"

namespace prm_mock {
namespace {

// httplib's own test of a response's type, asked with a request that accepts both encodings it
// writes: the list of compressible types stays httplib's.
const httplib::Request& request_accepting_compression() {
  static const httplib::Request accepting = [] {
    httplib::Request request;
    request.set_header("Accept-Encoding", "br, gzip");
    return request;
  }();
  return accepting;
}

bool varies_on_accept_encoding(const httplib::Response& response) {
  const auto [first, last] = response.headers.equal_range("Vary");
  for (auto vary = first; vary != last; ++vary) {
    const std::string lowered = lower_ascii(vary->second);
    if (lowered.find("accept-encoding") != std::string::npos || lowered == "*") return true;
  }
  return false;
}

}  // namespace

bool compressed_when_accepted(const httplib::Response& response) {
  return response.body.size() >= kMinBytesToCompress && !response.has_header("Content-Encoding") &&
         httplib::detail::encoding_type(request_accepting_compression(), response) !=
             httplib::detail::EncodingType::None;
}

void settle_content_encoding(httplib::Request& request, httplib::Response& response) {
  if (!compressed_when_accepted(response)) {
    request.headers.erase("Accept-Encoding");
    return;
  }
  // A second Vary line adds to the first (RFC 9110 §5.3): a fixture's own Vary stays.
  if (!varies_on_accept_encoding(response)) response.headers.emplace("Vary", "Accept-Encoding");
}

}  // namespace prm_mock
