#pragma once
// One recorded exchange, redacted and immutable: shared by the in-memory journal, the file writer
// and any listing in progress without copying or locking.
#include <httplib.h>
#include <rapidjson/document.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "diagnostics/violation.hpp"
#include "journal/exchange_record.hpp"
#include "text/sha256.hpp"

namespace prm_mock {

// What the journal keeps of one credential header value instead of the value: its SHA-256, so a
// query can still ask "was this key sent?" (`equals`) by comparing digests. Never serialised: the
// entry's JSON shows only the redacted text.
struct CredentialDigest {
  std::string name;  // the header name as received
  Sha256Digest digest;
};

// The response an entry keeps: its body bounded like the request's, credentials redacted.
struct JournalResponse {
  int status = 0;
  httplib::Headers headers;  // credential values and Set-Cookie already replaced
  // The body parsed, when it was whole within the body text limit and parsed as JSON; else null.
  std::shared_ptr<const rapidjson::Document> body_json;
  // The body cut to the journal's body text limit; kept only when body_json is null.
  std::string body_text;
  bool body_truncated = false;
};

struct JournalEntry {
  std::string id;
  std::chrono::system_clock::time_point received_at;
  std::string method;
  std::string path;
  std::string query;
  httplib::Headers headers;  // credential values already replaced (see redaction.hpp)
  std::vector<CredentialDigest> credential_digests;  // one per credential header value received
  // The parsed body, for matching with JSON pointers; null when the body was not parsed.
  std::shared_ptr<const rapidjson::Document> body_json;
  // The raw body, cut to the journal's body text limit; kept only when body_json is null.
  std::string body_text;
  bool body_truncated = false;  // body_text was cut
  int status = 0;
  std::string fixture;  // empty when no fixture answered
  std::string scope;    // the request's scope label; empty when none was given
  Violations violations;
  Violations warnings;
  std::int64_t latency_us = 0;
  std::int64_t delay_ms = 0;                // a fixture's delay before the response was sent
  std::string chaos;                        // what --chaos injected, empty when nothing
  std::optional<JournalResponse> response;  // absent when nothing was sent
  // The whole entry as one JSON object, serialised once when it was recorded.
  std::string json;
  // About how much memory the entry holds (its text, headers, parsed body and serialised form):
  // what the journal's byte bound counts.
  std::size_t footprint_bytes = 0;
};

// Redacts `record`, bounds its body text to `body_text_limit` bytes and serialises it:
//   {"id","receivedAt","method","path","query","headers":{name:value},"body","bodyTruncated",
//    "status","fixture","scope","violations":[{location,pointer,keyword,message}],"warnings",
//    "latencyUs","delayMs","chaos":bool[,"chaosWhat"],
//    "response":{"status","headers":{name:value},"body","bodyTruncated"} or null}
// "body" is the parsed JSON, else the raw text as a string (invalid UTF-8 replaced by U+FFFD),
// else null when there was no body at all; the response's "body" likewise, parsed only when it
// was whole within the limit (and nested at most 256 deep). "response" is null when nothing was
// sent (a connection reset, closed empty or held open; a TLS client on the plain port). Any
// credential the request sent is redacted wherever the response repeats it (a fixture's
// {{header:X-API-Key}}), and so are credential response headers and Set-Cookie. "fixture" and
// "scope" are null when empty; "chaosWhat" ("503", "connection_reset"...) is there only when
// "chaos" is true. Repeated headers appear once, their values joined with ", ".
std::shared_ptr<const JournalEntry> make_journal_entry(ExchangeRecord record,
                                                       std::size_t body_text_limit);

// A JSON array of the entries' pre-serialised objects, for listings: no re-serialisation.
std::string entries_json_array(const std::vector<std::shared_ptr<const JournalEntry>>& entries);

}  // namespace prm_mock
