#pragma once
// One admin request as its handler sees it, and the ways an admin route answers: JSON, or the one
// error body (error_response.hpp) with its code also set for the log line.
#include <httplib.h>
#include <rapidjson/document.h>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "diagnostics/error_response.hpp"
#include "http/exchange_context.hpp"
#include "publish/request_body.hpp"
#include "stubs/fixture_problem.hpp"

namespace prm_mock {

struct AdminCall {
  const httplib::Request& request;
  httplib::Response& response;
  RequestBody& body;
  ExchangeContext& exchange;
  // What stands for "{name}" (a fixture name, already checked) or "{id}" in the route's path,
  // else empty.
  std::string_view name;

  // The status stays as set: httplib's own default (200, or 206 for a Range) when it is not.
  void answer_json(const std::string& json) const;
  void answer_error(const ErrorDetails& error) const;
  void answer_error(int status, const char* code, std::string message) const;
  // 400 `code`, "`what` (N problems)", one violation per problem.
  void answer_problems(const char* code, const std::string& what,
                       const FixtureProblems& problems) const;

  // The body as text, under the API's media type and size limits (`what` names it in a 413);
  // nothing when it was refused, which is then answered.
  std::optional<std::string> read_json_text(std::size_t max_bytes, const std::string& what) const;
  // The same, parsed under the API's depth limit as well.
  std::shared_ptr<rapidjson::Document> read_json_body(std::size_t max_bytes,
                                                      std::size_t max_depth) const;
};

}  // namespace prm_mock
