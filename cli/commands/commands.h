// Declarations of every command (one file per command, named after it).
// See cli/command.h.
#pragma once

#include <string>
#include <vector>

#include "cli/command.h"

namespace keyattest::cli {

/// The default command: Marvell key attestations (docs/marvell-format.md).
BatchRunner DeclareKeyAttestationCommand(CLI::App& app, CommonOptions& common);
int RunRootsCommand(const std::vector<std::string>& args);
/// `snp`: AMD SEV-SNP attestation reports (docs/snp.md).
CommandRunner DeclareSnpCommand(CLI::App& app, CommonOptions& common);
CommandRunner DeclareMaaCommand(CLI::App& app, CommonOptions& common);
CommandRunner DeclareMaaPolicyCommand(CLI::App& app, CommonOptions& common);
CommandRunner DeclareReleasePolicyCommand(CLI::App& app, CommonOptions& common);
CommandRunner DeclareReleaseResponseCommand(CLI::App& app, CommonOptions& common);

}  // namespace keyattest::cli
