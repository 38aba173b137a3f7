#include "admin/admin_call.hpp"

#include "http/media_type.hpp"
#include "publish/json_body.hpp"
#include "publish/request_body_errors.hpp"

namespace prm_mock {
namespace {

Violations fixture_problems_as_violations(const FixtureProblems& problems) {
  Violations violations;
  for (const auto& problem : problems) {
    violations.push_back({"body", problem.field, "fixture", problem.file + ": " + problem.message});
  }
  return violations;
}

}  // namespace

void AdminCall::answer_json(const std::string& json) const {
  response.set_content(json, "application/json");
}

void AdminCall::answer_error(const ErrorDetails& error) const {
  exchange.error_code = error.code;
  set_error_response(response, error, exchange.request_id);
}

void AdminCall::answer_error(int status, const char* code, std::string message) const {
  answer_error({status, code, std::move(message), {}, -1});
}

void AdminCall::answer_problems(const char* code, const std::string& what,
                                const FixtureProblems& problems) const {
  answer_error({400, code,
                what + " (" + std::to_string(problems.size()) + " problem" +
                    (problems.size() == 1 ? "" : "s") + ")",
                fixture_problems_as_violations(problems), -1});
}

std::optional<std::string> AdminCall::read_json_text(std::size_t max_bytes,
                                                     const std::string& what) const {
  if (const std::string problem = json_media_type_problem(request.get_header_value("Content-Type"));
      !problem.empty()) {
    body.discard(max_bytes);
    answer_error(415, "UNSUPPORTED_MEDIA_TYPE", problem);
    return std::nullopt;
  }
  std::string text;
  if (const auto error = body_read_error(body.read(text, max_bytes), body, max_bytes, what)) {
    answer_error(*error);
    return std::nullopt;
  }
  return text;
}

std::shared_ptr<rapidjson::Document> AdminCall::read_json_body(std::size_t max_bytes,
                                                               std::size_t max_depth) const {
  const auto text = read_json_text(max_bytes, "admin request body");
  if (!text) return nullptr;
  auto document = std::make_shared<rapidjson::Document>();
  if (const auto error = parse_json_body(*text, *document, max_depth)) {
    answer_error({400, error->code, error->message, {}, static_cast<long long>(error->offset)});
    return nullptr;
  }
  return document;
}

}  // namespace prm_mock
