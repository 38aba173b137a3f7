#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <chrono>
#include <memory>
#include <string>

#include "journal/journal.hpp"

using prm_mock::ExchangeRecord;
using prm_mock::Journal;
using prm_mock::JournalOptions;

namespace {

ExchangeRecord exchange(const std::string& id, int status = 201) {
  ExchangeRecord record;
  record.id = id;
  record.received_at =
      std::chrono::system_clock::time_point(std::chrono::milliseconds(1'700'000'000'123));
  record.method = "POST";
  record.path = "/api/registries/artifacts";
  record.status = status;
  return record;
}

std::shared_ptr<const rapidjson::Document> parsed_body(const char* json) {
  auto document = std::make_shared<rapidjson::Document>();
  document->Parse(json);
  REQUIRE_FALSE(document->HasParseError());
  return document;
}

rapidjson::Document entry_json(Journal& journal) {
  const auto entries = journal.snapshot();
  REQUIRE_FALSE(entries.empty());
  rapidjson::Document json;
  json.Parse(entries.back()->json.c_str());
  REQUIRE_FALSE(json.HasParseError());
  return json;
}

}  // namespace

TEST_CASE("journal entry: every field, in the documented JSON shape") {
  Journal journal(JournalOptions{});
  ExchangeRecord record = exchange("req-1", 400);
  record.query = "dryRun=true";
  record.headers = {{"Content-Type", "application/json"}, {"Accept", "a"}, {"accept", "b"}};
  record.body_text = R"({"name":"x"})";
  record.body_json = parsed_body(record.body_text.c_str());
  record.fixture = "invalid-name";
  record.scope = "key:0123456789abcdef";
  record.violations = {{"body", "/hash", "required", "missing required property 'hash'"}};
  record.warnings = {{"header", "User-Agent", "advisory", "no User-Agent"}};
  record.latency_us = 1234;
  record.delay_ms = 250;
  journal.record(record);

  const auto json = entry_json(journal);
  CHECK(json.MemberCount() == 17);  // chaosWhat only on injected entries
  CHECK(std::string(json["id"].GetString()) == "req-1");
  CHECK(std::string(json["receivedAt"].GetString()) == "2023-11-14T22:13:20.123Z");
  CHECK(std::string(json["method"].GetString()) == "POST");
  CHECK(std::string(json["path"].GetString()) == "/api/registries/artifacts");
  CHECK(std::string(json["query"].GetString()) == "dryRun=true");
  CHECK(std::string(json["headers"]["Content-Type"].GetString()) == "application/json");
  CHECK(std::string(json["headers"]["Accept"].GetString()) == "a, b");  // repeated header joined
  CHECK(std::string(json["body"]["name"].GetString()) == "x");
  CHECK(json["bodyTruncated"].IsFalse());
  CHECK(json["status"].GetInt() == 400);
  CHECK(std::string(json["fixture"].GetString()) == "invalid-name");
  CHECK(std::string(json["scope"].GetString()) == "key:0123456789abcdef");
  REQUIRE(json["violations"].Size() == 1);
  const auto& violation = json["violations"][0];
  CHECK(std::string(violation["location"].GetString()) == "body");
  CHECK(std::string(violation["pointer"].GetString()) == "/hash");
  CHECK(std::string(violation["keyword"].GetString()) == "required");
  CHECK(std::string(violation["message"].GetString()) == "missing required property 'hash'");
  CHECK(std::string(json["warnings"][0]["keyword"].GetString()) == "advisory");
  CHECK(json["latencyUs"].GetInt64() == 1234);
  CHECK(json["delayMs"].GetInt64() == 250);
  CHECK(json["chaos"].IsFalse());
  CHECK_FALSE(json.HasMember("chaosWhat"));
  CHECK(json["response"].IsNull());  // none recorded (test_journal_response.cpp has them)

  const auto entry = journal.snapshot().back();
  CHECK(entry->status == 400);
  CHECK(entry->fixture == "invalid-name");
  CHECK(entry->id == "req-1");
  CHECK(entry->received_at == record.received_at);
  CHECK((*entry->body_json)["name"] == "x");
  CHECK(entry->headers.find("content-type")->second == "application/json");
}

TEST_CASE("journal entry: no fixture is null, no scope is null, no body is null") {
  Journal journal(JournalOptions{});
  journal.record(exchange("req-1"));
  const auto json = entry_json(journal);
  CHECK(json["fixture"].IsNull());
  CHECK(json["scope"].IsNull());
  CHECK(json["body"].IsNull());
  CHECK(json["bodyTruncated"].IsFalse());
  CHECK(json["headers"].ObjectEmpty());
  CHECK(json["violations"].Empty());
}

TEST_CASE("journal entry: a body that did not parse is kept as text, cut past the limit") {
  Journal journal(JournalOptions{10, "", 8});
  ExchangeRecord short_text = exchange("short");
  short_text.body_text = "{oops";
  journal.record(short_text);
  auto json = entry_json(journal);
  CHECK(std::string(json["body"].GetString()) == "{oops");
  CHECK(json["bodyTruncated"].IsFalse());

  ExchangeRecord long_text = exchange("long");
  long_text.body_text = "0123456789abcdef";
  journal.record(long_text);
  json = entry_json(journal);
  CHECK(std::string(json["body"].GetString()) == "01234567");
  CHECK(json["bodyTruncated"].IsTrue());
  CHECK(journal.snapshot().back()->body_truncated);
  CHECK(journal.snapshot().back()->body_json == nullptr);

  // A parsed body is kept whole whatever its size: the limit is for raw text.
  ExchangeRecord big_json = exchange("big-json");
  big_json.body_text = R"({"description":"much longer than eight bytes"})";
  big_json.body_json = parsed_body(big_json.body_text.c_str());
  journal.record(big_json);
  json = entry_json(journal);
  CHECK(std::string(json["body"]["description"].GetString()) == "much longer than eight bytes");
  CHECK(json["bodyTruncated"].IsFalse());
}

TEST_CASE("journal entry: the cut never splits a character, and invalid UTF-8 stays valid JSON") {
  Journal journal(JournalOptions{10, "", 6});
  ExchangeRecord record = exchange("utf8");
  record.body_text = "abcde\xC3\xA9z";  // the limit falls inside 'é'
  journal.record(record);
  CHECK(std::string(entry_json(journal)["body"].GetString()) == "abcde");

  record = exchange("binary");
  record.body_text = "\xFF\xFEok";
  record.headers = {{"X-Odd", "\xC0\x80"}};
  journal.record(record);
  const auto json = entry_json(journal);  // parses, so it is valid JSON
  CHECK(std::string(json["body"].GetString()) == "\xEF\xBF\xBD\xEF\xBF\xBDok");
  CHECK(std::string(json["headers"]["X-Odd"].GetString()) == "\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST_CASE("journal: bounded; the oldest entries are dropped and counted") {
  Journal journal(JournalOptions{3});
  for (int i = 1; i <= 5; ++i) journal.record(exchange("req-" + std::to_string(i)));
  CHECK(journal.size() == 3);
  CHECK(journal.total() == 5);
  CHECK(journal.dropped() == 2);
  const auto entries = journal.snapshot();
  REQUIRE(entries.size() == 3);
  CHECK(entries[0]->id == "req-3");
  CHECK(entries[2]->id == "req-5");
}

TEST_CASE("journal: bounded in bytes too; big bodies push the oldest out, the newest stays") {
  // 10,000 entries of a 10 MiB body would be 100 GiB: the entry count alone bounds nothing.
  JournalOptions options;
  options.limit = 1000;
  options.max_bytes = 1024 * 1024;
  Journal journal(options);
  const auto record_with_body = [&journal](const std::string& id, std::size_t bytes) {
    ExchangeRecord record = exchange(id);
    record.body_text = std::string(bytes, 'x');  // unparsed: kept as text up to 64 KiB
    journal.record(std::move(record));
  };
  for (int i = 1; i <= 40; ++i) record_with_body("big-" + std::to_string(i), 60 * 1024);
  CHECK(journal.total() == 40);
  CHECK(journal.held_bytes() <= options.max_bytes);
  // ~60 KiB held twice (text and JSON) per entry: between 4 and 9 fit in 1 MiB.
  CHECK(journal.size() >= 4);
  CHECK(journal.size() <= 9);
  CHECK(journal.dropped() == 40 - journal.size());
  CHECK(journal.snapshot().back()->id == "big-40");
  std::size_t sum = 0;
  for (const auto& entry : journal.snapshot()) sum += entry->footprint_bytes;
  CHECK(sum == journal.held_bytes());

  // One entry above the whole bound is still kept: the newest request is always there to see.
  options.max_bytes = 1024;
  Journal tiny(options);
  ExchangeRecord first = exchange("first");
  first.body_text = std::string(4096, 'y');
  tiny.record(std::move(first));
  CHECK(tiny.size() == 1);
  tiny.record(exchange("second"));
  CHECK(tiny.size() == 1);
  CHECK(tiny.snapshot().front()->id == "second");
  tiny.clear();
  CHECK(tiny.held_bytes() == 0);
}

TEST_CASE("journal: limit 0 keeps nothing in memory but still counts") {
  Journal journal(JournalOptions{0});
  journal.record(exchange("req-1"));
  CHECK(journal.size() == 0);
  CHECK(journal.total() == 1);
  CHECK(journal.dropped() == 1);
}

TEST_CASE("journal: clear empties it and resets the counters") {
  Journal journal(JournalOptions{2});
  for (int i = 1; i <= 3; ++i) journal.record(exchange("req-" + std::to_string(i)));
  const auto held_before = journal.snapshot();  // a snapshot outlives clear()
  journal.clear();
  CHECK(journal.size() == 0);
  CHECK(journal.total() == 0);
  CHECK(journal.dropped() == 0);
  CHECK(held_before.size() == 2);
  journal.record(exchange("req-4"));
  CHECK(journal.total() == 1);
  CHECK(journal.snapshot().front()->id == "req-4");
}
