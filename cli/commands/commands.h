// Declarations of every command (one file per command, named after it).
// See cli/command.h.
#pragma once

#include <string>
#include <vector>

#include "cli/command.h"

namespace keyattest::cli {

int RunRootsCommand(const std::vector<std::string>& args);

}  // namespace keyattest::cli
