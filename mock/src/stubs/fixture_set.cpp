#include "stubs/fixture_set.hpp"

#include <algorithm>
#include <set>

#include "stubs/prefer_header.hpp"
#include "text/utf8_text.hpp"

namespace prm_mock {
namespace {

bool ranks_before(const std::shared_ptr<const Fixture>& a,
                  const std::shared_ptr<const Fixture>& b) {
  if (a->priority != b->priority) return a->priority > b->priority;
  if (a->when.condition_count() != b->when.condition_count()) {
    return a->when.condition_count() > b->when.condition_count();
  }
  return a->name < b->name;
}

Selection chosen(std::shared_ptr<const Fixture> fixture) {
  return {SelectionOutcome::Chosen, std::move(fixture), {}};
}

// A Prefer value quoted in a message: header bytes need not be UTF-8, the JSON error body must be.
std::string quoted(const std::string& value) { return valid_utf8(value); }

Selection unknown(std::string message) {
  return {SelectionOutcome::UnknownPreference, nullptr, std::move(message)};
}

// A sequence's status depends on its scope's turn, so `Prefer: code=` cannot promise it: only
// fixtures with one response answer a preferred code.
bool answers_code(const Fixture& fixture, int code) {
  return !fixture.sequence && fixture.response().status == code;
}

}  // namespace

FixtureSet::FixtureSet(std::vector<std::shared_ptr<const Fixture>> fixtures)
    : ranked_(std::move(fixtures)) {
  std::sort(ranked_.begin(), ranked_.end(), ranks_before);
}

std::shared_ptr<const Fixture> FixtureSet::find(std::string_view name) const {
  for (const auto& fixture : ranked_) {
    if (fixture->name == name) return fixture;
  }
  return nullptr;
}

std::string FixtureSet::known_codes() const {
  std::set<int> codes;
  for (const auto& fixture : ranked_) {
    if (!fixture->sequence) codes.insert(fixture->response().status);
  }
  std::string list;
  for (int code : codes) list += (list.empty() ? "" : ", ") + std::to_string(code);
  return list;
}

std::string FixtureSet::known_names() const {
  std::vector<std::string> names;
  for (const auto& fixture : ranked_) names.push_back(fixture->name);
  std::sort(names.begin(), names.end());
  std::string list;
  for (const auto& name : names) list += (list.empty() ? "" : ", ") + name;
  return list;
}

Selection FixtureSet::select(const RequestContext& request) const {
  const ResponsePreference preference = read_response_preference(request.headers);
  if (preference.any()) {
    int code = 0;
    if (preference.code) {
      const std::string& text = *preference.code;
      const bool numeric = text.size() == 3 && std::all_of(text.begin(), text.end(), [](char c) {
                             return c >= '0' && c <= '9';
                           });
      if (!numeric) {
        return unknown("Prefer: code=" + quoted(text) +
                       " is not a 3-digit status; known codes: " + known_codes());
      }
      code = std::stoi(text);
    }
    if (preference.example) {
      auto fixture = find(*preference.example);
      if (!fixture) {
        return unknown("Prefer: example=" + quoted(*preference.example) +
                       " names no fixture; known examples: " + known_names());
      }
      if (code != 0 && fixture->sequence) {
        return unknown("Prefer: example=" + *preference.example +
                       " is a sequence, whose status depends on its position; send "
                       "Prefer: example= alone");
      }
      if (code != 0 && fixture->response().status != code) {
        return unknown("Prefer: example=" + *preference.example + " answers " +
                       std::to_string(fixture->response().status) + ", not the preferred code " +
                       std::to_string(code));
      }
      return chosen(std::move(fixture));
    }
    std::shared_ptr<const Fixture> best_with_code;
    for (const auto& fixture : ranked_) {
      if (!answers_code(*fixture, code)) continue;
      if (fixture->when.matches(request)) return chosen(fixture);
      if (!best_with_code) best_with_code = fixture;
    }
    if (best_with_code) return chosen(std::move(best_with_code));
    return unknown("Prefer: code=" + *preference.code +
                   " matches no fixture; known codes: " + known_codes());
  }
  for (const auto& fixture : ranked_) {
    if (fixture->when.matches(request)) return chosen(fixture);
  }
  return {SelectionOutcome::NoMatch, nullptr,
          "no fixture matches this request (" + std::to_string(ranked_.size()) +
              " loaded); add one without conditions as a fallback"};
}

std::shared_ptr<const FixtureSet> FixtureSet::with(std::shared_ptr<const Fixture> fixture) const {
  std::vector<std::shared_ptr<const Fixture>> fixtures;
  for (const auto& existing : ranked_) {
    if (existing->name != fixture->name) fixtures.push_back(existing);
  }
  fixtures.push_back(std::move(fixture));
  return std::make_shared<const FixtureSet>(std::move(fixtures));
}

std::shared_ptr<const FixtureSet> FixtureSet::without(std::string_view name) const {
  std::vector<std::shared_ptr<const Fixture>> fixtures;
  for (const auto& existing : ranked_) {
    if (existing->name != name) fixtures.push_back(existing);
  }
  return std::make_shared<const FixtureSet>(std::move(fixtures));
}

}  // namespace prm_mock
