#include "cli/command.h"
#include "cli/commands/commands.h"

namespace keyattest::cli {

namespace {

// One line per command; the command's file declares its options.
const std::vector<Command>& Commands() {
  static const std::vector<Command> commands = {
      {"snp", "verify an AMD SEV-SNP attestation report offline", DeclareSnpCommand},
  };
  return commands;
}

constexpr PlainCommand kPlainCommands[] = {
    {"roots", "list the compiled-in trust anchors (or write them as PEM)", &RunRootsCommand},
};

}  // namespace

std::span<const Command> CommandTable() { return Commands(); }

std::span<const PlainCommand> PlainCommandTable() { return kPlainCommands; }

const PlainCommand* FindPlainCommand(const std::string& name) {
  for (const PlainCommand& c : kPlainCommands) {
    if (name == c.name) return &c;
  }
  return nullptr;
}

const Command* FindCommand(const std::string& name) {
  for (const Command& c : Commands()) {
    if (name == c.name) return &c;
  }
  return nullptr;
}

}  // namespace keyattest::cli
