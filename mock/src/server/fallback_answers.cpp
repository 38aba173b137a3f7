#include "server/fallback_answers.hpp"

#include "diagnostics/error_response.hpp"
#include "http/request_target.hpp"
#include "server/route_hint.hpp"

namespace prm_mock {

bool PublishRoute::has_path_of(const httplib::Request& request) const {
  return request.path == path && !has_encoded_slash(request.target);
}

void answer_preflight(const PublishRoute& route, httplib::Response& response) {
  response.status = 204;
  response.set_header("Access-Control-Allow-Methods", route.method);
  response.set_header("Access-Control-Allow-Headers",
                      "Content-Type, X-API-Key, Authorization, Prefer");
  response.set_header("Access-Control-Max-Age", "600");
}

void answer_method_not_allowed(const PublishRoute& route, const httplib::Request& request,
                               httplib::Response& response, ExchangeContext& exchange) {
  exchange.error_code = "METHOD_NOT_ALLOWED";
  response.set_header("Allow", route.method);
  set_error_response(response,
                     {405,
                      "METHOD_NOT_ALLOWED",
                      request.method + " is not allowed on " + route.path + "; use " + route.method,
                      {},
                      -1},
                     exchange.request_id);
}

void answer_route_not_found(const PublishRoute& route, const httplib::Request& request,
                            httplib::Response& response, ExchangeContext& exchange) {
  exchange.error_code = "ROUTE_NOT_FOUND";
  const std::string meant = probable_path(request.path, route.path, route.operation_path);
  std::string message = "no route for " + request.method + " " + request.path + "; ";
  if (!meant.empty()) {
    message += "did you mean " + route.method + " " + meant + "?";
    if (!route.base_path.empty() && !request.path.starts_with(route.base_path)) {
      message += " (the base path is " + route.base_path + ")";
    }
  } else {
    message +=
        "this mock serves " + route.method + " " + route.path + " and the admin API under /__admin";
  }
  set_error_response(response, {404, "ROUTE_NOT_FOUND", message, {}, -1}, exchange.request_id);
}

void answer_unprocessable_request(httplib::Response& response, ExchangeContext& exchange) {
  exchange.error_code = "BAD_REQUEST";
  set_error_response(response,
                     {response.status,
                      "BAD_REQUEST",
                      "the request could not be processed as HTTP (status " +
                          std::to_string(response.status) + ")",
                      {},
                      -1},
                     exchange.request_id);
}

void answer_internal_error(std::exception_ptr error, httplib::Response& response,
                           ExchangeContext& exchange) {
  std::string what = "unknown error";
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& exception) {
    what = exception.what();
  } catch (...) {
  }
  exchange.error_code = "INTERNAL_ERROR";
  exchange.close_after_response = true;
  set_error_response(response, {500, "INTERNAL_ERROR", "the mock failed: " + what, {}, -1},
                     exchange.request_id);
}

}  // namespace prm_mock
