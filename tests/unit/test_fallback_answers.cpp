// The answers the server gives itself outside the publish pipeline and the admin API, and the
// connection lines of /__admin/metrics.
#include <doctest/doctest.h>

#include <stdexcept>

#include "admin/metrics.hpp"
#include "server/fallback_answers.hpp"
#include "test_server.hpp"

using prm_mock::testing::parse;

namespace {

prm_mock::PublishRoute api_route() {
  return {"POST", "/api", "/registries/artifacts", "/api/registries/artifacts"};
}

httplib::Request request_for(const std::string& method, const std::string& path) {
  httplib::Request request;
  request.method = method;
  request.path = path;
  request.target = path;
  return request;
}

}  // namespace

TEST_CASE("fallback answers: the publish path only as sent, without an encoded slash") {
  const auto route = api_route();
  CHECK(route.has_path_of(request_for("GET", "/api/registries/artifacts")));
  httplib::Request encoded = request_for("POST", "/api/registries/artifacts");
  encoded.target = "/api%2Fregistries%2Fartifacts";
  CHECK_FALSE(route.has_path_of(encoded));
  CHECK_FALSE(route.has_path_of(request_for("POST", "/registries/artifacts")));
}

TEST_CASE("fallback answers: 404 names the path meant and the base path; 405 the method") {
  const auto route = api_route();
  prm_mock::ExchangeContext exchange;
  httplib::Response missed;
  answer_route_not_found(route, request_for("POST", "/registries/artifacts"), missed, exchange);
  CHECK(missed.status == 404);
  CHECK(exchange.error_code == "ROUTE_NOT_FOUND");
  const std::string message = parse(missed.body)["message"].GetString();
  CHECK(message.find("did you mean POST /api/registries/artifacts?") != std::string::npos);
  CHECK(message.find("(the base path is /api)") != std::string::npos);

  httplib::Response wrong;
  answer_method_not_allowed(route, request_for("GET", route.path), wrong, exchange);
  CHECK(wrong.status == 405);
  CHECK(wrong.get_header_value("Allow") == "POST");
  CHECK(exchange.error_code == "METHOD_NOT_ALLOWED");
}

TEST_CASE("fallback answers: an exception is a 500 that names it and closes the connection") {
  prm_mock::ExchangeContext exchange;
  exchange.request_id = "id-1";
  httplib::Response response;
  answer_internal_error(std::make_exception_ptr(std::runtime_error("disk on fire")), response,
                        exchange);
  CHECK(response.status == 500);
  CHECK(exchange.error_code == "INTERNAL_ERROR");
  CHECK(exchange.close_after_response);
  const auto body = parse(response.body);
  CHECK(std::string(body["message"].GetString()) == "the mock failed: disk on fire");
  CHECK(std::string(body["requestId"].GetString()) == "id-1");

  httplib::Response unknown;
  answer_internal_error(std::make_exception_ptr(42), unknown, exchange);
  CHECK(std::string(parse(unknown.body)["message"].GetString()) ==
        "the mock failed: unknown error");
}

TEST_CASE("fallback answers: a request httplib could not process keeps httplib's status") {
  prm_mock::ExchangeContext exchange;
  httplib::Response response;
  response.status = 416;
  answer_unprocessable_request(response, exchange);
  CHECK(response.status == 416);
  CHECK(exchange.error_code == "BAD_REQUEST");
  CHECK(std::string(parse(response.body)["code"].GetString()) == "BAD_REQUEST");
}

TEST_CASE("connection metrics: each figure under its Prometheus name") {
  const std::string text = prm_mock::connection_metrics_text({3, 4, 5, 6});
  CHECK(text.find("\nprm_mock_connections_open 3\n") != std::string::npos);
  CHECK(text.find("\nprm_mock_connections_refused_total 4\n") != std::string::npos);
  CHECK(text.find("\nprm_mock_request_heads_timed_out_total 5\n") != std::string::npos);
  CHECK(text.find("\nprm_mock_exchanges_waiting 6\n") != std::string::npos);
  CHECK(text.find("# TYPE prm_mock_connections_open gauge\n") != std::string::npos);
}
