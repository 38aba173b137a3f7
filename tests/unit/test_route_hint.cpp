#include <doctest/doctest.h>

#include "server/route_hint.hpp"

using prm_mock::probable_path;

TEST_CASE("route hint: near misses of the served path") {
  const std::string served = "/api/registries/artifacts";
  const std::string operation = "/registries/artifacts";
  CHECK(probable_path("/registries/artifacts", served, operation) == served);
  CHECK(probable_path("/api/registries/artifacts/", served, operation) == served);
  CHECK(probable_path("/API/Registries/Artifacts", served, operation) == served);
  CHECK(probable_path("/api/registries/artifact", served, operation) == served);
  CHECK(probable_path("/api/v1/registries/artifacts", served, operation) == served);
  CHECK(probable_path("/health", served, operation).empty());
  CHECK(probable_path("/api/registries/prompts/anything", served, operation).empty());
}
