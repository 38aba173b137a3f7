#pragma once
// Step 7 of the pipeline as a seam: who answers a request that passed steps 1-6. Serving uses the
// fixtures; record mode forwards to the real API instead.
#include <httplib.h>
#include <rapidjson/document.h>

#include <string>

namespace prm_mock {

class Responder {
 public:
  virtual ~Responder() = default;
  // Fills `response` for a request whose body (`body_text`, parsed as `body`) passed validation.
  // Runs on the connection's thread; may block it (delays, upstream calls), never others.
  virtual void respond(const httplib::Request& request, const std::string& body_text,
                       const rapidjson::Value& body, httplib::Response& response) const = 0;
};

}  // namespace prm_mock
