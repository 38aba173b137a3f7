// The contract variants in tests/contracts/ (see its README): each loads, or fails to load, as its
// x-expected says, and each body gets exactly the violations listed.
#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "contract/contract.hpp"
#include "contract/yaml_to_json.hpp"

namespace {

namespace fs = std::filesystem;

std::vector<fs::path> corpus_files() {
  std::vector<fs::path> files;
  for (const auto& entry :
       fs::directory_iterator(fs::path(PRM_MOCK_SOURCE_DIR) / "tests" / "contracts")) {
    if (entry.path().extension() == ".yaml") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string file_text(const fs::path& path) {
  std::ifstream stream(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(stream), std::istreambuf_iterator<char>()};
}

std::vector<std::string> expected_lines(const rapidjson::Value& list) {
  std::vector<std::string> lines;
  for (const auto& line : list.GetArray()) lines.emplace_back(line.GetString());
  return lines;
}

}  // namespace

TEST_CASE(
    "contract corpus: every variant loads or is refused, and judges its bodies, as expected") {
  const std::vector<fs::path> files = corpus_files();
  REQUIRE(files.size() >= 5);
  for (const fs::path& file : files) {
    CAPTURE(file.filename().string());
    const std::string text = file_text(file);
    const rapidjson::Document document = prm_mock::yaml_to_json(text, file.string());
    REQUIRE(document.HasMember("x-expected"));
    const rapidjson::Value& expected = document["x-expected"];
    if (expected.HasMember("load-error")) {
      CHECK_THROWS_WITH_AS(prm_mock::Contract::from_text(text, file.string()),
                           doctest::Contains(expected["load-error"].GetString()),
                           prm_mock::ContractError);
      continue;
    }
    const prm_mock::Contract contract = prm_mock::Contract::from_text(text, file.string());
    REQUIRE(expected["cases"].IsArray());
    int case_number = 0;
    for (const auto& test : expected["cases"].GetArray()) {
      CAPTURE(case_number++);
      std::vector<std::string> seen;
      for (const auto& violation : contract.validate(test["body"])) {
        seen.push_back(violation.pointer + " " + violation.keyword);
      }
      CHECK(seen == expected_lines(test["violations"]));
    }
  }
}
