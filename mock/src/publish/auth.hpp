#pragma once
// Step 2 of the pipeline: which API key a request presents, and whether it is accepted.
#include <httplib.h>

#include <optional>
#include <string>
#include <vector>

namespace prm_mock {

struct AuthOutcome {
  bool accepted = false;
  std::string key;      // the presented key (never logged or journaled as is)
  std::string problem;  // why it was refused, phrased for the client; empty when accepted
};

// The key comes in X-API-Key, or as "Authorization: Bearer <key>"; when both are present X-API-Key
// wins. With `allowed_keys` empty any non-empty key is accepted, otherwise only those keys.
AuthOutcome authenticate(const httplib::Headers& headers,
                         const std::vector<std::string>& allowed_keys);

}  // namespace prm_mock
