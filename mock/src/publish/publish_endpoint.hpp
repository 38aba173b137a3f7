#pragma once
// Pipeline steps 2-7 for the publish operation: auth, media type, size, syntax, contract (and
// advisory rules), then the response. The first failing step answers.
#include <httplib.h>
#include <rapidjson/document.h>

#include <memory>
#include <string>

#include "contract/contract.hpp"
#include "prm_mock/config.hpp"
#include "publish/request_body.hpp"
#include "publish/responder.hpp"

namespace prm_mock {

// What the pipeline learnt about a request, for the journal.
struct PublishFindings {
  std::string body_text;                            // the bytes read (empty when not read)
  std::shared_ptr<const rapidjson::Document> body;  // set when the body parsed as JSON
  Violations violations;
  Violations warnings;
};

class PublishEndpoint {
 public:
  // All must outlive the endpoint.
  PublishEndpoint(const Config& config, const Contract& contract, const Responder& responder);

  void handle(const httplib::Request& request, httplib::Response& response, RequestBody& body,
              PublishFindings& findings, ExchangeContext& exchange) const;

 private:
  const Config& config_;
  const Contract& contract_;
  const Responder& responder_;
};

}  // namespace prm_mock
