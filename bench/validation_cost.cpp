// Per-request cost of pipeline steps 5-6 (parse, contract validation, advisory rules) on the valid
// publish body and on an invalid one, each reported against a baseline measured in the same run:
// parsing the same bytes with RapidJSON alone.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "contract/contract.hpp"
#include "publish/advisory_rules.hpp"
#include "publish/json_body.hpp"

namespace {

const std::string kValid =
    R"({"registryRef":"acme/prompts","artifact":{"prompt":"greeting","version":"1.2.0","model":"gpt-4o",)"
    R"("compiled":"Hello {{name}}","hash":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",)"
    R"("schema":{"input":"a","output":"b"},"components":{"c1":"x","c2":"y"},"metadata":{"team":"ml","n":3}}})";
const std::string kInvalid =
    R"({"registryRef":"acme/prompts","artifact":{"prompt":"greeting","version":3,"model":"gpt-4o",)"
    R"("compiled":"Hello","schema":{"input":1},"components":{"c1":2},"metadata":{}}})";

// Median nanoseconds per call over several rounds, so one noisy round does not decide.
double median_ns(const std::function<void()>& work, int iterations) {
  std::vector<double> rounds;
  for (int round = 0; round < 7; ++round) {
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < iterations; ++i) work();
    const auto elapsed = std::chrono::steady_clock::now() - start;
    rounds.push_back(std::chrono::duration<double, std::nano>(elapsed).count() / iterations);
  }
  std::sort(rounds.begin(), rounds.end());
  return rounds[rounds.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  const int iterations = argc > 1 ? std::stoi(argv[1]) : 20000;
  const prm_mock::Contract contract = prm_mock::Contract::embedded();
  std::size_t sink = 0;
  std::printf("%-34s %12s %10s\n", "body / work", "ns/request", "x baseline");
  for (const auto& [name, body] :
       {std::pair{"valid", &kValid}, std::pair{"invalid (5 violations)", &kInvalid}}) {
    const double baseline = median_ns(
        [&] {
          rapidjson::Document document;
          document.Parse(body->data(), body->size());
          sink += document.IsObject();
        },
        iterations);
    const double parse = median_ns(
        [&] {
          rapidjson::Document document;
          sink += prm_mock::parse_json_body(*body, document, 256).has_value();
        },
        iterations);
    const double full = median_ns(
        [&] {
          rapidjson::Document document;
          sink += prm_mock::parse_json_body(*body, document, 256).has_value();
          sink += contract.validate(document).size();
          sink += prm_mock::check_advisory_rules(document).size();
        },
        iterations);
    std::printf("%-34s %12.0f %10.2f\n", (std::string(name) + ": RapidJSON parse").c_str(),
                baseline, 1.0);
    std::printf("%-34s %12.0f %10.2f\n", (std::string(name) + ": bounded parse").c_str(), parse,
                parse / baseline);
    std::printf("%-34s %12.0f %10.2f\n", (std::string(name) + ": parse+validate+rules").c_str(),
                full, full / baseline);
  }
  return sink == 0 ? 1 : 0;  // keeps the work observable to the optimiser
}
