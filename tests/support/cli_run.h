// Runs the built validate_attestation for end-to-end tests.
#pragma once

#include <string>

namespace keyattest::testing {

struct CliRun {
  int exit_code = -1;
  std::string out;  // stdout and stderr together
};

/// Runs `binary args` through the shell with NO_COLOR=1; `args` is shell
/// text (quote what needs quoting).
CliRun RunBinary(const std::string& binary, const std::string& args);

/// Runs `command_line` through the shell exactly as given (the caller adds
/// any redirection and environment); captures standard output.
CliRun RunShell(const std::string& command_line);

/// Writes `content` to a file named `name` in the test's temporary folder and
/// returns its path.
std::string WriteTempFile(const std::string& name, const std::string& content);

}  // namespace keyattest::testing
