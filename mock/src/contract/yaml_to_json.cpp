#include "contract/yaml_to_json.hpp"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "diagnostics/contract_error.hpp"

namespace prm_mock {
namespace {

// Aliases can make a small text expand enormously (or refer to themselves), so the conversion is
// bounded; an OpenAPI document is nowhere near either limit.
constexpr int kMaxDepth = 512;
constexpr std::size_t kMaxValues = 2'000'000;

class Converter {
 public:
  Converter(rapidjson::Document::AllocatorType& allocator, std::string_view origin)
      : allocator_(allocator), origin_(origin) {}

  rapidjson::Value convert(const YAML::Node& node, int depth) {
    if (depth > kMaxDepth)
      fail(node, "nested deeper than " + std::to_string(kMaxDepth) + " levels");
    if (++values_ > kMaxValues)
      fail(node, "expands to more than " + std::to_string(kMaxValues) + " values");
    switch (node.Type()) {
      case YAML::NodeType::Scalar:
        return scalar(node);
      case YAML::NodeType::Sequence: {
        rapidjson::Value array(rapidjson::kArrayType);
        for (const YAML::Node& item : node) array.PushBack(convert(item, depth + 1), allocator_);
        return array;
      }
      case YAML::NodeType::Map:
        return map(node, depth);
      case YAML::NodeType::Null:
      case YAML::NodeType::Undefined:
        break;
    }
    return rapidjson::Value();
  }

 private:
  rapidjson::Value map(const YAML::Node& node, int depth) {
    rapidjson::Value object(rapidjson::kObjectType);
    std::set<std::string> seen;
    for (const auto& entry : node) {
      if (!entry.first.IsScalar()) fail(entry.first, "map keys must be scalars");
      const std::string& key = entry.first.Scalar();
      if (!seen.insert(key).second) fail(entry.first, "duplicate key '" + key + "'");
      rapidjson::Value name(key.data(), static_cast<rapidjson::SizeType>(key.size()), allocator_);
      object.AddMember(name, convert(entry.second, depth + 1), allocator_);
    }
    return object;
  }

  rapidjson::Value scalar(const YAML::Node& node) {
    const std::string& text = node.Scalar();
    // yaml-cpp tags quoted scalars "!" and plain ones "?"; an explicit tag (e.g. !!str) also means
    // the author chose the type, so only untagged plain scalars are resolved.
    if (node.Tag() == "?") {
      if (text == "null" || text == "Null" || text == "NULL" || text == "~" || text.empty()) {
        return rapidjson::Value();
      }
      if (text == "true" || text == "True" || text == "TRUE") return rapidjson::Value(true);
      if (text == "false" || text == "False" || text == "FALSE") return rapidjson::Value(false);
      if (auto number = plain_number(text)) return std::move(*number);
    }
    return rapidjson::Value(text.data(), static_cast<rapidjson::SizeType>(text.size()), allocator_);
  }

  // YAML 1.2 core-schema integers and floats. .inf and .nan have no JSON form and stay strings;
  // so do numbers too large for a double, which would otherwise become infinity.
  static std::optional<rapidjson::Value> plain_number(const std::string& text) {
    const char* begin = text.data();
    const char* end = text.data() + text.size();
    if (is_integer(text)) {
      if (*begin == '+') ++begin;
      int64_t signed_value = 0;
      if (std::from_chars(begin, end, signed_value).ec == std::errc()) {
        return rapidjson::Value(signed_value);
      }
      uint64_t unsigned_value = 0;
      if (std::from_chars(begin, end, unsigned_value).ec == std::errc()) {
        return rapidjson::Value(unsigned_value);
      }
      return finite(std::strtod(text.c_str(), nullptr));
    }
    if (is_hex_or_octal(text)) {
      uint64_t value = 0;
      const int base = text[1] == 'x' ? 16 : 8;
      if (std::from_chars(begin + 2, end, value, base).ec == std::errc()) {
        return rapidjson::Value(value);
      }
      return std::nullopt;
    }
    if (is_decimal(text)) return finite(std::strtod(text.c_str(), nullptr));
    return std::nullopt;
  }

  static std::optional<rapidjson::Value> finite(double value) {
    if (!std::isfinite(value)) return std::nullopt;
    return rapidjson::Value(value);
  }

  // The core schema's number syntaxes, scanned by hand: libstdc++'s std::regex, used here
  // before, recursed once per character and overflowed the stack on a plain scalar of a few
  // hundred thousand digits (fuzz/contract_loader_fuzzer; tests/unit/test_contract_limits.cpp).
  static bool is_digit(char c) { return c >= '0' && c <= '9'; }
  static std::size_t digits_from(std::string_view text, std::size_t at) {
    std::size_t end = at;
    while (end < text.size() && is_digit(text[end])) ++end;
    return end - at;
  }
  static std::size_t sign_length(std::string_view text) {
    return !text.empty() && (text[0] == '+' || text[0] == '-') ? 1 : 0;
  }
  // [-+]?[0-9]+
  static bool is_integer(std::string_view text) {
    const std::size_t start = sign_length(text);
    return text.size() > start && digits_from(text, start) == text.size() - start;
  }
  // 0x[0-9a-fA-F]+ | 0o[0-7]+
  static bool is_hex_or_octal(std::string_view text) {
    if (text.size() < 3 || text[0] != '0' || (text[1] != 'x' && text[1] != 'o')) return false;
    const bool hex = text[1] == 'x';
    for (const char c : text.substr(2)) {
      const bool fits = hex ? is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
                            : c >= '0' && c <= '7';
      if (!fits) return false;
    }
    return true;
  }
  // [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
  static bool is_decimal(std::string_view text) {
    std::size_t at = sign_length(text);
    const std::size_t whole = digits_from(text, at);
    at += whole;
    std::size_t fraction = 0;
    if (at < text.size() && text[at] == '.') {
      fraction = digits_from(text, at + 1);
      at += 1 + fraction;
    }
    if (whole == 0 && fraction == 0) return false;
    if (at < text.size() && (text[at] == 'e' || text[at] == 'E')) {
      ++at;
      if (at < text.size() && (text[at] == '+' || text[at] == '-')) ++at;
      const std::size_t exponent = digits_from(text, at);
      if (exponent == 0) return false;
      at += exponent;
    }
    return at == text.size();
  }

  [[noreturn]] void fail(const YAML::Node& node, const std::string& problem) const {
    throw ContractError(std::string(origin_) + ": invalid YAML at line " +
                        std::to_string(node.Mark().line + 1) + ": " + problem);
  }

  rapidjson::Document::AllocatorType& allocator_;
  std::string_view origin_;
  std::size_t values_ = 0;
};

}  // namespace

rapidjson::Document yaml_to_json(std::string_view text, std::string_view origin) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::ParserException& error) {
    throw ContractError(std::string(origin) + ": invalid YAML at line " +
                        std::to_string(error.mark.line + 1) + ", column " +
                        std::to_string(error.mark.column + 1) + ": " + error.msg);
  } catch (const YAML::Exception& error) {
    throw ContractError(std::string(origin) + ": invalid YAML: " + error.what());
  }
  rapidjson::Document document;
  Converter converter(document.GetAllocator(), origin);
  rapidjson::Value value;
  try {
    value = converter.convert(root, 1);
  } catch (const YAML::Exception& error) {
    throw ContractError(std::string(origin) + ": invalid YAML: " + error.what());
  }
  static_cast<rapidjson::Value&>(document).Swap(value);
  return document;
}

}  // namespace prm_mock
