#pragma once
// One log line per request on stderr: method, path, status, fixture, latency, first
// problem. Headers are never logged, so no API key can reach the log.
#include <httplib.h>

#include "http/exchange_context.hpp"
#include "prm_mock/config.hpp"

namespace prm_mock {

void log_exchange(const httplib::Request& request, const httplib::Response& response,
                  const ExchangeContext& exchange, LogFormat format);

// A line about the server itself (start, stop, reload), in the same format.
void log_event(LogFormat format, const std::string& message);

// Lines are written by a thread of their own: returns once every line logged so far is out.
void flush_log();

}  // namespace prm_mock
