#pragma once
// Why no fixture answered a journal entry: each fixture in force whose `when` the entry fails,
// with the conditions it failed, described as POST /__admin/requests/find describes them. The
// fixture's `when` is read back from its file text and evaluated by JournalSearch, so credential
// headers are compared by digest here too and no second matcher exists.
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "contract/contract.hpp"
#include "journal/journal_entry.hpp"
#include "stubs/fixture_set.hpp"

namespace prm_mock {

struct FixtureNearMiss {
  std::shared_ptr<const Fixture> fixture;
  std::vector<std::string> failed;  // never empty
};

// Closest first (fewest failed conditions; among equals in rank order), at most `max`. A fixture
// whose every condition holds is not a miss and is left out: such an entry was answered before
// the fixtures were asked (a 401, a contract violation, a Prefer that names nothing).
std::vector<FixtureNearMiss> fixture_near_misses(const JournalEntry& entry, const FixtureSet& set,
                                                 const Contract& contract, std::size_t max = 3);

// [{"fixture": name, "file": file, "failed": [condition, ...]}, ...]
std::string fixture_near_misses_json(const std::vector<FixtureNearMiss>& near_misses);

}  // namespace prm_mock
