#pragma once
// Step 7 in record mode: forward the request to the real API, hand its answer back unchanged, and
// write the exchange down as a fixture.
#include <httplib.h>
#include <rapidjson/document.h>

#include <string>

#include "contract/contract.hpp"
#include "prm_mock/config.hpp"
#include "publish/responder.hpp"
#include "record/recording_store.hpp"
#include "record/upstream_target.hpp"

namespace prm_mock {

class UpstreamRecorder final : public Responder {
 public:
  // Throws std::runtime_error when config.upstream is not an http(s) URL. `contract` must outlive
  // the recorder; `base_path` is the local one ("/api").
  UpstreamRecorder(const Config& config, const Contract& contract, std::string base_path);

  // Waits for the upstream on the worker: record mode serves one developer's client, and what it
  // records must be the upstream's real answer.
  void respond(const httplib::Request& request, const std::string& body_text,
               const rapidjson::Value& body, httplib::Response& response,
               ExchangeContext& exchange) const override;

 private:
  // Writes the exchange; returns the fixture name, or "" when it was not recorded (logged).
  std::string record(const rapidjson::Value& body, const httplib::Response& answer,
                     const ExchangeContext& exchange) const;

  const Config& config_;
  const Contract& contract_;
  std::string base_path_;
  UpstreamTarget target_;
  mutable RecordingStore store_;
};

}  // namespace prm_mock
