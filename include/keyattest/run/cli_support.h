// Small pieces of the command line that deserve tests of their own.
#pragma once

#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include "keyattest/core/rfc3339.h"  // ParseRfc3339, for the CLI

namespace keyattest {

/// Debian's CLI11 2.1 refuses multi-letter single-dash options, but the
/// reference tool's users type `-af FILE`. Rewrites `-af` to
/// `--attestation-file` and `-af=FILE` to `--attestation-file=FILE`; leaves
/// everything after a `--` separator alone.
std::vector<std::string> NormalizeLegacyOptions(const std::vector<std::string>& args);

}  // namespace keyattest
