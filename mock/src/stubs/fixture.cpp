#include "stubs/fixture.hpp"

#include <array>
#include <utility>

namespace prm_mock {
namespace {

constexpr std::array<std::pair<Fault, std::string_view>, 5> kFaultNames{{
    {Fault::None, "none"},
    {Fault::ConnectionReset, "connection_reset"},
    {Fault::EmptyResponse, "empty_response"},
    {Fault::MalformedBody, "malformed_body"},
    {Fault::Timeout, "timeout"},
}};

}  // namespace

std::string_view fault_name(Fault fault) {
  for (const auto& [value, name] : kFaultNames) {
    if (value == fault) return name;
  }
  return "none";
}

std::optional<Fault> fault_from_name(std::string_view name) {
  for (const auto& [value, spelled] : kFaultNames) {
    if (spelled == name && value != Fault::None) return value;
  }
  return std::nullopt;
}

std::uint64_t Fixture::turns_per_pass() const {
  std::uint64_t turns = 0;
  for (const FixtureResponse& step : responses) turns += step.repeat;
  return turns;
}

std::size_t Fixture::step_for_turn(std::uint64_t turn) const {
  if (responses.size() <= 1) return 0;
  const std::uint64_t pass = turns_per_pass();
  if (turn >= pass) {
    if (after_last == AfterLast::Repeat) return responses.size() - 1;
    turn %= pass;
  }
  for (std::size_t step = 0; step < responses.size(); ++step) {
    if (turn < responses[step].repeat) return step;
    turn -= responses[step].repeat;
  }
  return responses.size() - 1;  // not reached: turn < pass
}

}  // namespace prm_mock
