#include "cli/command.h"
#include "cli/commands/commands.h"

namespace keyattest::cli {

namespace {

// One line per command; the command's file declares its options.
const std::vector<Command>& Commands() {
  static const std::vector<Command> commands = {
      {"release-policy", "explain a Key Vault key release policy (grammar, lint, evaluation)",
       DeclareReleasePolicyCommand},
  };
  return commands;
}

}  // namespace

std::span<const Command> CommandTable() { return Commands(); }

const Command* FindCommand(const std::string& name) {
  for (const Command& c : Commands()) {
    if (name == c.name) return &c;
  }
  return nullptr;
}

}  // namespace keyattest::cli
