#pragma once
// One compiled fixture: everything a request needs is parsed at load, so answering
// costs only matching and rendering. Immutable once built; shared between fixture sets by
// shared_ptr.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stubs/body_template.hpp"
#include "stubs/delay_distribution.hpp"
#include "stubs/request_matcher.hpp"
#include "stubs/template_string.hpp"

namespace prm_mock {

// How the server misbehaves instead of answering normally.
enum class Fault { None, ConnectionReset, EmptyResponse, MalformedBody, Timeout };

// "connection_reset" etc. (the fixture spelling); "none" for Fault::None.
std::string_view fault_name(Fault fault);
std::optional<Fault> fault_from_name(std::string_view name);

struct ResponseHeaderTemplate {
  std::string name;
  TemplateString value;
};

struct Fixture {
  std::string name;
  std::string file;         // where it was loaded from (for messages and the admin API)
  std::string source_json;  // the file's text, as written
  std::string description;
  int priority = 0;
  RequestMatcher when;
  int status = 200;
  std::vector<ResponseHeaderTemplate> headers;  // without Content-Type (see content_type)
  std::string content_type = "application/json";
  std::optional<BodyTemplate> body;  // absent: no body
  DelayDistribution delay;           // sampled per request
  Fault fault = Fault::None;
};

}  // namespace prm_mock
