#include "journal/redaction.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>

#include "text/ascii_text.hpp"
#include "text/utf8_text.hpp"

namespace prm_mock {
namespace {

constexpr std::string_view kRedacted = "[redacted]\u2026";  // "[redacted]…"
constexpr std::size_t kLongSecretLength = 16;
constexpr std::size_t kShownSuffixLength = 4;

bool same_name_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

bool is_blank(char c) { return c == ' ' || c == '\t'; }

std::string_view trimmed_value(std::string_view text) {
  while (!text.empty() && is_blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_blank(text.back())) text.remove_suffix(1);
  return text;
}

std::uint32_t fnv1a_32(std::string_view text) {
  std::uint32_t hash = 2166136261u;
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 16777619u;
  }
  return hash;
}

// Proxy-Authorization carries credentials the same way, so it is treated the same way.
bool is_authorization(std::string_view name) {
  return same_name_ignoring_case(name, "Authorization") ||
         same_name_ignoring_case(name, "Proxy-Authorization");
}

std::string redacted_secret(std::string_view secret) {
  return std::string(kRedacted) + secret_fingerprint(secret);
}

}  // namespace

bool is_credential_header(std::string_view name) {
  return same_name_ignoring_case(name, "X-API-Key") || is_authorization(name) ||
         same_name_ignoring_case(name, "Cookie");
}

std::string secret_fingerprint(std::string_view secret) {
  if (secret.size() >= kLongSecretLength) {
    // Only printable ASCII is shown, so no byte of a multi-byte character is ever cut.
    std::string suffix(secret.substr(secret.size() - kShownSuffixLength));
    for (char& c : suffix) {
      if (c < 0x21 || c > 0x7e) c = '?';
    }
    return suffix;
  }
  std::array<char, 9> hex{};
  std::snprintf(hex.data(), hex.size(), "%08x", static_cast<unsigned>(fnv1a_32(secret)));
  return std::string(hex.data(), 8);
}

std::string redact_header_value(std::string_view name, std::string_view value) {
  if (!is_credential_header(name)) return std::string(value);
  const std::string_view secret = trimmed_value(value);
  if (secret.empty()) return std::string(value);
  const std::string_view credentials = credential_secret(name, value);
  if (credentials.size() != secret.size()) {  // an Authorization scheme stays readable
    const std::size_t space = secret.find_first_of(" \t");
    return std::string(secret.substr(0, space)) + ' ' + redacted_secret(credentials);
  }
  return redacted_secret(secret);
}

std::string_view credential_secret(std::string_view name, std::string_view value) {
  if (!is_credential_header(name)) return {};
  const std::string_view secret = trimmed_value(value);
  if (is_authorization(name)) {
    const std::size_t space = secret.find_first_of(" \t");
    // An auth-scheme is a token; anything else before the first space is part of the secret.
    if (space != std::string_view::npos && is_http_token(secret.substr(0, space))) {
      return trimmed_value(secret.substr(space));
    }
  }
  return secret;
}

bool is_credential_response_header(std::string_view name) {
  return is_credential_header(name) || same_name_ignoring_case(name, "Set-Cookie");
}

std::string redact_response_header_value(std::string_view name, std::string_view value) {
  if (is_credential_header(name)) return redact_header_value(name, value);
  if (!same_name_ignoring_case(name, "Set-Cookie")) return std::string(value);
  return redacted_secret(value);
}

std::string redact_secrets_in(std::string_view text, const std::vector<std::string>& secrets,
                              std::size_t max_bytes, bool& cut) {
  std::string out;
  out.reserve(std::min(text.size(), max_bytes));
  // Each secret's next occurrence at or after `at`, found again only once passed: one scan of
  // the text per secret, however many occurrences there are.
  std::vector<std::size_t> next(secrets.size(), std::string_view::npos);
  for (std::size_t i = 0; i < secrets.size(); ++i) {
    if (!secrets[i].empty()) next[i] = text.find(secrets[i]);
  }
  std::size_t at = 0;
  while (at < text.size() && out.size() < max_bytes) {
    std::size_t found = std::string_view::npos;
    std::size_t length = 0;  // of the secret found; the longest of those starting at `found`
    for (std::size_t i = 0; i < secrets.size(); ++i) {
      if (next[i] != std::string_view::npos && next[i] < at) next[i] = text.find(secrets[i], at);
      if (next[i] < found ||
          (next[i] == found && found != std::string_view::npos && secrets[i].size() > length)) {
        found = next[i];
        length = secrets[i].size();
      }
    }
    const std::size_t plain_end = std::min(found, text.size());
    const std::size_t room = max_bytes - out.size();
    if (plain_end - at > room) {
      const std::string_view kept = utf8_prefix(text.substr(at), room);
      out.append(kept);
      at += kept.size();
      break;
    }
    out.append(text.substr(at, plain_end - at));
    at = plain_end;
    if (found != std::string_view::npos) {
      out += redacted_secret(text.substr(found, length));
      at += length;
    }
  }
  cut = at < text.size();
  return out;
}

}  // namespace prm_mock
