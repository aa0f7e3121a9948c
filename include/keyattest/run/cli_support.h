// Small pieces of the command line that deserve tests of their own.
#pragma once

#include <ctime>
#include <optional>
#include <string>
#include <vector>

namespace keyattest {

/// Debian's CLI11 2.1 refuses multi-letter single-dash options, but the
/// reference tool's users type `-af FILE`. Rewrites `-af` to
/// `--attestation-file` and `-af=FILE` to `--attestation-file=FILE`; leaves
/// everything after a `--` separator alone.
std::vector<std::string> NormalizeLegacyOptions(const std::vector<std::string>& args);

/// Parses an RFC 3339 date-time ("2026-01-02T03:04:05Z", optional fraction,
/// "Z" or "+hh:mm"/"-hh:mm" offset). Returns nullopt on any deviation.
std::optional<std::time_t> ParseRfc3339(const std::string& s);

}  // namespace keyattest
