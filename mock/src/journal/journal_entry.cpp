#include "journal/journal_entry.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <iterator>

#include "diagnostics/violation_json.hpp"
#include "journal/redaction.hpp"
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

void write_body(JsonWriter& writer, const JournalEntry& entry) {
  writer.Key("body");
  if (entry.body_json) {
    entry.body_json->Accept(writer);
  } else if (!entry.body_text.empty() || entry.body_truncated) {
    write_text(writer, entry.body_text);
  } else {
    writer.Null();
  }
  writer.Key("bodyTruncated");
  writer.Bool(entry.body_truncated);
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
  write_body(writer, entry);
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
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

// Replaces credential values by their redacted text, keeping each one's digest in `digests`: the
// value itself is gone from the entry once this returns.
httplib::Headers redacted(httplib::Headers headers, std::vector<CredentialDigest>& digests) {
  for (auto& [name, value] : headers) {
    if (!is_credential_header(name)) continue;
    digests.push_back({name, sha256_digest(value)});
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

// Counted generously (per-node and per-string overheads included), never exactly: the bound is
// about not growing without limit, not about the last byte.
std::size_t footprint(const JournalEntry& entry, std::size_t parsed_body_bytes) {
  constexpr std::size_t kPerHeaderOverhead = 128;  // map node and two string headers
  std::size_t bytes = sizeof(JournalEntry) + entry.json.capacity() + entry.body_text.capacity() +
                      parsed_body_bytes + entry.id.size() + entry.method.size() +
                      entry.path.size() + entry.query.size() + entry.fixture.size() +
                      entry.scope.size();
  for (const auto& [name, value] : entry.headers)
    bytes += kPerHeaderOverhead + name.size() + value.size();
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
  entry->headers = redacted(std::move(record.headers), entry->credential_digests);
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
  entry->json = serialise(*entry);
  entry->footprint_bytes = footprint(*entry, parsed_body_bytes);
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
