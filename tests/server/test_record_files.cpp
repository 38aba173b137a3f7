// The pieces of record mode that decide what lands on disk: safe names from hostile identities,
// files that appear whole or not at all, and which header values are redacted.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "record/fixture_name.hpp"
#include "record/recorded_headers.hpp"
#include "record/recording_store.hpp"
#include "stubs/fixture_loader.hpp"
#include "temporary_directory.hpp"
#include "test_server.hpp"

using prm_mock::testing::parse;
using prm_mock::testing::TemporaryDirectory;

namespace {

std::string name_for(const std::string& registry, const std::string& prompt) {
  return prm_mock::fixture_name_for(parse(R"({"registryRef":")" + registry +
                                          R"(","artifact":{"prompt":")" + prompt +
                                          R"(","model":"GPT-4o","version":"1.0.0"}})"));
}

}  // namespace

TEST_CASE("record names: lower-case [a-z0-9._-], no separators, bounded, never hidden or empty") {
  CHECK(name_for("acme/prompts", "greeting") == "acme-prompts-greeting-gpt-4o-1.0.0");
  CHECK(name_for("../../etc", "pass wd") == "etc-pass-wd-gpt-4o-1.0.0");
  CHECK(name_for("..", "\\\\x") == "x-gpt-4o-1.0.0");
  CHECK(name_for(std::string(300, 'a'), "p").size() == 80);
  CHECK(prm_mock::fixture_name_for(parse(R"({"registryRef":"//"})")) == "recording");
  CHECK(prm_mock::fixture_name_for(parse("[]")) == "recording");
}

TEST_CASE("record files: a new file appears whole, never replaces one, leaves no temporary") {
  TemporaryDirectory directory("prm-mock-record-files");
  const auto path = directory.path() / "a.json";
  bool exists = false;
  std::string problem;
  REQUIRE(prm_mock::write_new_file_atomically(path, "first", exists, problem));
  CHECK_FALSE(prm_mock::write_new_file_atomically(path, "second", exists, problem));
  CHECK(exists);
  std::size_t entries = 0;
  for (const auto& entry : std::filesystem::directory_iterator(directory.path())) {
    ++entries;
    CHECK(entry.path().filename() == "a.json");
  }
  CHECK(entries == 1);
  // What a crash between create and link leaves behind is hidden, so no loader ever reads it.
  CHECK_FALSE(prm_mock::is_fixture_file_name(directory.path() / ".a.json.tmp-123-0"));
}

TEST_CASE("record headers: credentials, Set-Cookie and --redact-header values never written") {
  const std::vector<std::string> extra{"X-Tenant-Secret"};
  const std::string secret = "s3cr3t-value-0123456789";
  for (const char* name :
       {"X-API-Key", "authorization", "Cookie", "set-cookie", "x-tenant-secret"}) {
    const std::string written = prm_mock::recorded_header_value(name, secret, extra);
    CHECK_MESSAGE(written.find(secret) == std::string::npos, name);
    CHECK_MESSAGE(written.find("[redacted]") != std::string::npos, name);
  }
  CHECK(prm_mock::recorded_header_value("Retry-After", "1", extra) == "1");
  CHECK(prm_mock::is_hop_by_hop_header("transfer-encoding"));
  CHECK(prm_mock::is_hop_by_hop_header("Proxy-Authenticate"));
  CHECK_FALSE(prm_mock::is_hop_by_hop_header("Retry-After"));
}
