#pragma once
// A fixture's response body, compiled at load: subtrees without placeholders are serialised once
// and copied verbatim per request; only strings holding placeholders are rendered.
#include <rapidjson/document.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stubs/fixture_problem.hpp"
#include "stubs/request_context.hpp"
#include "stubs/template_string.hpp"

namespace prm_mock {

class BodyTemplate {
 public:
  // Compiles `body` (any JSON). Problems name `file` and the pointer of each bad string under
  // `field`; returns nothing when there is any.
  static std::optional<BodyTemplate> compile(const rapidjson::Value& body,
                                             const rapidjson::Value& request_schema,
                                             std::string_view file, std::string_view field,
                                             FixtureProblems& problems);

  // The body as JSON text.
  std::string render(const RequestContext& request) const;

 private:
  struct Node {
    enum class Kind { Literal, Text, Object, Array } kind = Kind::Literal;
    std::string literal_json;  // Literal: serialised once at load
    rapidjson::Type literal_type = rapidjson::kNullType;
    std::optional<TemplateString> text;  // Text
    // Array: the elements. Object: the member values, with their names in `keys` at the same
    // index. (Not a vector of pair<string, Node>: a pair needs the Node type complete, which it is
    // not inside its own definition; libstdc++ lets GCC get away with it, clang refuses.)
    std::vector<Node> elements;
    std::vector<std::string> keys;  // Object
  };
  static Node compile_node(const rapidjson::Value& value, const rapidjson::Value& request_schema,
                           std::string_view file, const std::string& field,
                           FixtureProblems& problems);
  static void write(const Node& node, const RequestContext& request, ResponseJsonWriter& writer);

  Node root_;
};

}  // namespace prm_mock
