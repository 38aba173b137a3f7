#pragma once
// Which schema keywords assert nothing, which the mock refuses (and why), and which dialect
// identifiers it reads. The compiler enforces every other keyword it knows; anything else is an
// unknown keyword, refused too.
#include <string_view>

namespace prm_mock {

// Keywords that only describe (title, description, examples, OpenAPI's discriminator, ...), and
// the containers of definitions ($defs), whose schemas are used only through $refs, which are
// inlined before compiling.
bool is_annotation_keyword(std::string_view keyword);

// Why a keyword of JSON Schema (2020-12 or an older draft) cannot be honoured, or "" when it can.
std::string_view unsupported_keyword_reason(std::string_view keyword);

// Whether `uri` names JSON Schema 2020-12 or OpenAPI 3.1's base dialect built on it.
bool is_json_schema_2020_12(std::string_view uri);

}  // namespace prm_mock
