// The text/event-stream reader behind `prm-mock tail`: events from bytes in pieces of any size.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "cli/event_stream_parser.hpp"

namespace {

using prm_mock::EventStreamParser;
using prm_mock::ServerSentEvent;

struct ExpectedEvent {
  std::string type;
  std::string data;
  std::string id;
};

std::vector<ServerSentEvent> parse_in_pieces(const std::string& stream,
                                             const std::vector<std::size_t>& cuts) {
  EventStreamParser parser;
  std::vector<ServerSentEvent> events;
  std::size_t start = 0;
  for (const std::size_t cut : cuts) {
    parser.feed(std::string_view(stream).substr(start, cut - start), events);
    start = cut;
  }
  parser.feed(std::string_view(stream).substr(start), events);
  return events;
}

void check_events(const std::vector<ServerSentEvent>& events,
                  const std::vector<ExpectedEvent>& want) {
  REQUIRE(events.size() == want.size());
  for (std::size_t index = 0; index < want.size(); ++index) {
    CAPTURE(index);
    CHECK(events[index].type == want[index].type);
    CHECK(events[index].data == want[index].data);
    CHECK(events[index].last_event_id == want[index].id);
  }
}

// The same events whether the stream arrives whole, cut once at any byte, or byte by byte.
void check_every_split(const std::string& stream, const std::vector<ExpectedEvent>& want) {
  check_events(parse_in_pieces(stream, {}), want);
  for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
    CAPTURE(cut);
    check_events(parse_in_pieces(stream, {cut}), want);
  }
  std::vector<std::size_t> every_byte;
  for (std::size_t cut = 1; cut < stream.size(); ++cut) every_byte.push_back(cut);
  check_events(parse_in_pieces(stream, every_byte), want);
}

// What the mock's journal stream sends: a retry, requests, a keep-alive, a drop and a clear.
const std::string kJournalStream =
    "retry: 2000\n\n"
    "id: 41\nevent: request\ndata: {\"id\":\"a\",\"status\":201}\n\n"
    ": keep-alive\n\n"
    "event: dropped\ndata: {\"dropped\":7}\n\n"
    "id: 49\nevent: request\ndata: {\"id\":\"b\",\"status\":400}\n\n"
    "event: cleared\ndata: {}\n\n";

const std::vector<ExpectedEvent> kJournalEvents{
    {"request", R"({"id":"a","status":201})", "41"},
    {"dropped", R"({"dropped":7})", "41"},
    {"request", R"({"id":"b","status":400})", "49"},
    {"cleared", "{}", "49"},
};

std::string with_line_ends(std::string stream, const std::string& line_end) {
  std::string out;
  for (const char c : stream) {
    if (c == '\n') {
      out += line_end;
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

TEST_CASE("event stream: the journal's events, split at every byte boundary") {
  check_every_split(kJournalStream, kJournalEvents);
  EventStreamParser parser;
  std::vector<ServerSentEvent> events;
  parser.feed(kJournalStream, events);
  CHECK(parser.last_event_id() == "49");
  REQUIRE(parser.retry_ms().has_value());
  CHECK(*parser.retry_ms() == 2000);
}

TEST_CASE("event stream: CRLF and lone CR end lines as LF does, also split inside a CRLF") {
  check_every_split(with_line_ends(kJournalStream, "\r\n"), kJournalEvents);
  check_every_split(with_line_ends(kJournalStream, "\r"), kJournalEvents);
  // A CR then a LF in the next piece is one line end, not an empty line that would dispatch.
  EventStreamParser parser;
  std::vector<ServerSentEvent> events;
  parser.feed("data: one\r", events);
  parser.feed("\ndata: two\r", events);
  CHECK(events.empty());
  parser.feed("\n\r\n", events);
  check_events(events, {{"message", "one\ntwo", ""}});
}

TEST_CASE("event stream: multi-line data joins with newlines; comments and unknown fields vanish") {
  check_every_split(
      ": a comment\n"
      "data: first\n"
      ":another\n"
      "data:second\n"   // no space after the colon
      "data:  third\n"  // only one space is taken off
      "data\n"          // a field name alone is the field with an empty value
      "colour: blue\n"  // unknown
      "\n",
      {{"message", "first\nsecond\n third\n", ""}});
}

TEST_CASE("event stream: an event without data is not dispatched, and its type does not leak") {
  check_every_split("event: lonely\n\ndata: x\n\nevent: named\ndata:\n\n",
                    {{"message", "x", ""}, {"named", "", ""}});
  // Bytes after the last blank line are an event not finished yet.
  check_every_split("data: done\n\ndata: unfinished\n", {{"message", "done", ""}});
}

TEST_CASE("event stream: ids persist across events, reset by an empty id, ignored with a NUL") {
  check_every_split(
      "id: 7\ndata: a\n\n"
      "data: b\n\n"
      "id\ndata: c\n\n"
      "id: 8\n\n"  // an id alone sets it without an event
      "data: d\n\n" +
          std::string("id: 9\0x\ndata: e\n\n", 17),
      {{"message", "a", "7"},
       {"message", "b", "7"},
       {"message", "c", ""},
       {"message", "d", "8"},
       {"message", "e", "8"}});
}

TEST_CASE("event stream: a leading byte order mark is skipped, even split; a later one is data") {
  const std::string bom = "\xEF\xBB\xBF";
  check_every_split(bom + "data: x\n\n", {{"message", "x", ""}});
  check_every_split("data: " + bom + "\n\n", {{"message", bom, ""}});
  // Something that only starts like the mark is kept.
  check_every_split(
      "\xEF"
      "data: x\n\n"
      "data: y\n\n",
      {{"message", "y", ""}});
}

TEST_CASE("event stream: retry takes only plain digits") {
  EventStreamParser parser;
  std::vector<ServerSentEvent> events;
  parser.feed("retry: -5\n\nretry: 1e3\n\n", events);
  CHECK_FALSE(parser.retry_ms().has_value());
  parser.feed("retry: 1500\n\nretry: soon\n\n", events);
  REQUIRE(parser.retry_ms().has_value());
  CHECK(*parser.retry_ms() == 1500);
  CHECK(events.empty());
}
