// What the connection layer puts right in a response's head before httplib writes it: Date.
#include <doctest/doctest.h>
#include <httplib.h>

#include <chrono>
#include <string>

#include "http/exchange_context.hpp"
#include "http/http_date.hpp"
#include "http/response_head.hpp"
#include "text/utc_time_text.hpp"

using prm_mock::ExchangeContext;
using prm_mock::settle_response_head;

namespace {

httplib::Request request_of(const std::string& version, const std::string& connection = "") {
  httplib::Request request;
  request.method = "POST";
  request.version = version;
  if (!connection.empty()) request.set_header("Connection", connection);
  return request;
}

// A response as httplib has it when its post-routing handler runs: its own Keep-Alive added.
httplib::Response httplib_response(int status, const std::string& body = "{}") {
  httplib::Response response;
  response.status = status;
  if (!body.empty()) {
    response.set_content(body, "application/json");
    response.set_header("Content-Length", std::to_string(body.size()));
  } else {
    response.set_header("Content-Length", "0");
  }
  response.set_header("Keep-Alive", "timeout=5, max=5");
  return response;
}

}  // namespace

TEST_CASE("IMF-fixdate: the HTTP date format, in English, cut to the second") {
  using namespace std::chrono;
  // RFC 9110 §5.6.7's own example.
  CHECK(prm_mock::format_imf_fixdate(system_clock::from_time_t(784111777)) ==
        "Sun, 06 Nov 1994 08:49:37 GMT");
  CHECK(prm_mock::format_imf_fixdate(sys_days(2024y / February / 29) + hours(23) + minutes(59) +
                                     seconds(59) + milliseconds(999)) ==
        "Thu, 29 Feb 2024 23:59:59 GMT");
  CHECK(prm_mock::format_imf_fixdate(sys_days(2001y / January / 1)) ==
        "Mon, 01 Jan 2001 00:00:00 GMT");
  CHECK(prm_mock::format_imf_fixdate(sys_days(1999y / December / 31) + hours(12)) ==
        "Fri, 31 Dec 1999 12:00:00 GMT");
}

TEST_CASE("the Date of a response made now names the current second") {
  using namespace std::chrono;
  const auto before = floor<seconds>(system_clock::now());
  const std::string date(prm_mock::http_date_now());
  const auto after = floor<seconds>(system_clock::now());
  CHECK((date == prm_mock::format_imf_fixdate(before) ||
         date == prm_mock::format_imf_fixdate(after)));
  CHECK(std::string(prm_mock::http_date_now()).size() == 29);
}

TEST_CASE("response head: Date is added unless the response is delayed or has one") {
  ExchangeContext exchange;
  auto response = httplib_response(200);
  settle_response_head(request_of("HTTP/1.1"), response, exchange);
  CHECK(response.get_header_value("Date").size() == 29);

  auto fixture_dated = httplib_response(200);
  fixture_dated.set_header("Date", "Sun, 06 Nov 1994 08:49:37 GMT");
  settle_response_head(request_of("HTTP/1.1"), fixture_dated, exchange);
  CHECK(fixture_dated.get_header_value_count("Date") == 1);
  CHECK(fixture_dated.get_header_value("Date") == "Sun, 06 Nov 1994 08:49:37 GMT");

  // Dated when sent instead (SocketStream::date_if_undated).
  exchange.delay_response(std::chrono::milliseconds(500));
  auto delayed = httplib_response(200);
  settle_response_head(request_of("HTTP/1.1"), delayed, exchange);
  CHECK_FALSE(delayed.has_header("Date"));
}
