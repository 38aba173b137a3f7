#include <doctest/doctest.h>

#include "http/media_type.hpp"

using prm_mock::json_media_type_problem;

TEST_CASE("media type: application/json with optional parameters is accepted") {
  CHECK(json_media_type_problem("application/json").empty());
  CHECK(json_media_type_problem("application/json; charset=utf-8").empty());
  CHECK(json_media_type_problem(" Application/JSON ;Charset=\"UTF-8\"").empty());
  CHECK(json_media_type_problem("application/json; boundary=x").empty());
}

TEST_CASE("media type: anything else is explained") {
  CHECK(json_media_type_problem("").find("missing Content-Type") == 0);
  CHECK(json_media_type_problem("text/plain").find("'text/plain'") != std::string::npos);
  CHECK(json_media_type_problem("application/jsonx").find("unsupported") == 0);
  CHECK(json_media_type_problem("application/json; charset=iso-8859-1").find("UTF-8") !=
        std::string::npos);
}
