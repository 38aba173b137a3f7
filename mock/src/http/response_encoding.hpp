#pragma once
// Compression only where it pays, and Vary where the encoding depends on the request.
//
// httplib 0.11.4 compresses inside its writer: every body of a type it deems compressible
// (text/*, JSON, XML, JavaScript, SVG), for any client whose Accept-Encoding names br or gzip,
// whatever the body's size, and it never sends Vary. A body under kMinBytesToCompress goes out in
// one TCP segment either way (with its head, under a 1460-byte segment), so compressing it saves no
// round trip, and saves few bytes (gzip made a 197-byte error 191 bytes, brotli 168); yet it costs
// CPU on both ends: brotli at httplib's quality 11 took over a millisecond for that error (on a
// busy 2-core machine, where the mock's whole handling of the request took about 0.1 ms). So a
// smaller body is sent as it is, to every client alike; a larger one is compressed for clients that
// accept it, and says "Vary: Accept-Encoding" to every client (RFC 9110 §12.5.5), so a cache in
// between does not hand a compressed copy to a client that cannot read it.
//
// httplib decides from the request's Accept-Encoding after our handler returns and before its
// post-routing handler runs, and has no option for it: the one lever is that header. So
// settle_content_encoding() removes it from the request httplib is about to answer, when the body
// is to stay as it is. By then the request has been journaled and matched; only httplib's writer
// reads it afterwards.
#include <httplib.h>

#include <cstddef>

namespace prm_mock {

inline constexpr std::size_t kMinBytesToCompress = 1024;

// Whether httplib compresses `response` for a client that accepts br or gzip, and it pays: a type
// httplib compresses, at least kMinBytesToCompress bytes, not encoded already.
bool compressed_when_accepted(const httplib::Response& response);

// For a response its handler has finished: either it is compressed when accepted and says Vary:
// Accept-Encoding, or `request`'s Accept-Encoding is removed so that httplib sends it as it is.
void settle_content_encoding(httplib::Request& request, httplib::Response& response);

}  // namespace prm_mock
