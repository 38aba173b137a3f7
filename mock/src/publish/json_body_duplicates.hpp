#pragma once
// Objects that repeat a member name. RFC 8259 §4 leaves their meaning to each parser: RapidJSON's
// lookups (so our validation and fixture matching) see the first value, JavaScript and Python keep
// the last. A mock cannot know which one the real API uses, so it must not pick one silently:
// {"registryRef":"a/b","registryRef":5} would pass our contract check yet mean 5 to many servers.
#include <rapidjson/document.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace prm_mock {

struct RepeatedKey {
  std::size_t offset = 0;  // of the opening quote of the second occurrence
  std::string name;
};

// The repeated member name whose second occurrence comes first in `text`, which `document` was
// parsed from (without the iterative parse's depth limit having stopped it); nothing when every
// object's names are distinct. Never recurses, whatever the nesting.
std::optional<RepeatedKey> first_repeated_key(std::string_view text,
                                              const rapidjson::Document& document);

}  // namespace prm_mock
