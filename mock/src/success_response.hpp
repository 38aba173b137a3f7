#pragma once
// The answer to a valid publish until the fixture engine decides responses: 200 with a JSON body
// that echoes the published identity. This is the one place the fixture engine replaces.
#include <string>

#include <rapidjson/document.h>

namespace prm_mock {

// {"id", "registryRef", "prompt", "version", "model", "hash", "publishedAt"}; a field missing from
// the request (possible under --validation warn|off) is echoed as null.
std::string success_body_json(const rapidjson::Value& request_body);

}  // namespace prm_mock
