// The journal's admin routes: GET and DELETE /__admin/requests, GET /__admin/requests/stream,
// POST /__admin/requests/count and /__admin/requests/find, GET /__admin/requests/{id}.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "admin/admin_call.hpp"
#include "admin/admin_endpoints.hpp"
#include "admin/fixture_near_misses.hpp"
#include "admin/journal_search.hpp"
#include "admin/request_event_source.hpp"
#include "journal/journal_entry.hpp"
#include "journal/journal_query.hpp"
#include "text/utf8_text.hpp"
#include "text/whole_number.hpp"

namespace prm_mock {
namespace {

// The listing's filters from the query string; a problem is answered and gives nothing.
std::optional<JournalQuery> journal_query_of(const AdminCall& call) {
  const httplib::Request& request = call.request;
  JournalQuery query;
  if (request.has_param("status")) {
    const auto status = parse_whole_number<long long>(request.get_param_value("status"));
    if (!status || *status < 100 || *status > 599) {
      call.answer_error(400, "BAD_QUERY", "status: expected an HTTP status 100-599");
      return std::nullopt;
    }
    query.status = static_cast<int>(*status);
  }
  if (request.has_param("fixture")) query.fixture = request.get_param_value("fixture");
  if (request.has_param("scope")) query.scope = request.get_param_value("scope");
  if (request.has_param("since")) query.since = request.get_param_value("since");
  if (request.has_param("limit")) {
    const auto limit = parse_whole_number<long long>(request.get_param_value("limit"));
    if (!limit || *limit < 0) {
      call.answer_error(400, "BAD_QUERY", "limit: expected a count >= 0");
      return std::nullopt;
    }
    query.limit = static_cast<std::size_t>(*limit);
  }
  return query;
}

// Where a stream starts: after the event a reconnecting EventSource last got (Last-Event-ID), else
// the held entries after `since`, else from now on. A problem is answered and gives nothing.
std::optional<JournalCursor> stream_start_of(const AdminCall& call, const Journal& journal) {
  const httplib::Request& request = call.request;
  if (request.has_header("Last-Event-ID")) {
    const auto after = parse_whole_number<std::uint64_t>(request.get_header_value("Last-Event-ID"));
    if (!after) {
      call.answer_error(400, "BAD_QUERY", "Last-Event-ID: expected an event id of this stream");
      return std::nullopt;
    }
    JournalCursor cursor = journal.cursor_at_newest();
    // An id this server never gave (it restarted since): everything it holds is news.
    cursor.after = *after <= cursor.after ? *after : 0;
    return cursor;
  }
  if (request.has_param("since")) {
    const std::string since = request.get_param_value("since");
    const auto cursor = journal.cursor_before(since);
    if (!cursor) {
      call.answer_error(400, "BAD_QUERY",
                        "since: '" + since +
                            "' is neither an RFC 3339 timestamp nor the id of an entry in the "
                            "journal");
    }
    return cursor;
  }
  return journal.cursor_at_newest();
}

// [{"failed":[conditions],"request":entry}, ...]
std::string near_misses_json(const std::vector<NearMiss>& near_misses) {
  std::string json = "[";
  for (std::size_t i = 0; i < near_misses.size(); ++i) {
    const NearMiss& miss = near_misses[i];
    rapidjson::StringBuffer failed;
    rapidjson::Writer<rapidjson::StringBuffer> writer(failed);
    writer.StartArray();
    for (const auto& condition : miss.failed) {
      writer.String(condition.data(), static_cast<rapidjson::SizeType>(condition.size()));
    }
    writer.EndArray();
    if (i > 0) json += ',';
    json += "{\"failed\":" + std::string(failed.GetString(), failed.GetSize()) +
            ",\"request\":" + miss.entry->json + "}";
  }
  return json + ']';
}

}  // namespace

void AdminEndpoints::list_requests(AdminCall& call) const {
  const auto query = journal_query_of(call);
  if (!query) return;
  const JournalListing listing = services_.journal->list(*query);
  if (!listing.problem.empty()) return call.answer_error(400, "BAD_QUERY", listing.problem);
  call.answer_json("{\"total\":" + std::to_string(listing.total) +
                   ",\"dropped\":" + std::to_string(listing.dropped) +
                   ",\"count\":" + std::to_string(listing.entries.size()) +
                   ",\"requests\":" + entries_json_array(listing.entries) + "}");
}

// The connection layer takes it from here: it writes the stream's head in place of this response
// and hands the connection to its reactor, which sends the events (RequestEventSource).
void AdminEndpoints::stream_requests(AdminCall& call) const {
  if (services_.serves_tls) {
    return call.answer_error(501, "STREAM_NEEDS_PLAIN_HTTP",
                             "the request stream is served over plain HTTP only; over HTTPS, poll "
                             "GET /__admin/requests?since=<last id> instead");
  }
  const auto start = stream_start_of(call, *services_.journal);
  if (!start) return;
  call.exchange.event_stream =
      ExchangeContext::EventStream{event_cursor_of(*start), call.request.method == "HEAD", {}};
  call.response.status = 200;
  call.response.set_header("Content-Type", "text/event-stream; charset=utf-8");
}

void AdminEndpoints::clear_requests(AdminCall& call) const {
  services_.journal->clear();
  call.answer_json(R"({"cleared":true})");
}

// One entry, and when no fixture answered it, the fixtures that came closest and why they did not.
void AdminEndpoints::get_request(AdminCall& call) const {
  const auto entry = services_.journal->find(call.name);
  if (!entry) {
    constexpr std::size_t kShownIdBytes = 100;
    return call.answer_error(404, "REQUEST_NOT_FOUND",
                             "no request '" + valid_utf8(utf8_prefix(call.name, kShownIdBytes)) +
                                 "' in the journal (GET /__admin/requests lists those it holds)");
  }
  const std::string near_misses =
      entry->fixture.empty() ? fixture_near_misses_json(fixture_near_misses(
                                   *entry, *services_.fixtures->current(), *services_.contract))
                             : "[]";
  call.answer_json("{\"request\":" + entry->json + ",\"nearMisses\":" + near_misses + "}");
}

void AdminEndpoints::count_requests(AdminCall& call) const { search_requests(call, true); }

void AdminEndpoints::find_requests(AdminCall& call) const { search_requests(call, false); }

void AdminEndpoints::search_requests(AdminCall& call, bool only_count) const {
  const auto query = call.read_json_body(services_.max_body_bytes, services_.max_json_depth);
  if (!query) return;
  FixtureProblems problems;
  const auto search = JournalSearch::compile(*query, *services_.contract, problems);
  if (!search) {
    return call.answer_problems("BAD_QUERY", "the search is not a valid when object", problems);
  }
  const JournalSearchResult result = search->run(services_.journal->snapshot());
  std::string json = "{\"count\":" + std::to_string(result.matches.size());
  if (!only_count) json += ",\"requests\":" + entries_json_array(result.matches);
  if (result.matches.empty()) json += ",\"nearMisses\":" + near_misses_json(result.near_misses);
  call.answer_json(json + '}');
}

}  // namespace prm_mock
