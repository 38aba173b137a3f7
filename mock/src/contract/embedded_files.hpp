#pragma once
// Files compiled into the binary (the contract in schemas/, the default fixtures in fixtures/).
#include <optional>
#include <span>
#include <string_view>

namespace prm_mock {

struct EmbeddedFile {
  std::string_view path;     // relative to the repository root, e.g. "schemas/x.yaml"
  std::string_view content;  // the file's bytes
};

std::span<const EmbeddedFile> embedded_files();

// The content of one embedded file, or nothing when no file has that path.
inline std::optional<std::string_view> embedded_file(std::string_view path) {
  for (const auto& file : embedded_files()) {
    if (file.path == path) return file.content;
  }
  return std::nullopt;
}

}  // namespace prm_mock
