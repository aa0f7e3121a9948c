// Declarations of every command's options (one file per command, named
// after it). See cli/command.h.
#pragma once

#include "cli/command.h"

namespace keyattest::cli {

/// `snp`: AMD SEV-SNP attestation reports (docs/snp.md).
CommandRunner DeclareSnpCommand(CLI::App& app, CommonOptions& common);

}  // namespace keyattest::cli
