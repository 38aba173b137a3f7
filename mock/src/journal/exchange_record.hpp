#pragma once
// What the server hands the journal for each request, before it sends the response. Everything is
// as received: the journal, not the caller, redacts credentials and bounds the body text.
#include <httplib.h>
#include <rapidjson/document.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "diagnostics/violation.hpp"

namespace prm_mock {

// The response as the handler left it to be sent: before httplib compresses the body and before
// the connection layer adds what it owns (Date, Content-Length, Connection, Keep-Alive) and the
// server its common headers (CORS), none of which is decided yet when the journal is written.
struct ResponseRecord {
  int status = 0;
  httplib::Headers headers;  // NOT yet redacted
  std::string body;          // whole, NOT yet cut or redacted
};

struct ExchangeRecord {
  std::string id;  // the X-Request-Id of the exchange
  std::chrono::system_clock::time_point received_at;
  std::string method;
  std::string path;
  std::string query;                                     // raw query string, without the '?'
  httplib::Headers headers;                              // as received, NOT yet redacted
  std::string body_text;                                 // raw bytes read, possibly empty
  std::shared_ptr<const rapidjson::Document> body_json;  // null when the body was not parsed
  int status = 0;
  std::string fixture;  // the fixture that answered, empty when none did
  // The label of the scope the request belongs to ("key:…", "header:…=…", "global",
  // "anonymous"): never a credential. Empty when the server gave none.
  std::string scope;
  Violations violations;
  Violations warnings;
  std::int64_t latency_us = 0;
  // A fixture's deliberate delay: the response left this long after the request arrived.
  // latency_us is the mock's own work, without the wait it was asked for.
  std::int64_t delay_ms = 0;
  std::string chaos;  // what --chaos answered instead of the fixture ("503"); empty when nothing
  // What was sent back; absent when nothing was (a reset, an empty close, a connection held
  // open, a TLS client on the plain port).
  std::optional<ResponseRecord> response;
};

}  // namespace prm_mock
