#pragma once
// How much of a request's body the connection loop reads before a worker takes the request, so
// that a client uploading slowly costs no worker. Only a body whose length the head states plainly
// (one Content-Length, no Transfer-Encoding, no Expect) and that is small enough is read ahead;
// any other request goes to a worker as soon as its head is whole, and the worker reads the body
// (a chunked or 100-continue body, framing the body reader refuses, a body over the bound).
#include <cstddef>
#include <string_view>

namespace prm_mock {

// Request bodies up to this size are read ahead; the buffer holding one is given back once the
// request is answered.
inline constexpr std::size_t kMaxBodyReadAhead = 1024 * 1024;

// `header_lines`: the head's header lines, each ending in CRLF, already checked by
// RequestHeadCheck. The body's length when it is to be read ahead, else 0.
std::size_t body_bytes_to_read_ahead(std::string_view header_lines);

}  // namespace prm_mock
