#pragma once
// Step 7 of the pipeline: the best-matching fixture answers a request that passed the contract,
// after its delay or with its fault. Replaces the fixed success body of the core.
#include <httplib.h>
#include <rapidjson/document.h>

#include "publish/chaos.hpp"
#include "publish/responder.hpp"
#include "stubs/fixture_store.hpp"
#include "stubs/publish_state.hpp"

namespace prm_mock {

class FixtureResponder final : public Responder {
 public:
  // `state` is null unless --stateful. Both must outlive the responder.
  // `randomness` (null: unseeded streams) gives each request its stream for delays, chaos and,
  // when seeded, {{uuid}}; `chaos` is --chaos (disabled by default).
  FixtureResponder(FixtureStore& store, StatefulRegistry* state,
                   RequestRandomness* randomness = nullptr, ChaosPolicy chaos = {})
      : store_(store), state_(state), randomness_(randomness), chaos_(std::move(chaos)) {}

  void respond(const httplib::Request& request, const std::string& body_text,
               const rapidjson::Value& body, httplib::Response& response,
               ExchangeContext& exchange) const override;

 private:
  FixtureStore& store_;
  StatefulRegistry* state_;
  RequestRandomness* randomness_;
  ChaosPolicy chaos_;
};

}  // namespace prm_mock
