#include "success_response.hpp"

#include <rapidjson/pointer.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "clock_text.hpp"
#include "uuid.hpp"

namespace prm_mock {

std::string success_body_json(const rapidjson::Value& request_body) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  const auto echo = [&](const char* key, const char* pointer) {
    writer.Key(key);
    const rapidjson::Value* value = rapidjson::Pointer(pointer).Get(request_body);
    if (value == nullptr) {
      writer.Null();
    } else {
      value->Accept(writer);
    }
  };
  writer.StartObject();
  writer.Key("id");
  writer.String(new_uuid_v4().c_str());
  echo("registryRef", "/registryRef");
  echo("prompt", "/artifact/prompt");
  echo("version", "/artifact/version");
  echo("model", "/artifact/model");
  echo("hash", "/artifact/hash");
  writer.Key("publishedAt");
  writer.String(utc_timestamp_now().c_str());
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace prm_mock
