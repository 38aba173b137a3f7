#pragma once
// Compiles a ref-free JSON Schema 2020-12 (what ref_inliner and the OpenAPI 3.0 translation
// produce) into SchemaNodes. Every keyword is either enforced, an annotation that asserts nothing
// (title, description, examples, ...), or refused with a ContractError naming it and its JSON
// Pointer: a keyword is never silently ignored, so a contract the mock cannot honour stops the
// start instead of letting invalid bodies through.
#include <rapidjson/document.h>

#include <string>
#include <string_view>
#include <vector>

#include "schema/compiled_schema.hpp"

namespace prm_mock {

struct SchemaCompileOptions {
  // Whether known `format`s are asserted on strings (--formats assert, the default) or are only
  // annotations (--formats annotate).
  bool assert_formats = true;
};

struct CompiledSchema {
  SchemaNodePtr root;
  // Things that load but deserve a word at start, e.g. a format the mock does not know.
  std::vector<std::string> warnings;
};

// `schema` must outlive the result (nodes point into it). `at` is the schema's JSON Pointer in
// the document; messages name `origin` and the pointer of the offending keyword.
CompiledSchema compile_schema(const rapidjson::Value& schema, std::string_view origin,
                              const std::string& at, const SchemaCompileOptions& options);

}  // namespace prm_mock
