#pragma once
// Builds a FixtureSet from layers: the embedded defaults (fixtures/*.json compiled into the
// binary), then each --fixtures directory in order, a later layer replacing same-named fixtures. A
// set loads whole or not at all: any problem in any file means no set, and every problem is
// reported.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "contract/contract.hpp"
#include "stubs/fixture_problem.hpp"
#include "stubs/fixture_set.hpp"

namespace prm_mock {

struct FixtureFile {
  std::string path;  // as shown in problems
  std::string text;
};

struct FixtureLayer {
  std::string origin;  // "embedded defaults" or the directory
  std::vector<FixtureFile> files;
  FixtureProblems read_problems;  // e.g. a directory that does not exist, an unreadable file
};

// Whether a directory entry is a fixture file: `*.json`, not hidden (editors' swap and temporary
// files are), so the loader and the reload watcher agree on what they look at.
bool is_fixture_file_name(const std::filesystem::path& path);

// The embedded fixtures/*.json files.
FixtureLayer embedded_fixture_layer();
// The *.json files directly inside `directory` (other files are ignored, e.g. README.md or an
// editor's swap file), in name order.
FixtureLayer read_fixture_directory(const std::filesystem::path& directory);

struct LoadResult {
  std::shared_ptr<const FixtureSet> set;  // null when there is any problem
  FixtureProblems problems;
  bool ok() const { return set != nullptr; }
};

LoadResult load_fixture_layers(const std::vector<FixtureLayer>& layers, const Contract& contract);

// The embedded defaults plus `directories` (the --fixtures flags, in order).
LoadResult load_fixture_set(const std::vector<std::filesystem::path>& directories,
                            const Contract& contract);

}  // namespace prm_mock
