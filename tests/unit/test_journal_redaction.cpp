#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "journal/journal.hpp"
#include "journal/redaction.hpp"

using prm_mock::redact_header_value;
using prm_mock::secret_fingerprint;

namespace {

const std::string kLongKey = "prm_live_4f8a9c2e7b1d6k3Q";  // 25 characters
const std::string kShortKey = "short-key-9";
const std::string kBearerToken = "tok_0123456789abcdefXYZW";
const std::string kCookieSecret = "session=s3cr3t-cookie-value";

std::string temporary_path(const char* name) {
  return (std::filesystem::temp_directory_path() /
          ("prm_" + std::to_string(::getpid()) + "_" + name))
      .string();
}

std::string file_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("redaction: long secrets keep their last 4 characters, short ones an FNV-1a hash") {
  CHECK(redact_header_value("X-API-Key", kLongKey) == "[redacted]\u20266k3Q");
  CHECK(secret_fingerprint(kLongKey) == "6k3Q");
  // FNV-1a 32 of "" is 811c9dc5 and of "a" is e40c292c: the published test vectors.
  CHECK(secret_fingerprint("") == "811c9dc5");
  CHECK(secret_fingerprint("a") == "e40c292c");
  CHECK(redact_header_value("x-api-key", kShortKey) ==
        "[redacted]\u2026" + secret_fingerprint(kShortKey));
  CHECK(secret_fingerprint(kShortKey).size() == 8);
}

TEST_CASE("redaction: Authorization keeps its scheme; Cookie and Proxy-Authorization too") {
  CHECK(redact_header_value("Authorization", "Bearer " + kBearerToken) ==
        "Bearer [redacted]\u2026XYZW");
  CHECK(redact_header_value("AUTHORIZATION", "bearer   " + kShortKey + "  ") ==
        "bearer [redacted]\u2026" + secret_fingerprint(kShortKey));
  CHECK(redact_header_value("Authorization", kLongKey) == "[redacted]\u20266k3Q");
  CHECK(redact_header_value("Proxy-Authorization", "Basic dXNlcjpwYXNzd29yZDEyMw==") ==
        "Basic [redacted]\u2026Mw==");
  CHECK(redact_header_value("cookie", kCookieSecret) == "[redacted]\u2026alue");
  CHECK(redact_header_value("Content-Type", "application/json") == "application/json");
  CHECK(redact_header_value("X-API-Key", "") == "");  // nothing to hide, and it explains a 401
}

TEST_CASE("redaction: the same key has the same fingerprint however it was sent; others differ") {
  CHECK(redact_header_value("X-API-Key", kShortKey) ==
        redact_header_value("X-API-Key", " " + kShortKey));
  CHECK(redact_header_value("Authorization", "Bearer " + kShortKey) ==
        "Bearer " + redact_header_value("X-API-Key", kShortKey));
  CHECK(secret_fingerprint("short-key-1") != secret_fingerprint("short-key-2"));
  CHECK(secret_fingerprint("aaaa-long-key-0001") != secret_fingerprint("aaaa-long-key-0002"));
}

TEST_CASE("redaction: no secret reaches the entry JSON or the journal file") {
  const std::string path = temporary_path("redaction.jsonl");
  std::filesystem::remove(path);
  std::string entry_json;
  {
    prm_mock::Journal journal(prm_mock::JournalOptions{10, path});
    prm_mock::ExchangeRecord record;
    record.id = "req-1";
    record.headers = {{"X-API-Key", kLongKey},
                      {"authorization", "Bearer " + kBearerToken},
                      {"Cookie", kCookieSecret},
                      {"X-Other", "visible"}};
    journal.record(record);
    record.id = "req-2";
    record.headers = {{"X-API-Key", kShortKey}};
    journal.record(record);
    for (const auto& entry : journal.snapshot()) entry_json += entry->json + "\n";
    const auto first = journal.snapshot().front();
    CHECK(first->headers.find("x-api-key")->second == "[redacted]\u20266k3Q");
    for (const auto& [name, value] : first->headers) {
      CHECK(value.find(kLongKey) == std::string::npos);
      CHECK(value.find(kBearerToken) == std::string::npos);
    }
  }
  const std::string file = file_text(path);
  std::filesystem::remove(path);
  for (const std::string& text : {entry_json, file}) {
    CHECK(text.find("visible") != std::string::npos);
    CHECK(text.find("[redacted]") != std::string::npos);
    for (const std::string& secret :
         {kLongKey, kShortKey, kBearerToken, kCookieSecret, std::string("s3cr3t")}) {
      CHECK_MESSAGE(text.find(secret) == std::string::npos, "secret found: " << secret);
    }
  }
}
