// The response a journal entry keeps: its shape, its bound, and no credential in it.
#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <chrono>
#include <limits>
#include <string>
#include <vector>

#include "journal/journal.hpp"
#include "journal/redaction.hpp"

using prm_mock::ExchangeRecord;
using prm_mock::Journal;
using prm_mock::JournalOptions;
using prm_mock::redact_secrets_in;
using prm_mock::ResponseRecord;

namespace {

const std::string kKey = "prm_live_4f8a9c2e7b1d6k3Q";   // fingerprint "6k3Q"
const std::string kToken = "tok_0123456789abcdefXYZW";  // fingerprint "XYZW"

ExchangeRecord answered(const std::string& id, ResponseRecord response) {
  ExchangeRecord record;
  record.id = id;
  record.method = "POST";
  record.path = "/api/registries/artifacts";
  record.status = response.status;
  record.response = std::move(response);
  return record;
}

rapidjson::Document newest_json(const Journal& journal) {
  const auto entries = journal.snapshot();
  REQUIRE_FALSE(entries.empty());
  rapidjson::Document json;
  json.Parse(entries.back()->json.c_str());
  REQUIRE_FALSE(json.HasParseError());
  return json;
}

std::string text_of(const rapidjson::Value& value) {
  return std::string(value.GetString(), value.GetStringLength());
}

}  // namespace

TEST_CASE("journal response: status, headers and a JSON body, in the documented shape") {
  Journal journal(JournalOptions{});
  journal.record(answered("r1", {201,
                                 {{"Content-Type", "application/json"}, {"Location", "/a/1"}},
                                 R"({"id":"a-1","tags":["x"]})"}));
  const auto json = newest_json(journal);
  const auto& response = json["response"];
  REQUIRE(response.IsObject());
  CHECK(response.MemberCount() == 4);
  CHECK(response["status"].GetInt() == 201);
  CHECK(text_of(response["headers"]["Location"]) == "/a/1");
  CHECK(text_of(response["headers"]["Content-Type"]) == "application/json");
  CHECK(text_of(response["body"]["id"]) == "a-1");  // parsed, not a string of JSON
  CHECK(response["body"]["tags"].Size() == 1);
  CHECK(response["bodyTruncated"].IsFalse());
  const auto entry = journal.snapshot().back();
  REQUIRE(entry->response.has_value());
  CHECK(entry->response->body_json != nullptr);
  CHECK(entry->response->body_text.empty());
}

TEST_CASE("journal response: none sent is null; an empty body is null; text stays text") {
  Journal journal(JournalOptions{});
  ExchangeRecord reset = answered("reset", {200, {}, "{}"});
  reset.response.reset();  // what a connection_reset fault leaves
  journal.record(reset);
  CHECK(newest_json(journal)["response"].IsNull());

  journal.record(answered("empty", {204, {}, ""}));
  auto json = newest_json(journal);
  CHECK(json["response"]["status"].GetInt() == 204);
  CHECK(json["response"]["body"].IsNull());
  CHECK(json["response"]["bodyTruncated"].IsFalse());

  // A malformed_body fault's garbled JSON, with a byte that is no UTF-8: kept as valid text.
  journal.record(answered("garbled", {200, {}, "{\"message\":\x01<garbled\xFF"}));
  json = newest_json(journal);
  CHECK(text_of(json["response"]["body"]) == "{\"message\":\x01<garbled\xEF\xBF\xBD");
}

TEST_CASE("journal response: the body is cut at the body text limit, JSON or not") {
  Journal journal(JournalOptions{10, "", 16});
  journal.record(answered("long", {200, {}, R"({"message":"longer than sixteen bytes"})"}));
  const auto json = newest_json(journal);
  // Cut JSON no longer parses: it is kept as text, flagged.
  CHECK(text_of(json["response"]["body"]) == R"({"message":"long)");
  CHECK(json["response"]["bodyTruncated"].IsTrue());
  CHECK(journal.snapshot().back()->response->body_json == nullptr);

  journal.record(answered("fits", {200, {}, R"({"ok":true})"}));
  CHECK(newest_json(journal)["response"]["body"]["ok"].IsTrue());
}

TEST_CASE("journal response: a body nested deeper than 256 is kept as text, not parsed") {
  Journal journal(JournalOptions{});
  const std::string deep = std::string(300, '[') + std::string(300, ']');
  journal.record(answered("deep", {200, {}, deep}));
  const auto json = newest_json(journal);
  CHECK(text_of(json["response"]["body"]) == deep);
}

TEST_CASE("journal response: credential headers, Set-Cookie and echoed keys are redacted") {
  Journal journal(JournalOptions{});
  ExchangeRecord record =
      answered("echo", {200,
                        {{"Set-Cookie", "session=s3cr3t-cookie-value; HttpOnly"},
                         {"Authorization", "Bearer " + kToken},
                         {"X-Echo", "key " + kKey + " again " + kKey},
                         {"X-Plain", "nothing secret"}},
                        R"({"apiKey":")" + kKey + R"(","token":")" + kToken + R"("})"});
  record.headers = {{"X-API-Key", kKey}, {"Authorization", "Bearer " + kToken}};
  journal.record(record);

  const auto entry = journal.snapshot().back();
  CHECK(entry->json.find(kKey) == std::string::npos);
  CHECK(entry->json.find(kToken) == std::string::npos);
  CHECK(entry->json.find("s3cr3t") == std::string::npos);
  const auto json = newest_json(journal);
  const auto& headers = json["response"]["headers"];
  CHECK(text_of(headers["Set-Cookie"]).starts_with("[redacted]\u2026"));
  CHECK(text_of(headers["Authorization"]) == "Bearer [redacted]\u2026XYZW");
  CHECK(text_of(headers["X-Echo"]) == "key [redacted]\u20266k3Q again [redacted]\u20266k3Q");
  CHECK(text_of(headers["X-Plain"]) == "nothing secret");
  // The echoed body is redacted first and still parses.
  CHECK(text_of(json["response"]["body"]["apiKey"]) == "[redacted]\u20266k3Q");
  CHECK(text_of(json["response"]["body"]["token"]) == "[redacted]\u2026XYZW");
}

TEST_CASE("journal response: counted in the entry's footprint") {
  Journal journal(JournalOptions{});
  journal.record(answered("small", {200, {}, ""}));
  const std::size_t small = journal.snapshot().back()->footprint_bytes;
  journal.record(
      answered("big", {200, {{"X-Big", std::string(4000, 'h')}}, std::string(30000, 'b')}));
  const std::size_t big = journal.snapshot().back()->footprint_bytes;
  // The text twice (kept and serialised) and the header twice at least.
  CHECK(big >= small + 2 * 30000 + 2 * 4000);
  CHECK(journal.held_bytes() == small + big);
}

TEST_CASE("journal: find returns the held entry with an id, null for any other") {
  Journal journal(JournalOptions{2});
  for (const char* id : {"a", "b", "c"}) journal.record(answered(id, {200, {}, ""}));
  REQUIRE(journal.find("c") != nullptr);
  CHECK(journal.find("c")->id == "c");
  CHECK(journal.find("b") != nullptr);
  CHECK(journal.find("a") == nullptr);  // dropped for the bound
  CHECK(journal.find("") == nullptr);
}

TEST_CASE("redact_secrets_in: every occurrence replaced, the cut never inside a secret") {
  const std::vector<std::string> secrets{"abcdefghijklmnopqrst", ""};  // the empty one is ignored
  constexpr auto kNoLimit = std::numeric_limits<std::size_t>::max();
  bool cut = true;
  CHECK(redact_secrets_in("x abcdefghijklmnopqrst y abcdefghijklmnopqrst", secrets, kNoLimit,
                          cut) == "x [redacted]\u2026qrst y [redacted]\u2026qrst");
  CHECK_FALSE(cut);
  // The limit falls inside the secret: the whole replacement goes, never a part of the key.
  const std::string kept = redact_secrets_in("0123abcdefghijklmnopqrst tail", secrets, 8, cut);
  CHECK(kept == "0123[redacted]\u2026qrst");
  CHECK(cut);
  CHECK(redact_secrets_in("no secret here", secrets, 5, cut) == "no se");
  CHECK(cut);
  CHECK(redact_secrets_in("", secrets, 5, cut).empty());
  CHECK_FALSE(cut);
  // Of two secrets starting at one place, the longer is replaced whole.
  const std::vector<std::string> nested{"0123456789abcdef", "0123456789abcdefGHIJ"};
  CHECK(redact_secrets_in("<0123456789abcdefGHIJ>", nested, kNoLimit, cut) ==
        "<[redacted]\u2026GHIJ>");
}
