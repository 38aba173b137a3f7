#include "diagnostics/error_response.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "diagnostics/violation_json.hpp"
#include "text/utf8_text.hpp"

namespace prm_mock {

std::string error_body_json(const ErrorDetails& error, std::string_view request_id) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("message");
  // Messages quote what the client sent (a decoded path, a header); JSON must stay valid UTF-8.
  const std::string message = valid_utf8(error.message);
  writer.String(message.data(), static_cast<rapidjson::SizeType>(message.size()));
  writer.Key("code");
  writer.String(error.code.data(), static_cast<rapidjson::SizeType>(error.code.size()));
  writer.Key("status");
  writer.Int(error.status);
  writer.Key("requestId");
  writer.String(request_id.data(), static_cast<rapidjson::SizeType>(request_id.size()));
  if (error.offset >= 0) {
    writer.Key("offset");
    writer.Int64(error.offset);
  }
  writer.Key("violations");
  write_violations(writer, error.violations);
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

void set_error_response(httplib::Response& response, const ErrorDetails& error,
                        std::string_view request_id) {
  response.status = error.status;
  response.set_content(error_body_json(error, request_id), "application/json");
}

}  // namespace prm_mock
