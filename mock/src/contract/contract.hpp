#pragma once
// The published OpenAPI document and what the mock derives from it: the publish operation's route
// and its request-body JSON Schema, compiled once (mock/src/schema) and reused for every request.
#include <rapidjson/document.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "diagnostics/contract_error.hpp"
#include "diagnostics/violation.hpp"
#include "prm_mock/config.hpp"

namespace prm_mock {

struct ContractOptions {
  // `format` asserted on strings (--formats assert, the default), or only an annotation
  // (--formats annotate).
  bool assert_formats = true;
};

class Contract {
 public:
  // The operation the mock serves.
  static constexpr std::string_view kOperationId = "prm-registry-publish";

  // Parses an OpenAPI document given as YAML or JSON (JSON is valid YAML; both are accepted).
  // `origin` names the source in error messages (a file path, or "embedded contract").
  // OpenAPI 3.0.x and 3.1.x are read, each with its own schema dialect.
  static Contract from_text(std::string_view text, std::string_view origin,
                            const ContractOptions& options = {});
  // The document in schemas/, compiled into the binary.
  static Contract embedded(const ContractOptions& options = {});
  // The document in `file` (YAML or JSON), or the embedded one when `file` is empty. An unreadable
  // file is a ContractError like an unusable document.
  static Contract from_file_or_embedded(const std::string& file,
                                        const ContractOptions& options = {});
  // The contract a configuration names (--contract, --formats).
  static Contract from_config(const Config& config);

  Contract(Contract&&) noexcept;
  Contract& operator=(Contract&&) noexcept;
  ~Contract();

  // The whole OpenAPI document, as JSON.
  const rapidjson::Document& document() const;
  // The request-body schema of the operation with every $ref resolved inline (no "$ref" remains),
  // as JSON Schema 2020-12 (an OpenAPI 3.0 schema is translated).
  const rapidjson::Document& request_schema() const;
  // What deserves a word at start without stopping it, e.g. a `format` the mock does not check.
  const std::vector<std::string>& warnings() const;
  // servers[0].url, e.g. "/api" ("" when the document has no servers).
  const std::string& server_base_path() const;
  // The operation's path template relative to the base, e.g. "/registries/artifacts".
  const std::string& operation_path() const;
  // Upper-case HTTP method of the operation, e.g. "POST".
  const std::string& operation_method() const;

  // Validates a parsed body against the compiled request schema and returns *every* violation, each
  // with location "body", a JSON Pointer to the offending value, the failing keyword and a message.
  // Container errors that only repeat a child's failure are not listed. Thread-safe.
  Violations validate(const rapidjson::Value& body) const;

 private:
  struct State;
  explicit Contract(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace prm_mock
