#pragma once
// Starts an in-process prm_mock::Server on a free port for one test and stops it by its handle.
#include <httplib.h>
#include <rapidjson/document.h>
#include <rapidjson/pointer.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <memory>
#include <string>

#include "prm_mock/server.hpp"

namespace prm_mock::testing {

// The smallest valid publish, as the vendor's snippets send it, with values that also satisfy the
// advisory rules.
inline const std::string kValidBody =
    R"({"registryRef":"acme/prompts","artifact":{"prompt":"greeting",)"
    R"("version":"1.2.0","model":"gpt-4o","compiled":"Hello {{name}}",)"
    R"("hash":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",)"
    R"("schema":{},"components":{},"metadata":{}}})";

// What a POST or DELETE under /__admin without a JSON body carries: a header no web page can send
// cross-site without a CORS preflight (admin_origin_policy.hpp).
inline const httplib::Headers kAdminStateChange{{"X-Requested-With", "prm-mock-test"}};

inline Config quiet_config() {
  Config config;
  config.port = 0;
  config.quiet = true;
  return config;
}

class RunningServer {
 public:
  explicit RunningServer(Config config = quiet_config())
      : server_(std::make_unique<Server>(with_free_port(std::move(config)))),
        port_(server_->start()) {}
  ~RunningServer() { server_->stop(); }

  int port() const { return port_; }
  Server& server() { return *server_; }
  httplib::Client client() const {
    httplib::Client client("127.0.0.1", port_);
    client.set_read_timeout(10, 0);
    return client;
  }
  httplib::Headers key_headers() const { return {{"X-API-Key", "k-test"}}; }
  httplib::Result publish(const std::string& body,
                          const std::string& content_type = "application/json") const {
    return client().Post("/api/registries/artifacts", key_headers(), body, content_type.c_str());
  }

 private:
  static Config with_free_port(Config config) {
    config.port = 0;
    return config;
  }
  std::unique_ptr<Server> server_;
  int port_;
};

// The server's Prometheus text from /__admin/metrics; empty when it could not be fetched.
inline std::string metrics_text(const RunningServer& mock) {
  const auto answer = mock.client().Get("/__admin/metrics");
  return answer ? answer->body : std::string();
}

inline rapidjson::Document parse(const std::string& text) {
  rapidjson::Document document;
  document.Parse(text.c_str(), text.size());
  return document;
}

// kValidBody with the value at `pointer` replaced by (or set to) `json_value`.
inline std::string valid_body_with(const char* pointer, const std::string& json_value) {
  rapidjson::Document body = parse(kValidBody);
  rapidjson::Document value;
  value.Parse(json_value.c_str());
  rapidjson::Pointer(pointer).Set(body, value);
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  body.Accept(writer);
  return buffer.GetString();
}

// Sends raw bytes on a new TCP connection and returns everything the server sends back until it
// closes the connection or `read_timeout_ms` passes without data.
std::string raw_exchange(int port, const std::string& bytes, int read_timeout_ms = 3000);

}  // namespace prm_mock::testing
