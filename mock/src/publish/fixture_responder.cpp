#include "publish/fixture_responder.hpp"

#include <algorithm>

#include "diagnostics/error_response.hpp"
#include "stubs/fixture_set.hpp"
#include "stubs/prefer_header.hpp"
#include "stubs/publish_state.hpp"
#include "stubs/response_renderer.hpp"

namespace prm_mock {
namespace {

void reject(httplib::Response& response, int status, const char* code, std::string message,
            ExchangeContext& exchange) {
  exchange.error_code = code;
  exchange.first_problem = message;
  set_error_response(response, {status, code, std::move(message), {}, -1}, exchange.request_id);
}

// A fixture about to answer, and which of its responses does.
struct Answer {
  std::shared_ptr<const Fixture> fixture;
  std::size_t step = 0;
};

// A sequence takes its scope's next turn, which is what makes it advance only when it actually
// answers; any other fixture has one response.
Answer take_sequence_turn(std::shared_ptr<const Fixture> fixture, const httplib::Headers& headers,
                          ScopeStore& scopes, ExchangeContext& exchange) {
  if (!fixture->sequence) return {std::move(fixture), 0};
  exchange.scope = fixture->scope.label_for(headers);
  const std::size_t step = fixture->step_for_turn(scopes.take_turn(exchange.scope, *fixture));
  return {std::move(fixture), step};
}

// Under --stateful a second successful publish of the same identity in one scope is a duplicate.
// Only an answer that would have been a success records the identity: a 404 publishes nothing.
// A sequence step that was a success and becomes the duplicate has still had its turn.
Answer apply_state(Answer chosen, const FixtureSet& set, const std::optional<ScopeRule>& stateful,
                   ScopeStore& scopes, const httplib::Request& request,
                   const rapidjson::Value& body, bool preferred, ExchangeContext& exchange) {
  const int status = chosen.fixture->responses[chosen.step].status;
  if (!stateful || preferred || status < 200 || status > 299) return chosen;
  const auto identity = publish_identity_of(body);
  if (!identity) return chosen;
  const std::string label = stateful->label_for(request.headers);
  if (exchange.scope.empty()) exchange.scope = label;
  if (scopes.record_publish(label, *identity)) return chosen;
  if (auto duplicate = set.find(kDuplicateVersionFixture)) {
    return take_sequence_turn(std::move(duplicate), request.headers, scopes, exchange);
  }
  return chosen;
}

// Cuts a JSON body mid-way so it no longer parses, while the status line and headers stay valid.
std::string garbled(const std::string& body) {
  const std::string truncated = body.substr(0, std::max<std::size_t>(1, body.size() / 2));
  return truncated + "\x01<garbled";
}

}  // namespace

void FixtureResponder::respond(const httplib::Request& request, const std::string& /*body_text*/,
                               const rapidjson::Value& body, httplib::Response& response,
                               ExchangeContext& exchange) const {
  const std::shared_ptr<const FixtureSet> set = store_.current();  // fixed for this request
  // One stream per request that reaches the fixtures, numbered in arrival order: a seeded run
  // draws the same delays, chaos and uuids for the n-th request whichever worker runs it.
  RandomStream request_random = randomness_ != nullptr
                                    ? randomness_->next_request()
                                    : RandomStream(RequestRandomness(std::nullopt).seed());
  RandomStream delay_random = request_random.fork(RandomPurpose::Delay);
  RandomStream chaos_random = request_random.fork(RandomPurpose::Chaos);
  RandomStream uuid_random = request_random.fork(RandomPurpose::Uuid);
  const bool seeded_uuids = randomness_ != nullptr && randomness_->seeded();
  const RequestContext context{request.headers, body, exchange.request_id, &delay_random,
                               seeded_uuids ? &uuid_random : nullptr};
  const Selection selection = set->select(context);
  if (selection.outcome == SelectionOutcome::UnknownPreference) {
    return reject(response, 400, "UNKNOWN_PREFERENCE", selection.message, exchange);
  }
  if (selection.outcome == SelectionOutcome::NoMatch) {
    return reject(response, 500, "NO_FIXTURE_MATCHED", selection.message, exchange);
  }
  const bool preferred = read_response_preference(request.headers).any();
  const Answer answer =
      apply_state(take_sequence_turn(selection.fixture, request.headers, scopes_, exchange), *set,
                  stateful_, scopes_, request, body, preferred, exchange);
  RenderedResponse rendered = render(*answer.fixture, context, answer.step);
  // Chaos only replaces what would have been a plain success: a fixture's own errors and faults
  // are what the test asked for. (A sequence step chaos replaced has still had its turn.)
  if (rendered.status >= 200 && rendered.status <= 299 && rendered.fault == Fault::None) {
    if (const auto chaos = choose_chaos(chaos_, chaos_random)) {
      response.status = rendered.status;
      return answer_with_chaos(*chaos, response, exchange);
    }
  }
  exchange.fixture = rendered.fixture_name;

  // Sent by the connection loop when due; no thread waits for it.
  if (rendered.delay_ms > 0) exchange.delay_response(std::chrono::milliseconds(rendered.delay_ms));
  response.status = rendered.status;
  for (const auto& [name, value] : rendered.headers) response.set_header(name, value);
  response.set_header("X-Mock-Fixture", rendered.fixture_name);
  switch (rendered.fault) {
    case Fault::None:
      break;
    case Fault::ConnectionReset:
      exchange.fault = ConnectionFault::Reset;
      break;
    case Fault::EmptyResponse:
      exchange.fault = ConnectionFault::CloseSilently;
      break;
    case Fault::Timeout:
      // Held in the connection loop until the client gives up (or a cap passes).
      exchange.fault = ConnectionFault::HoldOpen;
      break;
    case Fault::MalformedBody:
      rendered.body =
          garbled(rendered.has_body ? rendered.body : std::string("{\"message\":\"\"}"));
      rendered.has_body = true;
      exchange.close_after_response = true;
      break;
  }
  if (rendered.has_body) response.set_content(rendered.body, rendered.content_type.c_str());
}

}  // namespace prm_mock
