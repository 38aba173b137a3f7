#pragma once
#include <cstdint>
#include <string>

namespace prm_mock {

// A random (version 4) UUID in canonical text form. Used for request ids and generated ids; a
// per-thread generator keeps it lock-free on the request path.
std::string new_uuid_v4();

// The version 4 UUID made of these 128 bits (6 of them overwritten by the version and variant),
// for UUIDs drawn from a seeded stream.
std::string uuid_v4_from_bits(std::uint64_t high, std::uint64_t low);

}  // namespace prm_mock
