// The body of a request with Expect: 100-continue, before the client was told to send it: what
// the head decides is answered without it, and anything else asks for it.
#include <doctest/doctest.h>
#include <httplib.h>

#include <string>

#include "http/exchange_context.hpp"
#include "publish/request_body.hpp"

using prm_mock::BodyNotSentYet;
using prm_mock::ExchangeContext;
using prm_mock::RequestBody;

namespace {

httplib::Request announcing(const std::string& framing_name, const std::string& framing_value) {
  httplib::Request request;
  request.method = "POST";
  request.set_header("Expect", "100-continue");
  request.set_header(framing_name.c_str(), framing_value);
  return request;
}

}  // namespace

TEST_CASE("a body not sent yet: reading it means the head did not decide") {
  ExchangeContext exchange;
  RequestBody body = RequestBody::before_continue(announcing("Content-Length", "10"), exchange);
  std::string text;
  CHECK_THROWS_AS(body.read(text, 100), BodyNotSentYet);
  CHECK_FALSE(exchange.close_after_response);
}

TEST_CASE("a body not sent yet: what the head shows is answered without it") {
  SUBCASE("a declared length over the limit") {
    ExchangeContext exchange;
    RequestBody body = RequestBody::before_continue(announcing("Content-Length", "101"), exchange);
    std::string text;
    CHECK(body.read(text, 100) == RequestBody::Outcome::TooLarge);
    CHECK(exchange.close_after_response);
  }
  SUBCASE("framing that cannot be read") {
    ExchangeContext exchange;
    RequestBody body =
        RequestBody::before_continue(announcing("Transfer-Encoding", "gzip, chunked"), exchange);
    std::string text;
    CHECK(body.read(text, 100) == RequestBody::Outcome::Broken);
    CHECK(exchange.close_after_response);
  }
  SUBCASE("no body at all") {
    ExchangeContext exchange;
    RequestBody body = RequestBody::before_continue(announcing("Content-Length", "0"), exchange);
    std::string text;
    CHECK(body.read(text, 100) == RequestBody::Outcome::Complete);
    body.discard(100);
    CHECK_FALSE(exchange.close_after_response);
  }
  SUBCASE("an answer without the body: nothing is read, and the connection closes") {
    ExchangeContext exchange;
    RequestBody body = RequestBody::before_continue(announcing("Content-Length", "10"), exchange);
    body.discard(100);
    CHECK(exchange.close_after_response);
  }
}
