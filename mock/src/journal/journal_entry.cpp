#include "journal/journal_entry.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <iterator>
#include <limits>

#include "diagnostics/violation_json.hpp"
#include "journal/redaction.hpp"
#include "text/json_depth.hpp"
#include "text/utc_time_text.hpp"
#include "text/utf8_text.hpp"

namespace prm_mock {
namespace {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

// Every string from the request goes through here: the journal must stay valid JSON whatever
// bytes a client sent.
void write_text(JsonWriter& writer, std::string_view text) { write_utf8_json_string(writer, text); }

void write_member(JsonWriter& writer, const char* key, std::string_view text) {
  writer.Key(key);
  write_text(writer, text);
}

// httplib::Headers is a case-insensitive multimap, so a repeated header's values are adjacent:
// the run of one name ends at the first key the map orders after it (one comparison per step;
// equal_range would cost two binary searches of case-folding comparisons per header).
void write_headers(JsonWriter& writer, const httplib::Headers& headers) {
  const auto orders_before = headers.key_comp();
  writer.StartObject();
  for (auto first = headers.begin(); first != headers.end();) {
    auto last = std::next(first);
    while (last != headers.end() && !orders_before(first->first, last->first)) ++last;
    write_text(writer, first->first);
    if (std::next(first) == last) {  // the usual case: one value, nothing to join
      write_text(writer, first->second);
    } else {
      std::string joined;
      for (auto value = first; value != last; ++value) {
        if (value != first) joined += ", ";
        joined += value->second;
      }
      write_text(writer, joined);
    }
    first = last;
  }
  writer.EndObject();
}

void write_body(JsonWriter& writer, const rapidjson::Document* json, std::string_view text,
                bool truncated) {
  writer.Key("body");
  if (json != nullptr) {
    json->Accept(writer);
  } else if (!text.empty() || truncated) {
    write_text(writer, text);
  } else {
    writer.Null();
  }
  writer.Key("bodyTruncated");
  writer.Bool(truncated);
}

void write_response(JsonWriter& writer, const std::optional<JournalResponse>& response) {
  writer.Key("response");
  if (!response) {
    writer.Null();
    return;
  }
  writer.StartObject();
  writer.Key("status");
  writer.Int(response->status);
  writer.Key("headers");
  write_headers(writer, response->headers);
  write_body(writer, response->body_json.get(), response->body_text, response->body_truncated);
  writer.EndObject();
}

std::string serialise(const JournalEntry& entry) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.StartObject();
  write_member(writer, "id", entry.id);
  write_member(writer, "receivedAt", format_utc_rfc3339_ms(entry.received_at));
  write_member(writer, "method", entry.method);
  write_member(writer, "path", entry.path);
  write_member(writer, "query", entry.query);
  writer.Key("headers");
  write_headers(writer, entry.headers);
  write_body(writer, entry.body_json.get(), entry.body_text, entry.body_truncated);
  writer.Key("status");
  writer.Int(entry.status);
  writer.Key("fixture");
  if (entry.fixture.empty()) {
    writer.Null();
  } else {
    write_text(writer, entry.fixture);
  }
  writer.Key("scope");
  if (entry.scope.empty()) {
    writer.Null();
  } else {
    write_text(writer, entry.scope);
  }
  writer.Key("violations");
  write_violations(writer, entry.violations);
  writer.Key("warnings");
  write_violations(writer, entry.warnings);
  writer.Key("latencyUs");
  writer.Int64(entry.latency_us);
  writer.Key("delayMs");
  writer.Int64(entry.delay_ms);
  writer.Key("chaos");
  writer.Bool(!entry.chaos.empty());
  if (!entry.chaos.empty()) write_member(writer, "chaosWhat", entry.chaos);
  write_response(writer, entry.response);
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

// Replaces credential values by their redacted text, keeping each one's digest in `digests` and
// its secret in `secrets` (for redacting the response, then dropped with the record): the value
// itself is gone from the entry once this returns.
httplib::Headers redacted(httplib::Headers headers, std::vector<CredentialDigest>& digests,
                          std::vector<std::string>& secrets) {
  for (auto& [name, value] : headers) {
    if (!is_credential_header(name)) continue;
    digests.push_back({name, sha256_digest(value)});
    if (const std::string_view secret = credential_secret(name, value); !secret.empty()) {
      secrets.emplace_back(secret);
    }
    value = redact_header_value(name, value);
  }
  return headers;
}

// A parsed body as the journal keeps it: in a pool sized to the body. The request's Document
// allocates its pool in 64 KiB chunks, so 10,000 kept entries of a 1 KiB body would hold over
// 600 MiB; a copy in chunks near the body's own size keeps memory proportional to what was sent.
struct CompactDocument {
  explicit CompactDocument(std::size_t chunk_bytes)
      : allocator(chunk_bytes), document(&allocator) {}
  rapidjson::MemoryPoolAllocator<> allocator;
  rapidjson::Document document;
};

std::shared_ptr<const rapidjson::Document> compact_copy(const rapidjson::Document& parsed,
                                                        std::size_t body_bytes,
                                                        std::size_t& held_bytes) {
  constexpr std::size_t kMinChunk = 1024;
  constexpr std::size_t kMaxChunk = 64 * 1024;
  auto holder = std::make_shared<CompactDocument>(std::clamp(body_bytes * 2, kMinChunk, kMaxChunk));
  holder->document.CopyFrom(parsed, holder->allocator);
  held_bytes = holder->allocator.Capacity();
  return std::shared_ptr<const rapidjson::Document>(holder, &holder->document);
}

// A response body the journal parsed itself: no deeper than a request body may be by default, so
// serialising it (which recurses) stays shallow whatever an upstream answered in record mode.
constexpr std::size_t kMaxResponseBodyDepth = 256;

std::shared_ptr<const rapidjson::Document> parsed_response_body(const std::string& text,
                                                                std::size_t& held_bytes) {
  if (text.empty()) return nullptr;
  constexpr std::size_t kMinChunk = 1024;
  constexpr std::size_t kMaxChunk = 64 * 1024;
  auto holder =
      std::make_shared<CompactDocument>(std::clamp(text.size() * 2, kMinChunk, kMaxChunk));
  holder->document.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag>(
      text.data(), text.size());
  if (holder->document.HasParseError() ||
      nested_deeper_than(holder->document, kMaxResponseBodyDepth)) {
    return nullptr;
  }
  held_bytes = holder->allocator.Capacity();
  return std::shared_ptr<const rapidjson::Document>(holder, &holder->document);
}

// The response as the entry keeps it: headers redacted, then any secret the request sent
// redacted wherever the response repeats it, the body cut to the limit.
JournalResponse journal_response(ResponseRecord sent, const std::vector<std::string>& secrets,
                                 std::size_t body_text_limit, std::size_t& parsed_body_bytes) {
  JournalResponse kept;
  kept.status = sent.status;
  kept.headers = std::move(sent.headers);
  for (auto& [name, value] : kept.headers) {
    if (is_credential_response_header(name)) {
      value = redact_response_header_value(name, value);
    } else if (!secrets.empty()) {
      bool cut = false;
      value = redact_secrets_in(value, secrets, std::numeric_limits<std::size_t>::max(), cut);
    }
  }
  kept.body_text = redact_secrets_in(sent.body, secrets, body_text_limit, kept.body_truncated);
  if (!kept.body_truncated) {
    kept.body_json = parsed_response_body(kept.body_text, parsed_body_bytes);
    if (kept.body_json) kept.body_text = std::string();
  }
  return kept;
}

// Counted generously (per-node and per-string overheads included), never exactly: the bound is
// about not growing without limit, not about the last byte.
std::size_t footprint(const JournalEntry& entry, std::size_t parsed_body_bytes,
                      std::size_t parsed_response_bytes) {
  constexpr std::size_t kPerHeaderOverhead = 128;  // map node and two string headers
  std::size_t bytes = sizeof(JournalEntry) + entry.json.capacity() + entry.body_text.capacity() +
                      parsed_body_bytes + entry.id.size() + entry.method.size() +
                      entry.path.size() + entry.query.size() + entry.fixture.size() +
                      entry.scope.size();
  for (const auto& [name, value] : entry.headers)
    bytes += kPerHeaderOverhead + name.size() + value.size();
  if (entry.response) {
    bytes += sizeof(JournalResponse) + entry.response->body_text.capacity() + parsed_response_bytes;
    for (const auto& [name, value] : entry.response->headers)
      bytes += kPerHeaderOverhead + name.size() + value.size();
  }
  for (const CredentialDigest& credential : entry.credential_digests)
    bytes += sizeof(CredentialDigest) + credential.name.size();
  for (const Violations* list : {&entry.violations, &entry.warnings}) {
    for (const Violation& violation : *list) {
      bytes += sizeof(Violation) + violation.location.size() + violation.pointer.size() +
               violation.keyword.size() + violation.message.size();
    }
  }
  return bytes;
}

}  // namespace

std::shared_ptr<const JournalEntry> make_journal_entry(ExchangeRecord record,
                                                       std::size_t body_text_limit) {
  auto entry = std::make_shared<JournalEntry>();
  entry->id = std::move(record.id);
  entry->received_at = record.received_at;
  entry->method = std::move(record.method);
  entry->path = std::move(record.path);
  entry->query = std::move(record.query);
  std::vector<std::string> secrets;  // the credentials sent, to keep them out of the response too
  entry->headers = redacted(std::move(record.headers), entry->credential_digests, secrets);
  std::size_t parsed_body_bytes = 0;
  if (record.body_json) {
    entry->body_json = compact_copy(*record.body_json, record.body_text.size(), parsed_body_bytes);
  }
  if (!entry->body_json) {
    const std::string_view kept = utf8_prefix(record.body_text, body_text_limit);
    entry->body_truncated = kept.size() < record.body_text.size();
    entry->body_text =
        kept.size() == record.body_text.size() ? std::move(record.body_text) : std::string(kept);
  }
  entry->status = record.status;
  entry->fixture = std::move(record.fixture);
  entry->scope = std::move(record.scope);
  entry->violations = std::move(record.violations);
  entry->warnings = std::move(record.warnings);
  entry->latency_us = record.latency_us;
  entry->delay_ms = record.delay_ms;
  entry->chaos = std::move(record.chaos);
  std::size_t parsed_response_bytes = 0;
  if (record.response) {
    entry->response = journal_response(std::move(*record.response), secrets, body_text_limit,
                                       parsed_response_bytes);
  }
  entry->json = serialise(*entry);
  entry->footprint_bytes = footprint(*entry, parsed_body_bytes, parsed_response_bytes);
  return entry;
}

std::string entries_json_array(const std::vector<std::shared_ptr<const JournalEntry>>& entries) {
  std::size_t size = 2;
  for (const auto& entry : entries) size += entry->json.size() + 1;
  std::string array;
  array.reserve(size);
  array += '[';
  for (const auto& entry : entries) {
    if (array.size() > 1) array += ',';
    array += entry->json;
  }
  array += ']';
  return array;
}

}  // namespace prm_mock
