#include "record/recorded_fixture.hpp"

#include <rapidjson/pointer.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

namespace prm_mock {
namespace {

// The identity of a publish: what makes one request's answer differ from another's.
constexpr const char* kIdentityPointers[] = {"/registryRef", "/artifact/prompt", "/artifact/model",
                                             "/artifact/version"};

rapidjson::Value text(const std::string& value, rapidjson::Document::AllocatorType& allocator) {
  return rapidjson::Value(value.c_str(), static_cast<rapidjson::SizeType>(value.size()), allocator);
}

}  // namespace

rapidjson::Value response_value(const RecordedAnswer& answer,
                                rapidjson::Document::AllocatorType& allocator) {
  rapidjson::Value response(rapidjson::kObjectType);
  response.AddMember("status", answer.status, allocator);
  if (!answer.headers.empty()) {
    rapidjson::Value headers(rapidjson::kObjectType);
    for (const auto& [name, value] : answer.headers) {
      // A repeated header keeps its last value: the fixture format has one value per name.
      if (headers.HasMember(name.c_str())) headers.RemoveMember(name.c_str());
      headers.AddMember(text(name, allocator), text(value, allocator), allocator);
    }
    response.AddMember("headers", headers, allocator);
  }
  if (answer.body) response.AddMember("body", rapidjson::Value(*answer.body, allocator), allocator);
  return response;
}

std::string recorded_fixture_text(const std::string& name, const rapidjson::Value& response,
                                  const RecordedExchange& exchange) {
  rapidjson::Document fixture(rapidjson::kObjectType);
  auto& allocator = fixture.GetAllocator();
  fixture.AddMember("name", text(name, allocator), allocator);
  fixture.AddMember("description", "Recorded by prm-mock record; edit freely.", allocator);
  fixture.AddMember("priority", kRecordedPriority, allocator);

  rapidjson::Value conditions(rapidjson::kObjectType);
  for (const char* pointer : kIdentityPointers) {
    const rapidjson::Value* value = rapidjson::Pointer(pointer).Get(*exchange.request_body);
    if (!value) continue;
    rapidjson::Value condition(rapidjson::kObjectType);
    condition.AddMember("equals", rapidjson::Value(*value, allocator), allocator);
    conditions.AddMember(rapidjson::StringRef(pointer), condition, allocator);
  }
  if (conditions.MemberCount() > 0) {
    rapidjson::Value when(rapidjson::kObjectType);
    when.AddMember("body", conditions, allocator);
    fixture.AddMember("when", when, allocator);
  }
  fixture.AddMember("response", rapidjson::Value(response, allocator), allocator);

  rapidjson::Value recorded(rapidjson::kObjectType);
  recorded.AddMember("at", text(exchange.at, allocator), allocator);
  recorded.AddMember("from", text(exchange.from, allocator), allocator);
  if (exchange.keep_request) {
    recorded.AddMember("request", rapidjson::Value(*exchange.request_body, allocator), allocator);
  }
  fixture.AddMember("recorded", recorded, allocator);

  rapidjson::StringBuffer buffer;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> writer(buffer);
  writer.SetIndent(' ', 2);
  fixture.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

}  // namespace prm_mock
