#pragma once
// `prm-mock validate FILE|-`: checks one request body against the contract and the advisory rules
// without starting a server, and prints the verdict as one JSON document.
#include <iosfwd>

#include "cli/cli_options.hpp"

namespace prm_mock {

// Prints {"valid","violations","warnings"} (or, for unparseable JSON, {"valid":false,"error",...})
// to `out`. Returns 0 when valid, 1 when invalid, 2 on a usage problem (missing or extra FILE
// argument, unreadable file, unusable contract), which is explained on `err`. With
// config.strict_advisory the advisory findings are violations; --validation does not apply here.
int run_validate_command(const CliInvocation& invocation, std::istream& stdin_stream,
                         std::ostream& out, std::ostream& err);

}  // namespace prm_mock
