#include "admin/fixture_near_misses.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>

#include "admin/journal_search.hpp"

namespace prm_mock {
namespace {

// The conditions of `fixture` that `entry` fails; empty when it has none or all hold.
std::vector<std::string> conditions_failed(const Fixture& fixture, const JournalEntry& entry,
                                           const Contract& contract) {
  rapidjson::Document source;
  source.Parse<rapidjson::kParseIterativeFlag>(fixture.source_json.data(),
                                               fixture.source_json.size());
  if (source.HasParseError() || !source.IsObject()) return {};
  const rapidjson::Value& fixture_object = source;
  const auto when = fixture_object.FindMember("when");
  if (when == fixture_object.MemberEnd()) return {};  // no conditions: it matches every request
  FixtureProblems problems;
  // The fixture compiled at load, so its `when` compiles here too.
  const auto search = JournalSearch::compile_fixture_when(when->value, contract, problems);
  if (!search) return {};
  return search->failed_by(entry);
}

}  // namespace

std::vector<FixtureNearMiss> fixture_near_misses(const JournalEntry& entry, const FixtureSet& set,
                                                 const Contract& contract, std::size_t max) {
  std::vector<FixtureNearMiss> misses;
  for (const auto& fixture : set.ranked()) {
    std::vector<std::string> failed = conditions_failed(*fixture, entry, contract);
    if (!failed.empty()) misses.push_back({fixture, std::move(failed)});
  }
  std::stable_sort(misses.begin(), misses.end(),
                   [](const FixtureNearMiss& a, const FixtureNearMiss& b) {
                     return a.failed.size() < b.failed.size();
                   });
  misses.resize(std::min(misses.size(), max));
  return misses;
}

std::string fixture_near_misses_json(const std::vector<FixtureNearMiss>& near_misses) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  const auto write_string = [&writer](const std::string& text) {
    writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
  };
  writer.StartArray();
  for (const FixtureNearMiss& miss : near_misses) {
    writer.StartObject();
    writer.Key("fixture");
    write_string(miss.fixture->name);
    writer.Key("file");
    write_string(miss.fixture->file);
    writer.Key("failed");
    writer.StartArray();
    for (const std::string& condition : miss.failed) write_string(condition);
    writer.EndArray();
    writer.EndObject();
  }
  writer.EndArray();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace prm_mock
