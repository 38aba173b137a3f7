// Per-request cost of step 7 (select + render) with 1, 100 and 1,000 fixtures loaded. The extra
// fixtures all carry conditions the request does not meet, so selection walks every one of them
// before the default success fixture answers: the worst case for a set of that size. The baseline,
// measured in the same run, is selecting and rendering with the defaults alone.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "contract/contract.hpp"
#include "stubs/fixture_loader.hpp"
#include "stubs/fixture_set.hpp"
#include "stubs/response_renderer.hpp"

namespace {

const std::string kValid =
    R"({"registryRef":"acme/prompts","artifact":{"prompt":"greeting","version":"1.2.0","model":"gpt-4o",)"
    R"("compiled":"Hello","hash":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",)"
    R"("schema":{},"components":{},"metadata":{}}})";

double median_ns(const std::function<void()>& work, int iterations) {
  std::vector<double> rounds;
  for (int round = 0; round < 7; ++round) {
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < iterations; ++i) work();
    rounds.push_back(
        std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count() /
        iterations);
  }
  std::sort(rounds.begin(), rounds.end());
  return rounds[rounds.size() / 2];
}

// `count` fixtures that never match this request: a header condition and a body regex each.
prm_mock::FixtureLayer extra_fixtures(int count) {
  prm_mock::FixtureLayer layer{"bench", {}, {}};
  for (int i = 0; i < count; ++i) {
    const std::string name = "extra-" + std::to_string(i);
    layer.files.push_back(
        {name + ".json", R"({"name":")" + name + R"(","priority":)" + std::to_string(1 + i % 50) +
                             R"(,"when":{"headers":{"X-Tenant":{"equals":"t)" + std::to_string(i) +
                             R"("}},"body":{"/artifact/prompt":{"matches":"^p)" +
                             std::to_string(i) + R"(-"}}},"response":{"status":201,"body":{"n":)" +
                             std::to_string(i) + "}}}"});
  }
  return layer;
}

}  // namespace

int main(int argc, char** argv) {
  const int iterations = argc > 1 ? std::stoi(argv[1]) : 20000;
  const prm_mock::Contract contract = prm_mock::Contract::embedded();
  rapidjson::Document body;
  body.Parse(kValid.c_str());
  const httplib::Headers headers{{"X-API-Key", "k-bench"}, {"Content-Type", "application/json"}};
  const prm_mock::RequestContext request{headers, body, "bench-request"};
  std::size_t sink = 0;
  double baseline = 0;
  std::printf("%-22s %12s %12s %10s\n", "fixtures loaded", "select ns", "select+render",
              "x baseline");
  for (const int extra : {0, 100, 1000}) {
    const auto loaded = prm_mock::load_fixture_layers(
        {prm_mock::embedded_fixture_layer(), extra_fixtures(extra)}, contract);
    if (!loaded.ok()) {
      std::fprintf(stderr, "fixtures failed to load: %s\n",
                   to_string(loaded.problems.front()).c_str());
      return 1;
    }
    const prm_mock::FixtureSet& set = *loaded.set;
    const double select =
        median_ns([&] { sink += set.select(request).fixture->response().status; }, iterations);
    const double full = median_ns(
        [&] { sink += prm_mock::render(*set.select(request).fixture, request).body.size(); },
        iterations);
    if (extra == 0) baseline = full;
    std::printf("%-22s %12.0f %12.0f %10.2f\n",
                (std::to_string(set.size()) + " (" + std::to_string(extra) + " extra)").c_str(),
                select, full, full / baseline);
  }
  return sink == 0 ? 1 : 0;
}
