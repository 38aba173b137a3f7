#include "publish/request_body_errors.hpp"

namespace prm_mock {

std::optional<ErrorDetails> body_read_error(RequestBody::Outcome outcome, const RequestBody& body,
                                            std::size_t limit, const std::string& what) {
  switch (outcome) {
    case RequestBody::Outcome::Complete:
      return std::nullopt;
    case RequestBody::Outcome::TooLarge:
      return ErrorDetails{
          413,
          "PAYLOAD_TOO_LARGE",
          what + " exceeds the limit of " + std::to_string(limit) + " bytes (--max-body-bytes)",
          {},
          -1};
    case RequestBody::Outcome::TimedOut:
      return ErrorDetails{408,
                          "REQUEST_TIMEOUT",
                          "the " + what +
                              " did not arrive in time (--request-timeout, or a pause "
                              "longer than --io-timeout)",
                          {},
                          -1};
    case RequestBody::Outcome::Broken:
      break;
  }
  return ErrorDetails{400,
                      "UNREADABLE_BODY",
                      body.framing_problem().empty()
                          ? "the " + what + " could not be read completely"
                          : body.framing_problem(),
                      {},
                      -1};
}

}  // namespace prm_mock
