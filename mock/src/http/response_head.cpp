#include "http/response_head.hpp"

#include "http/http_date.hpp"

namespace prm_mock {

void settle_response_head(const httplib::Request& /*request*/, httplib::Response& response,
                          const ExchangeContext& exchange) {
  if (!exchange.respond_at && !response.has_header("Date")) {
    response.set_header("Date", std::string(http_date_now()));
  }
}

}  // namespace prm_mock
