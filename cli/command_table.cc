#include "cli/command.h"
#include "cli/commands/commands.h"
#include "keyattest/key_attestation/facts.h"

namespace keyattest::cli {

namespace {

// One line per command; the command's file declares its options.
const std::vector<Command>& Commands() {
  static const std::vector<Command> commands = {
      {"maa", "verify a Microsoft Azure Attestation token offline (RS256, JWKS by kid, issuer, time)",
       DeclareMaaCommand},
      {"maa-policy", "check an MAA policy JWS offline (signature, signer pin, hash, the service's result token)",
       DeclareMaaPolicyCommand},
      {"release-policy", "explain a Key Vault key release policy (grammar, lint, evaluation)",
       DeclareReleasePolicyCommand},
      {"release-response", "verify a Key Vault key release response (RS256, TLS chain, host, key, policy)",
       DeclareReleaseResponseCommand},
      {"snp", "verify an AMD SEV-SNP attestation report offline", DeclareSnpCommand},
  };
  return commands;
}

constexpr PlainCommand kPlainCommands[] = {
    {"roots", "list the compiled-in trust anchors (or write them as PEM)", &RunRootsCommand},
};

}  // namespace

const Command& DefaultCommand() {
  static const Command command{"key-attestation", "verify Marvell HSM key attestations (the default command)", nullptr,
                               DeclareKeyAttestationCommand, &NewKeyAttestationReport};
  return command;
}

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
