#pragma once
// An immutable, ranked set of fixtures and the choice of which one answers a request. Shared as
// std::shared_ptr<const FixtureSet> so a reload can swap sets while requests use the old one.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "stubs/fixture.hpp"
#include "stubs/request_context.hpp"

namespace prm_mock {

enum class SelectionOutcome {
  Chosen,             // `fixture` answers
  UnknownPreference,  // Prefer named no known status/fixture: answer 400 with `message`
  NoMatch,            // no fixture matches (only possible with custom sets): `message` says so
};

struct Selection {
  SelectionOutcome outcome = SelectionOutcome::NoMatch;
  std::shared_ptr<const Fixture> fixture;  // set when Chosen
  std::string message;                     // why, when not Chosen
};

class FixtureSet {
 public:
  // Names must be unique (the loader guarantees it; a later duplicate replaces an earlier one).
  explicit FixtureSet(std::vector<std::shared_ptr<const Fixture>> fixtures);

  // Highest priority first, then more conditions, then name: the order `select` tries them in.
  const std::vector<std::shared_ptr<const Fixture>>& ranked() const { return ranked_; }
  std::size_t size() const { return ranked_.size(); }
  std::shared_ptr<const Fixture> find(std::string_view name) const;

  // Prefer: example=NAME picks that fixture; Prefer: code=NNN picks the best-ranked fixture with
  // that status, preferring one whose conditions match; with both, the named fixture must have the
  // code. Otherwise the first ranked fixture whose conditions match.
  Selection select(const RequestContext& request) const;

  // Copies with one fixture added or replaced by name / removed (the admin API's edits).
  std::shared_ptr<const FixtureSet> with(std::shared_ptr<const Fixture> fixture) const;
  std::shared_ptr<const FixtureSet> without(std::string_view name) const;

 private:
  std::string known_codes() const;
  std::string known_names() const;

  std::vector<std::shared_ptr<const Fixture>> ranked_;
};

}  // namespace prm_mock
