#pragma once
// Step 7 of the pipeline: the best-matching fixture answers a request that passed the contract,
// after its delay or with its fault. Replaces the fixed success body of the core.
#include <httplib.h>
#include <rapidjson/document.h>

#include <optional>

#include "publish/chaos.hpp"
#include "publish/responder.hpp"
#include "stubs/fixture_store.hpp"
#include "stubs/scope.hpp"
#include "stubs/scope_store.hpp"

namespace prm_mock {

class FixtureResponder final : public Responder {
 public:
  // `scopes` holds sequence positions and the --stateful memory; `stateful` is the scope rule of
  // that memory (--state-scope), nothing without --stateful. `store` and `scopes` must outlive
  // the responder. `randomness` (null: unseeded streams) gives each request its stream for
  // delays, chaos and, when seeded, {{uuid}}; `chaos` is --chaos (disabled by default).
  FixtureResponder(FixtureStore& store, ScopeStore& scopes, std::optional<ScopeRule> stateful,
                   RequestRandomness* randomness = nullptr, ChaosPolicy chaos = {})
      : store_(store),
        scopes_(scopes),
        stateful_(std::move(stateful)),
        randomness_(randomness),
        chaos_(std::move(chaos)) {}

  void respond(const httplib::Request& request, const std::string& body_text,
               const rapidjson::Value& body, httplib::Response& response,
               ExchangeContext& exchange) const override;

 private:
  FixtureStore& store_;
  ScopeStore& scopes_;
  const std::optional<ScopeRule> stateful_;
  RequestRandomness* randomness_;
  ChaosPolicy chaos_;
};

}  // namespace prm_mock
