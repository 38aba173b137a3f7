#include "http/media_type.hpp"

#include <algorithm>
#include <cctype>

#include "text/ascii_text.hpp"

namespace prm_mock {
namespace {

std::string lower_trimmed(std::string_view text) { return lower_ascii(trim_blanks(text)); }

}  // namespace

std::string json_media_type_problem(std::string_view content_type) {
  if (lower_trimmed(content_type).empty()) {
    return "missing Content-Type: send the body as 'Content-Type: application/json'";
  }
  const auto semicolon = content_type.find(';');
  const std::string essence = lower_trimmed(content_type.substr(0, semicolon));
  if (essence != "application/json") {
    return "unsupported Content-Type '" + essence + "': this endpoint accepts application/json";
  }
  std::string_view parameters =
      semicolon == std::string_view::npos ? std::string_view() : content_type.substr(semicolon + 1);
  while (!parameters.empty()) {
    const auto next = parameters.find(';');
    const std::string parameter = lower_trimmed(parameters.substr(0, next));
    parameters = next == std::string_view::npos ? std::string_view() : parameters.substr(next + 1);
    if (parameter.rfind("charset=", 0) != 0) continue;
    std::string charset = parameter.substr(8);
    charset.erase(std::remove(charset.begin(), charset.end(), '"'), charset.end());
    if (charset != "utf-8" && charset != "utf8") {
      return "unsupported charset '" + charset + "': JSON bodies must be UTF-8";
    }
  }
  return {};
}

}  // namespace prm_mock
