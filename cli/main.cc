// validate_attestation: the thin entry point. Picks the command (a
// subcommand named first, else the default key attestation command) and
// hands it to the runner, cli/command_runner.cc, the one place where
// exceptions become exit codes (docs/exit-codes.md).
#include <iostream>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/commands/commands.h"
#include "keyattest/core/terminal_text.h"
#include "keyattest/crypto/crypto_init.h"
#include "keyattest/run/cli_support.h"

namespace {

int Run(const std::vector<std::string>& raw) {
  using namespace keyattest::cli;
  const std::vector<std::string> rest(raw.begin() + (raw.empty() ? 0 : 1), raw.end());
  if (!rest.empty()) {
    const std::vector<std::string> args(rest.begin() + 1, rest.end());
    if (const Command* command = FindCommand(rest.front())) return RunCommand(*command, args);
    if (const PlainCommand* plain = FindPlainCommand(rest.front())) return plain->run(args);
    if (rest.front() == "--print-roots") return RunRootsCommand(args);
  }
  // The reference tool's users type `-af FILE`.
  const std::vector<std::string> normalized = keyattest::NormalizeLegacyOptions(raw);
  return RunCommand(DefaultCommand(),
                    std::vector<std::string>(normalized.begin() + (normalized.empty() ? 0 : 1), normalized.end()));
}

}  // namespace

int main(int argc, char** argv) {
  // Anything that escapes the runner is an internal error (exit 5), never a
  // verification verdict.
  try {
    keyattest::InitializeCrypto();
    return Run(std::vector<std::string>(argv, argv + argc));
  } catch (const std::exception& e) {
    std::cerr << "validate_attestation: internal error: " << keyattest::EscapeForTerminal(e.what()) << "\n";
  } catch (...) {
    std::cerr << "validate_attestation: internal error\n";
  }
  return static_cast<int>(keyattest::ExitCode::kInternalError);
}
