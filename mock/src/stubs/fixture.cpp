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

}  // namespace prm_mock
