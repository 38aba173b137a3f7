#pragma once
// What the journal and the metrics get of one exchange: the request as received (without the
// connection addresses httplib adds to its headers), the status, what the publish pipeline found,
// the timings, and the response as the handler left it (none when a fault sends nothing).
#include <httplib.h>

#include "http/exchange_context.hpp"
#include "journal/exchange_record.hpp"
#include "publish/publish_endpoint.hpp"

namespace prm_mock {

ExchangeRecord journal_record_of(const httplib::Request& request, const httplib::Response& response,
                                 PublishFindings findings, const ExchangeContext& exchange);

}  // namespace prm_mock
