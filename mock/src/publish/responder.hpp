#pragma once
// Step 7 of the pipeline as a seam: who answers a request that passed steps 1-6. Serving uses the
// fixtures; record mode forwards to the real API instead.
#include <httplib.h>
#include <rapidjson/document.h>

#include <string>

#include "http/exchange_context.hpp"

namespace prm_mock {

class Responder {
 public:
  virtual ~Responder() = default;
  // Fills `response` for a request whose body (`body_text`, parsed as `body`) passed validation,
  // and tells the connection loop in `exchange` how to deliver it (a delay, a fault). Runs on a
  // worker and should not wait: a delay is the loop's to keep (ExchangeContext::delay_response).
  virtual void respond(const httplib::Request& request, const std::string& body_text,
                       const rapidjson::Value& body, httplib::Response& response,
                       ExchangeContext& exchange) const = 0;
};

}  // namespace prm_mock
