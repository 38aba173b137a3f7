#pragma once
// Step 7 of the pipeline: the best-matching fixture answers a request that passed the contract,
// after its delay or with its fault. Replaces the fixed success body of the core.
#include <httplib.h>
#include <rapidjson/document.h>

#include "publish/responder.hpp"
#include "stubs/fixture_store.hpp"
#include "stubs/publish_state.hpp"

namespace prm_mock {

class FixtureResponder final : public Responder {
 public:
  // `state` is null unless --stateful. Both must outlive the responder.
  FixtureResponder(FixtureStore& store, StatefulRegistry* state) : store_(store), state_(state) {}

  void respond(const httplib::Request& request, const std::string& body_text,
               const rapidjson::Value& body, httplib::Response& response,
               ExchangeContext& exchange) const override;

 private:
  FixtureStore& store_;
  StatefulRegistry* state_;
};

}  // namespace prm_mock
