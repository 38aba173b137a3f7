#include "hostile_checks.hpp"

#include <doctest/doctest.h>
#include <malloc.h>

#include <algorithm>
#include <cstdio>
#include <fstream>

namespace prm_mock::testing {

std::string raw_body_of(const std::string& raw_response) {
  const std::size_t head_end = raw_response.find("\r\n\r\n");
  if (head_end == std::string::npos) return "";
  // Only the first response's body when more followed on the connection.
  std::size_t length = raw_response.size() - head_end - 4;
  const std::string head = raw_response.substr(0, head_end);
  if (const std::size_t header = head.find("\r\nContent-Length: "); header != std::string::npos) {
    length = std::min<std::size_t>(length, std::stoull(head.substr(header + 18)));
  }
  return raw_response.substr(head_end + 4, length);
}

rapidjson::Document json_body_of(const std::string& raw_response) {
  return parse(raw_body_of(raw_response));
}

bool is_valid_utf8_json(std::string_view text) {
  rapidjson::Document document;
  document.Parse<rapidjson::kParseValidateEncodingFlag>(text.data(), text.size());
  return !document.HasParseError();
}

std::string error_code_of(const std::string& raw_response) {
  const auto body = json_body_of(raw_response);
  if (!body.IsObject() || !body.HasMember("code") || !body["code"].IsString()) return "";
  return body["code"].GetString();
}

std::size_t response_count(const std::string& raw_exchange_text) {
  std::size_t count = 0;
  for (std::size_t at = raw_exchange_text.find("HTTP/1.1 "); at != std::string::npos;
       at = raw_exchange_text.find("HTTP/1.1 ", at + 1)) {
    // Only at the start of the text or of a line; a body could quote a status line.
    if (at == 0 || raw_exchange_text[at - 1] == '\n' || raw_exchange_text[at - 1] == '}') ++count;
  }
  return count;
}

std::string publish_head(const std::string& framing_lines, const std::string& extra_lines) {
  return "POST /api/registries/artifacts HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: k-test\r\n"
         "Content-Type: application/json\r\n" +
         framing_lines + extra_lines + "\r\n";
}

std::string as_chunk(std::string_view data) {
  char size[32];
  std::snprintf(size, sizeof size, "%zx\r\n", data.size());
  return size + std::string(data) + "\r\n";
}

std::uint64_t journal_total(const RunningServer& mock) {
  const auto answer = mock.client().Get("/__admin/requests?limit=0");
  REQUIRE(answer);
  REQUIRE(answer->status == 200);
  return parse(answer->body)["total"].GetUint64();
}

rapidjson::Document journal_entries(const RunningServer& mock, std::size_t limit) {
  const auto answer = mock.client().Get("/__admin/requests?limit=" + std::to_string(limit));
  REQUIRE(answer);
  REQUIRE(answer->status == 200);
  rapidjson::Document listing = parse(answer->body);
  REQUIRE(listing.IsObject());
  REQUIRE(listing["requests"].IsArray());
  return listing;
}

void check_still_serving(const RunningServer& mock) {
  const std::uint64_t before = journal_total(mock);
  const auto answer = mock.publish(kValidBody);  // a new httplib::Client: a new connection
  REQUIRE(answer);
  CHECK(answer->status == 200);
  CHECK(journal_total(mock) == before + 1);
  const auto newest = journal_entries(mock, 1);
  REQUIRE(newest["requests"].Size() == 1);
  CHECK(std::string(newest["requests"][0]["id"].GetString()) ==
        answer->get_header_value("X-Request-Id"));
}

std::size_t memory_kib(std::string_view field) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.size() > field.size() && line.compare(0, field.size(), field) == 0 &&
        line[field.size()] == ':') {
      return std::stoul(line.substr(field.size() + 1));
    }
  }
  FAIL("no " << field << " in /proc/self/status");
  return 0;
}

bool reset_memory_peak() {
  // Memory freed by earlier tests stays resident in malloc's arenas, and new buffers would reuse it
  // without raising the peak: give it back first, and make big buffers fresh mappings (glibc raises
  // its mmap threshold up to 32 MiB once a big block is freed, after which a 10 MiB buffer comes
  // from the already resident heap), so growth measured next is real growth.
  ::mallopt(M_MMAP_THRESHOLD, 256 * 1024);
  ::malloc_trim(0);
  std::ofstream clear_refs("/proc/self/clear_refs");
  clear_refs << "5";
  clear_refs.flush();
  return static_cast<bool>(clear_refs);
}

}  // namespace prm_mock::testing
