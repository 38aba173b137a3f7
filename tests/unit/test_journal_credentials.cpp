// The journal keeps a SHA-256 of each credential value beside its redacted text (so a query can
// still ask whether a key was sent) and never writes it out; it records each request's scope label
// and lists entries by it.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "journal/journal.hpp"
#include "text/sha256.hpp"

using namespace prm_mock;

namespace {

const std::string kCredentialKey = "k-test-17-credential-digest";

std::string journal_entries_text(const Journal& journal) {
  std::string text;
  for (const auto& entry : journal.snapshot()) text += entry->json + "\n";
  return text;
}

}  // namespace

TEST_CASE("journal credentials: a digest per credential value, never in the entry's JSON") {
  Journal journal(JournalOptions{10});
  ExchangeRecord record;
  record.id = "req-1";
  record.headers = {{"X-API-Key", kCredentialKey},
                    {"Authorization", "Bearer " + kCredentialKey},
                    {"X-Other", "visible"}};
  journal.record(record);
  const auto entry = journal.snapshot().front();
  REQUIRE(entry->credential_digests.size() == 2);
  for (const CredentialDigest& credential : entry->credential_digests) {
    const std::string sent =
        credential.name == "X-API-Key" ? kCredentialKey : "Bearer " + kCredentialKey;
    CHECK(digests_equal(credential.digest, sha256_digest(sent)));
    CHECK_FALSE(digests_equal(credential.digest, sha256_digest(sent + "x")));
  }
  const std::string text = journal_entries_text(journal);
  CHECK(text.find(kCredentialKey) == std::string::npos);
  for (const std::string& sent : {kCredentialKey, "Bearer " + kCredentialKey}) {
    // Not even a part of the digest: the 16 leading hex digits would already be a lookup key.
    CHECK(text.find(sha256_hex_prefix(sha256_digest(sent), 16)) == std::string::npos);
  }
}

TEST_CASE("journal scope: written as given, null when none, and a filter of the listing") {
  Journal journal(JournalOptions{10});
  const char* scopes[] = {"key:0123456789abcdef", "", "header:x-mock-session=a",
                          "key:0123456789abcdef"};
  for (int i = 0; i < 4; ++i) {
    ExchangeRecord record;
    record.id = "req-" + std::to_string(i + 1);
    record.scope = scopes[i];
    journal.record(record);
  }
  const auto entries = journal.snapshot();
  CHECK(entries[0]->json.find(R"("scope":"key:0123456789abcdef")") != std::string::npos);
  CHECK(entries[1]->json.find(R"("scope":null)") != std::string::npos);
  const JournalListing by_key = journal.list({.scope = "key:0123456789abcdef"});
  REQUIRE(by_key.entries.size() == 2);
  CHECK(by_key.entries[0]->id == "req-1");
  CHECK(by_key.entries[1]->id == "req-4");
  CHECK(journal.list({.scope = "header:x-mock-session=a"}).entries.size() == 1);
  CHECK(journal.list({.scope = "global"}).entries.empty());
}
