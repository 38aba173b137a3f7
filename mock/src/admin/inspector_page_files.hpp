#pragma once
// The request inspector page's files (mock/ui/*), compiled into the binary by
// cmake/embed_files.cmake and served by the admin API (inspector_routes.cpp).
#include <span>

#include "contract/embedded_files.hpp"

namespace prm_mock {

// Each file's path is relative to the repository root, e.g. "mock/ui/app.js".
std::span<const EmbeddedFile> inspector_page_files();

}  // namespace prm_mock
