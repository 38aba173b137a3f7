// --stateful: a publish identity is recorded once per scope, however many threads race on it.
#include <doctest/doctest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "stubs/publish_state.hpp"
#include "stubs/scope_store.hpp"

using namespace prm_mock;

TEST_CASE("stateful memory: identity is (registryRef, prompt, model, version), kept per scope") {
  rapidjson::Document body;
  body.Parse(
      R"({"registryRef": "acme/p", "artifact": {"prompt": "greet", "model": "m", "version": "1.0.0",
                 "hash": "ignored"}})");
  const auto identity = publish_identity_of(body);
  REQUIRE(identity.has_value());
  CHECK(*identity == PublishIdentity{"acme/p", "greet", "m", "1.0.0"});
  rapidjson::Document partial;
  partial.Parse(R"({"registryRef": "acme/p", "artifact": {"prompt": "greet", "version": 1}})");
  CHECK_FALSE(publish_identity_of(partial).has_value());
  rapidjson::Document scalar;
  scalar.Parse("[]");
  CHECK_FALSE(publish_identity_of(scalar).has_value());

  ScopeStore scopes;
  CHECK(scopes.record_publish("key:a", *identity));
  CHECK_FALSE(scopes.record_publish("key:a", *identity));
  CHECK(scopes.record_publish("key:a", PublishIdentity{"acme/p", "greet", "m", "1.0.1"}));
  CHECK(scopes.record_publish("key:a", PublishIdentity{"acme/p", "greet", "other-model", "1.0.0"}));
  CHECK(scopes.record_publish("key:b", *identity));  // another scope has its own memory
  CHECK(scopes.snapshot().front().publishes == 3);
  scopes.reset();
  CHECK(scopes.size() == 0);
  CHECK(scopes.record_publish("key:a", *identity));
}

TEST_CASE("stateful memory: many threads recording the same identity, exactly one wins") {
  ScopeStore scopes;
  const PublishIdentity identity{"acme/p", "greet", "m", "1.0.0"};
  constexpr int kThreads = 32;
  constexpr int kRounds = 50;
  for (int round = 0; round < kRounds; ++round) {
    scopes.reset();
    std::atomic<int> winners{0};
    std::atomic<int> ready{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
      threads.emplace_back([&] {
        ready.fetch_add(1);
        while (ready.load() < kThreads) std::this_thread::yield();  // start together
        if (scopes.record_publish("global", identity)) winners.fetch_add(1);
      });
    }
    for (auto& thread : threads) thread.join();
    REQUIRE(winners.load() == 1);
  }
}
