// Declarations of every command's options (one file per command, named
// after it). See cli/command.h.
#pragma once

#include "cli/command.h"

namespace keyattest::cli {

CommandRunner DeclareMaaCommand(CLI::App& app, CommonOptions& common);
CommandRunner DeclareMaaPolicyCommand(CLI::App& app, CommonOptions& common);
CommandRunner DeclareReleasePolicyCommand(CLI::App& app, CommonOptions& common);
CommandRunner DeclareReleaseResponseCommand(CLI::App& app, CommonOptions& common);

}  // namespace keyattest::cli
