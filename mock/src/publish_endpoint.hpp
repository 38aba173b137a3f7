#pragma once
// Steps 2-7 of DESIGN §2 for the publish operation: auth, media type, size, syntax, contract (and
// advisory rules), then the response. The first failing step answers.
#include <httplib.h>

#include "contract.hpp"
#include "prm_mock/config.hpp"
#include "request_body.hpp"

namespace prm_mock {

class PublishEndpoint {
 public:
  // Both must outlive the endpoint.
  PublishEndpoint(const Config& config, const Contract& contract);

  void handle(const httplib::Request& request, httplib::Response& response, RequestBody& body) const;

 private:
  const Config& config_;
  const Contract& contract_;
};

}  // namespace prm_mock
