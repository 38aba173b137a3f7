#include "cli/health_command.hpp"

#include <httplib.h>
#include <rapidjson/document.h>

#include "http/url_host.hpp"

namespace prm_mock {

std::string health_probe_url(const Config& config, const HealthOptions& options) {
  if (!options.url.empty()) {
    std::string url = options.url;
    while (!url.empty() && url.back() == '/') url.pop_back();
    return url;
  }
  std::string host = config.host;
  if (host == "0.0.0.0" || host.empty()) host = "127.0.0.1";
  if (host == "::") host = "::1";
  return url_origin(false, host, config.port);
}

int run_health_command(const Config& config, const HealthOptions& options, std::ostream& out,
                       std::ostream& err) {
  const std::string base = health_probe_url(config, options);
  httplib::Client client(base);
  if (!client.is_valid()) {
    err << "prm-mock health: unusable URL '" << base << "'\n";
    return 1;
  }
  client.set_connection_timeout(2);
  client.set_read_timeout(3);
  const auto result = client.Get("/__admin/health");
  if (!result) {
    err << "prm-mock health: " << base << "/__admin/health: " << httplib::to_string(result.error())
        << "\n";
    return 1;
  }
  rapidjson::Document body;
  body.Parse(result->body.c_str(), result->body.size());
  const bool ok = result->status == 200 && !body.HasParseError() && body.IsObject() &&
                  body.HasMember("status") && body["status"].IsString() &&
                  std::string(body["status"].GetString()) == "ok";
  if (!ok) {
    err << "prm-mock health: " << base << "/__admin/health answered " << result->status << ": "
        << result->body << "\n";
    return 1;
  }
  out << result->body << "\n";
  return 0;
}

}  // namespace prm_mock
