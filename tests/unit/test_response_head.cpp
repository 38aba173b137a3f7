// What the connection layer puts right in a response's head before httplib writes it (Date,
// keep-alive, bodiless statuses, framing) and how it settles a body's encoding.
#include <doctest/doctest.h>
#include <httplib.h>

#include <chrono>
#include <string>

#include "http/exchange_context.hpp"
#include "http/http_date.hpp"
#include "http/response_encoding.hpp"
#include "http/response_head.hpp"
#include "text/utc_time_text.hpp"

using prm_mock::ExchangeContext;
using prm_mock::settle_content_encoding;
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

constexpr std::string_view kKeepAlive = "timeout=60";

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
  settle_response_head(request_of("HTTP/1.1"), response, exchange, kKeepAlive);
  CHECK(response.get_header_value("Date").size() == 29);

  auto fixture_dated = httplib_response(200);
  fixture_dated.set_header("Date", "Sun, 06 Nov 1994 08:49:37 GMT");
  settle_response_head(request_of("HTTP/1.1"), fixture_dated, exchange, kKeepAlive);
  CHECK(fixture_dated.get_header_value_count("Date") == 1);
  CHECK(fixture_dated.get_header_value("Date") == "Sun, 06 Nov 1994 08:49:37 GMT");

  // Dated when sent instead (SocketStream::date_if_undated).
  exchange.delay_response(std::chrono::milliseconds(500));
  auto delayed = httplib_response(200);
  settle_response_head(request_of("HTTP/1.1"), delayed, exchange, kKeepAlive);
  CHECK_FALSE(delayed.has_header("Date"));
}

TEST_CASE("response head: whether the connection stays open, said once and truthfully") {
  SUBCASE("kept open: the mock's own Keep-Alive, no Connection header") {
    ExchangeContext exchange;
    auto response = httplib_response(200);
    settle_response_head(request_of("HTTP/1.1"), response, exchange, kKeepAlive);
    CHECK(response.get_header_value_count("Keep-Alive") == 1);
    CHECK(response.get_header_value("Keep-Alive") == "timeout=60");
    CHECK_FALSE(response.has_header("Connection"));
    CHECK_FALSE(exchange.close_after_response);
  }
  SUBCASE("HTTP/1.0 with keep-alive is told it got it") {
    ExchangeContext exchange;
    auto response = httplib_response(200);
    settle_response_head(request_of("HTTP/1.0", "Keep-Alive"), response, exchange, kKeepAlive);
    CHECK(response.get_header_value("Connection") == "keep-alive");
    CHECK(response.get_header_value("Keep-Alive") == "timeout=60");
  }
  SUBCASE("closing: Connection: close and no Keep-Alive, whatever the reason") {
    struct Reason {
      const char* what;
      httplib::Request request;
      bool unread_body;
      const char* response_connection;
    };
    const Reason reasons[] = {
        {"HTTP/1.0 without keep-alive", request_of("HTTP/1.0"), false, nullptr},
        {"the client said close", request_of("HTTP/1.1", "close"), false, nullptr},
        {"a body left unread", request_of("HTTP/1.1"), true, nullptr},
        {"httplib closes (shutting down)", request_of("HTTP/1.1"), false, "close"},
        {"a fixture's own header", request_of("HTTP/1.1"), false, "Close"},
    };
    for (const Reason& reason : reasons) {
      CAPTURE(reason.what);
      ExchangeContext exchange;
      exchange.close_after_response = reason.unread_body;
      auto response = httplib_response(200);
      if (reason.response_connection != nullptr) {
        response.set_header("Connection", reason.response_connection);
      }
      settle_response_head(reason.request, response, exchange, kKeepAlive);
      CHECK(response.get_header_value_count("Connection") == 1);
      CHECK(response.get_header_value("Connection") == "close");
      CHECK_FALSE(response.has_header("Keep-Alive"));
      CHECK(exchange.close_after_response);  // the connection loop closes as the head says
    }
  }
  SUBCASE("the idle timeout in whole seconds, rounded down") {
    using std::chrono::milliseconds;
    CHECK(prm_mock::keep_alive_header_value(milliseconds(60000)) == "timeout=60");
    CHECK(prm_mock::keep_alive_header_value(milliseconds(2999)) == "timeout=2");
    CHECK(prm_mock::keep_alive_header_value(milliseconds(200)) == "timeout=0");
  }
}

TEST_CASE("response head: statuses without content, and bodies without a length") {
  ExchangeContext exchange;
  auto no_content = httplib_response(204, "");
  settle_response_head(request_of("HTTP/1.1"), no_content, exchange, kKeepAlive);
  CHECK_FALSE(no_content.has_header("Content-Length"));

  // A fixture may give a 204 a body; it cannot be sent without breaking the framing.
  auto with_body = httplib_response(204, R"({"ignored":true})");
  settle_response_head(request_of("HTTP/1.1"), with_body, exchange, kKeepAlive);
  CHECK(with_body.body.empty());
  CHECK_FALSE(with_body.has_header("Content-Length"));

  auto not_modified = httplib_response(304, "");
  settle_response_head(request_of("HTTP/1.1"), not_modified, exchange, kKeepAlive);
  CHECK_FALSE(not_modified.has_header("Content-Length"));
  auto not_modified_with_length = httplib_response(304, "");
  not_modified_with_length.headers.erase("Content-Length");
  not_modified_with_length.set_header("Content-Length", "120");  // the 200's, set by a fixture
  settle_response_head(request_of("HTTP/1.1"), not_modified_with_length, exchange, kKeepAlive);
  CHECK(not_modified_with_length.get_header_value("Content-Length") == "120");

  // httplib's final answer to Expect: 100-continue comes without a length.
  httplib::Response unframed;
  unframed.status = 415;
  unframed.set_content(R"({"code":"UNSUPPORTED_MEDIA_TYPE"})", "application/json");
  settle_response_head(request_of("HTTP/1.1"), unframed, exchange, kKeepAlive);
  CHECK(unframed.get_header_value("Content-Length") == std::to_string(unframed.body.size()));
}

TEST_CASE("response encoding: only bodies of 1 KiB or more are compressed, and say Vary") {
  const std::string small(prm_mock::kMinBytesToCompress - 1, 'a');
  const std::string large(prm_mock::kMinBytesToCompress, 'a');
  const auto accepting = [] {
    httplib::Request request;
    request.set_header("Accept-Encoding", "gzip, deflate, br");
    return request;
  };
  SUBCASE("a small body: sent as it is to everyone, no Vary") {
    httplib::Request request = accepting();
    httplib::Response response;
    response.set_content(small, "application/json");
    settle_content_encoding(request, response);
    CHECK_FALSE(request.has_header("Accept-Encoding"));
    CHECK_FALSE(response.has_header("Vary"));
    CHECK(httplib::detail::encoding_type(request, response) == httplib::detail::EncodingType::None);
  }
  SUBCASE("a large body of a type httplib compresses: left to httplib, with Vary") {
    httplib::Request request = accepting();
    httplib::Response response;
    response.set_content(large, "application/json");
    settle_content_encoding(request, response);
    CHECK(request.has_header("Accept-Encoding"));
    CHECK(response.get_header_value("Vary") == "Accept-Encoding");
    CHECK(httplib::detail::encoding_type(request, response) != httplib::detail::EncodingType::None);
  }
  SUBCASE("a large body of a type httplib never compresses: no Vary") {
    httplib::Request request = accepting();
    httplib::Response response;
    response.set_content(large, "application/octet-stream");
    CHECK_FALSE(prm_mock::compressed_when_accepted(response));
    settle_content_encoding(request, response);
    CHECK_FALSE(response.has_header("Vary"));
  }
  SUBCASE("a body already encoded is never encoded twice") {
    httplib::Request request = accepting();
    httplib::Response response;
    response.set_content(large, "application/json");
    response.set_header("Content-Encoding", "gzip");
    settle_content_encoding(request, response);
    CHECK_FALSE(request.has_header("Accept-Encoding"));
  }
  SUBCASE("a Vary of the response's own is kept, and Accept-Encoding is added once") {
    httplib::Request request = accepting();
    httplib::Response response;
    response.set_content(large, "application/json");
    response.set_header("Vary", "Origin");
    settle_content_encoding(request, response);
    CHECK(response.get_header_value_count("Vary") == 2);
    settle_content_encoding(request, response);
    CHECK(response.get_header_value_count("Vary") == 2);
  }
}
