#include "stubs/fixture_loader.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <system_error>

#include "contract/embedded_files.hpp"
#include "stubs/fixture_compiler.hpp"

namespace prm_mock {

bool is_fixture_file_name(const std::filesystem::path& path) {
  return path.extension() == ".json" && !path.filename().string().starts_with(".");
}

FixtureLayer embedded_fixture_layer() {
  FixtureLayer layer{"embedded defaults", {}, {}};
  for (const auto& file : embedded_files()) {
    if (file.path.starts_with("fixtures/") && file.path.ends_with(".json")) {
      layer.files.push_back({std::string(file.path), std::string(file.content)});
    }
  }
  return layer;
}

FixtureLayer read_fixture_directory(const std::filesystem::path& directory) {
  FixtureLayer layer{directory.string(), {}, {}};
  std::error_code error;
  if (!std::filesystem::is_directory(directory, error)) {
    layer.read_problems.push_back({directory.string(), kWholeFile, "not a readable directory"});
    return layer;
  }
  std::vector<std::filesystem::path> paths;
  for (std::filesystem::directory_iterator it(directory, error), end; !error && it != end;
       it.increment(error)) {
    const auto& path = it->path();
    std::error_code type_error;  // e.g. a dangling symlink: skipped, not fatal to the listing
    if (is_fixture_file_name(path) && it->is_regular_file(type_error)) {
      paths.push_back(path);
    }
  }
  if (error) {
    layer.read_problems.push_back(
        {directory.string(), kWholeFile, "cannot list: " + error.message()});
    return layer;
  }
  std::sort(paths.begin(), paths.end());
  for (const auto& path : paths) {
    std::ifstream stream(path, std::ios::binary);
    std::ostringstream text;
    text << stream.rdbuf();
    if (!stream) {
      layer.read_problems.push_back({path.string(), kWholeFile, "cannot read the file"});
      continue;
    }
    layer.files.push_back({path.string(), text.str()});
  }
  return layer;
}

LoadResult load_fixture_layers(const std::vector<FixtureLayer>& layers, const Contract& contract) {
  LoadResult result;
  std::map<std::string, std::shared_ptr<const Fixture>, std::less<>> by_name;
  for (const auto& layer : layers) {
    result.problems.insert(result.problems.end(), layer.read_problems.begin(),
                           layer.read_problems.end());
    std::map<std::string, std::string, std::less<>> file_of_name;  // duplicates within one layer
    for (const auto& file : layer.files) {
      auto fixture = compile_fixture(file.text, file.path, contract, result.problems);
      if (!fixture) continue;
      const auto [previous, inserted] = file_of_name.emplace(fixture->name, file.path);
      if (!inserted) {
        result.problems.push_back(
            {file.path, "/name",
             "fixture name '" + fixture->name + "' is also used by " + previous->second});
        continue;
      }
      by_name[fixture->name] = std::move(fixture);
    }
  }
  if (!result.problems.empty()) return result;
  std::vector<std::shared_ptr<const Fixture>> fixtures;
  for (auto& [name, fixture] : by_name) fixtures.push_back(std::move(fixture));
  result.set = std::make_shared<const FixtureSet>(std::move(fixtures));
  return result;
}

LoadResult load_fixture_set(const std::vector<std::filesystem::path>& directories,
                            const Contract& contract) {
  std::vector<FixtureLayer> layers{embedded_fixture_layer()};
  for (const auto& directory : directories) layers.push_back(read_fixture_directory(directory));
  return load_fixture_layers(layers, contract);
}

}  // namespace prm_mock
