#include "admin_endpoints.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "error_response.hpp"
#include "http/exchange_context.hpp"

namespace prm_mock {
namespace {

constexpr std::size_t kAdminBodyLimit = 1024 * 1024;

std::string health_json(const AdminFacts& facts) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("status");
  writer.String("ok");
  writer.Key("version");
  writer.String(facts.version.c_str());
  writer.Key("serves");
  writer.String(facts.publish_route.c_str());
  writer.Key("uptimeSeconds");
  writer.Double(std::chrono::duration<double>(std::chrono::steady_clock::now() - facts.started).count());
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace

void AdminEndpoints::handle(const httplib::Request& request, httplib::Response& response,
                            RequestBody& body) const {
  body.discard(kAdminBodyLimit);
  const std::string& request_id = current_exchange().request_id;
  if (request.path == "/__admin/health") {
    if (request.method != "GET" && request.method != "HEAD") {
      response.set_header("Allow", "GET");
      return set_error_response(response,
                                {405, "METHOD_NOT_ALLOWED", request.method + " is not allowed on " +
                                                                request.path + "; use GET", {}, -1},
                                request_id);
    }
    response.status = 200;
    response.set_content(health_json(facts_), "application/json");
    return;
  }
  set_error_response(response,
                     {404, "ROUTE_NOT_FOUND", "no admin endpoint at " + request.path, {}, -1},
                     request_id);
}

}  // namespace prm_mock
