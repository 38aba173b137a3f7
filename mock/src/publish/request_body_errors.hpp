#pragma once
// The answer to a request body that could not be read whole, the same on the publish route and the
// admin API: 413 over the limit, 408 when it stopped arriving in time, 400 when its framing is
// broken.
#include <cstddef>
#include <optional>
#include <string>

#include "diagnostics/error_response.hpp"
#include "publish/request_body.hpp"

namespace prm_mock {

// Nothing for Outcome::Complete. `what` names the body in the 413 message ("request body").
std::optional<ErrorDetails> body_read_error(RequestBody::Outcome outcome, const RequestBody& body,
                                            std::size_t limit, const std::string& what);

}  // namespace prm_mock
