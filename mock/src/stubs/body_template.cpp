#include "stubs/body_template.hpp"

#include "text/json_pointer_text.hpp"

namespace prm_mock {
namespace {

std::string serialised(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  ResponseJsonWriter writer(buffer);
  value.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace

BodyTemplate::Node BodyTemplate::compile_node(const rapidjson::Value& value,
                                              const rapidjson::Value& request_schema,
                                              std::string_view file, const std::string& field,
                                              FixtureProblems& problems) {
  Node node;
  if (value.IsString()) {
    std::string problem;
    auto text = TemplateString::compile(
        std::string_view(value.GetString(), value.GetStringLength()), request_schema, problem);
    if (!text) {
      problems.push_back({std::string(file), field, problem});
    } else if (text->has_placeholders()) {
      node.kind = Node::Kind::Text;
      node.text = std::move(text);
      return node;
    }
  } else if (value.IsObject() || value.IsArray()) {
    bool any_placeholder = false;
    if (value.IsObject()) {
      node.kind = Node::Kind::Object;
      for (const auto& member : value.GetObject()) {
        const std::string key(member.name.GetString(), member.name.GetStringLength());
        node.elements.push_back(
            compile_node(member.value, request_schema, file, child_pointer(field, key), problems));
        node.keys.push_back(key);
        any_placeholder |= node.elements.back().kind != Node::Kind::Literal;
      }
    } else {
      node.kind = Node::Kind::Array;
      for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
        node.elements.push_back(compile_node(value[i], request_schema, file,
                                             child_pointer(field, std::to_string(i)), problems));
        any_placeholder |= node.elements.back().kind != Node::Kind::Literal;
      }
    }
    if (any_placeholder) return node;
    node = Node{};
  }
  node.kind = Node::Kind::Literal;
  node.literal_json = serialised(value);
  node.literal_type = value.GetType();
  return node;
}

std::optional<BodyTemplate> BodyTemplate::compile(const rapidjson::Value& body,
                                                  const rapidjson::Value& request_schema,
                                                  std::string_view file, std::string_view field,
                                                  FixtureProblems& problems) {
  const std::size_t problems_before = problems.size();
  BodyTemplate compiled;
  compiled.root_ = compile_node(body, request_schema, file, std::string(field), problems);
  if (problems.size() != problems_before) return std::nullopt;
  return compiled;
}

void BodyTemplate::write(const Node& node, const RequestContext& request,
                         ResponseJsonWriter& writer) {
  switch (node.kind) {
    case Node::Kind::Literal:
      writer.RawValue(node.literal_json.data(), node.literal_json.size(), node.literal_type);
      break;
    case Node::Kind::Text:
      node.text->render_json(request, writer);
      break;
    case Node::Kind::Object:
      writer.StartObject();
      for (std::size_t i = 0; i < node.elements.size(); ++i) {
        const std::string& key = node.keys[i];
        writer.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
        write(node.elements[i], request, writer);
      }
      writer.EndObject();
      break;
    case Node::Kind::Array:
      writer.StartArray();
      for (const auto& child : node.elements) write(child, request, writer);
      writer.EndArray();
      break;
  }
}

std::string BodyTemplate::render(const RequestContext& request) const {
  if (root_.kind == Node::Kind::Literal) return root_.literal_json;
  rapidjson::StringBuffer buffer;
  ResponseJsonWriter writer(buffer);
  write(root_, request, writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace prm_mock
