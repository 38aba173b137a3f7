#pragma once
// JSON Pointer helpers shared by the fixture compiler: building the pointers that problems name,
// and checking that a pointer written in a fixture can ever resolve in a request the contract
// accepts.
#include <rapidjson/document.h>
#include <rapidjson/pointer.h>

#include <string>
#include <string_view>

#include "text/json_pointer_token.hpp"

namespace prm_mock {

// True when `pointer` names a location the request schema describes: each token must be a declared
// property, fall under an explicit additionalProperties/items schema, or lie below a schema that
// constrains nothing ("Any type"). Combinators (allOf/anyOf/oneOf) are followed. This catches typos
// such as /artifact/verison, which would otherwise never match and never render.
bool schema_reaches(const rapidjson::Value& schema, const rapidjson::Pointer& pointer);

// Why `text` is not a usable JSON Pointer ("" when it is): it must be "" or start with '/', and use
// '~' only as "~0" or "~1".
std::string pointer_syntax_problem(std::string_view text);

}  // namespace prm_mock
