#include "publish/json_body_duplicates.hpp"

#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <algorithm>
#include <map>
#include <set>
#include <vector>

#include "publish/json_body_literal.hpp"

namespace prm_mock {
namespace {

using Names = std::vector<std::string>;  // sorted

// The names `object` holds more than once. Sorting views of the names costs one pointer pair per
// member, far less than hashing copies of a million keys would.
Names repeated_names(const rapidjson::Value& object) {
  std::vector<std::string_view> names;
  names.reserve(object.MemberCount());
  for (const auto& member : object.GetObject()) {
    names.emplace_back(member.name.GetString(), member.name.GetStringLength());
  }
  std::sort(names.begin(), names.end());
  Names repeated;
  for (std::size_t i = 1; i < names.size(); ++i) {
    if (names[i] == names[i - 1] && (repeated.empty() || repeated.back() != names[i])) {
      repeated.emplace_back(names[i]);
    }
  }
  return repeated;
}

// Objects with repeated names, by their number in the order they open in the text (pre-order,
// members and elements in order), which is the order a SAX parse meets them.
std::map<std::size_t, Names> objects_with_repeats(const rapidjson::Value& root) {
  std::map<std::size_t, Names> found;
  std::vector<const rapidjson::Value*> pending{&root};
  std::size_t next_object = 0;
  while (!pending.empty()) {
    const rapidjson::Value& value = *pending.back();
    pending.pop_back();
    if (value.IsObject()) {
      const std::size_t number = next_object++;
      if (value.MemberCount() > 1) {
        if (Names repeated = repeated_names(value); !repeated.empty())
          found.emplace(number, std::move(repeated));
      }
      // Pushed last to first, so the first member is taken next.
      for (auto member = value.MemberEnd(); member != value.MemberBegin();) {
        --member;
        pending.push_back(&member->value);
      }
    } else if (value.IsArray()) {
      for (auto element = value.End(); element != value.Begin();) {
        --element;
        pending.push_back(element);
      }
    }
  }
  return found;
}

// A second, read-only parse that stops at the first second occurrence of a repeated name: only
// that parse knows byte offsets.
class RepeatLocator : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, RepeatLocator> {
 public:
  RepeatLocator(const std::map<std::size_t, Names>& targets, const rapidjson::MemoryStream& stream)
      : targets_(targets), stream_(stream) {}

  bool StartObject() {
    open_.push_back({next_object_++, {}});
    return true;
  }
  bool EndObject(rapidjson::SizeType) {
    open_.pop_back();
    return true;
  }
  bool Key(const char* text, rapidjson::SizeType length, bool) {
    const auto target = targets_.find(open_.back().number);
    if (target == targets_.end()) return true;
    std::string name(text, length);
    // Sorted by repeated_names(): a binary search, so a million repeated names stay cheap.
    if (!std::binary_search(target->second.begin(), target->second.end(), name)) return true;
    if (open_.back().seen.insert(name).second) return true;
    found_ = RepeatedKey{stream_.Tell(), std::move(name)};  // just past the closing quote, for now
    return false;
  }

  const std::optional<RepeatedKey>& found() const { return found_; }

 private:
  struct OpenObject {
    std::size_t number;
    std::set<std::string> seen;  // only names known to repeat
  };
  const std::map<std::size_t, Names>& targets_;
  const rapidjson::MemoryStream& stream_;
  std::vector<OpenObject> open_;
  std::size_t next_object_ = 0;
  std::optional<RepeatedKey> found_;
};

}  // namespace

std::optional<RepeatedKey> first_repeated_key(std::string_view text,
                                              const rapidjson::Document& document) {
  const std::map<std::size_t, Names> targets = objects_with_repeats(document);
  if (targets.empty()) return std::nullopt;
  rapidjson::MemoryStream stream(text.data(), text.size());
  RepeatLocator locator(targets, stream);
  rapidjson::Reader reader;
  reader.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag>(stream,
                                                                                       locator);
  std::optional<RepeatedKey> found = locator.found();
  if (found) found->offset = opening_quote_before(text, found->offset - 1);
  return found;
}

}  // namespace prm_mock
