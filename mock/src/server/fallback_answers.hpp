#pragma once
// What the server answers itself, outside the publish pipeline and the admin API: another method
// on the publish path (405, or the CORS preflight), any other path (404, naming the path the
// client probably meant), a request httplib could not process, and an exception out of a handler
// (500). Errors use error_response.hpp's body and set the exchange's error code for the log line.
#include <httplib.h>

#include <exception>
#include <string>

#include "http/exchange_context.hpp"

namespace prm_mock {

// The one API route this mock serves: the contract's method on base path + operation path.
struct PublishRoute {
  std::string method;          // e.g. "POST"
  std::string base_path;       // e.g. "/api"; empty when there is none
  std::string operation_path;  // the contract's, e.g. "/registries/artifacts"
  std::string path;            // base_path + operation_path

  // Whether `request` is for this route's path, whatever its method. httplib decodes %2F into '/'
  // before routing, but the real API's router sees an encoded slash as part of one segment:
  // "/api%2Fregistries%2Fartifacts" is not the publish route there, nor here.
  bool has_path_of(const httplib::Request& request) const;
};

void answer_preflight(const PublishRoute& route, httplib::Response& response);
void answer_method_not_allowed(const PublishRoute& route, const httplib::Request& request,
                               httplib::Response& response, ExchangeContext& exchange);
void answer_route_not_found(const PublishRoute& route, const httplib::Request& request,
                            httplib::Response& response, ExchangeContext& exchange);

// BAD_REQUEST with the status httplib chose (a second '?' in the target, a Range it cannot parse).
void answer_unprocessable_request(httplib::Response& response, ExchangeContext& exchange);
// 500 INTERNAL_ERROR naming the exception; the connection closes, as the body may be half read.
void answer_internal_error(std::exception_ptr error, httplib::Response& response,
                           ExchangeContext& exchange);

}  // namespace prm_mock
