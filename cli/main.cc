// validate_attestation: the thin command-line front end. Parses options,
// calls the library, renders each report, maps verdicts to the exit code.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "keyattest/cli_support.h"
#include "keyattest/json_renderer.h"
#include "keyattest/text_renderer.h"
#include "keyattest/verifier.h"
#include "keyattest/version.h"

namespace {

using keyattest::ExitCode;

constexpr char kDescription[] =
    "validate_attestation: strict offline verification of Azure Managed HSM key attestations.\n"
    "\n"
    "Proves that a key attestation was signed by a Marvell LiquidSecurity HSM partition whose\n"
    "certificate chains to a pinned Marvell root, that the partition owner (Microsoft) chain\n"
    "re-certifies the same partition key, and prints the attested key attributes.\n"
    "\n"
    "Get an attestation with:\n"
    "  az rest --method get --resource https://managedhsm.azure.net \\\n"
    "    --uri 'https://<pool>.managedhsm.azure.net/keys/<name>/attestation?api-version=7.6-preview.1' \\\n"
    "    > attestation.json\n"
    "then: validate_attestation -af attestation.json [--verbose]";

constexpr char kFooter[] =
    "Exit codes:\n"
    "  0  every attestation verified\n"
    "  1  verification failed (a check failed; the output names it)\n"
    "  2  usage error (bad option or option value)\n"
    "  3  input unreadable: missing file, not JSON, required field missing, not base64\n"
    "With several files the exit code is the worst: 3 over 1 over 0.\n"
    "\n"
    "-af is accepted as the reference tool spells it (mapped to --attestation-file).\n"
    "Colour is used only on a terminal and never when NO_COLOR is set.";

bool UseColor() {
  const char* no_color = std::getenv("NO_COLOR");
  return isatty(STDOUT_FILENO) == 1 && (no_color == nullptr || no_color[0] == '\0');
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> raw(argv, argv + argc);
  std::vector<std::string> args = keyattest::NormalizeLegacyOptions(raw);
  std::vector<char*> cargs;
  for (auto& a : args) cargs.push_back(a.data());

  CLI::App app{kDescription, "validate_attestation"};
  app.footer(kFooter);
  app.set_version_flag("--version", std::string("validate_attestation ") + keyattest::kVersion);
  std::vector<std::string> files;
  bool verbose = false;
  std::string at_text;
  std::vector<std::string> root_files;
  app.add_option("--attestation-file", files,
                 "Attestation JSON: the whole GET .../attestation response, its 'attributes' object, or its "
                 "'attestation' object. Repeatable; '-' reads standard input. Also -af FILE.")
      ->required()
      ->type_name("FILE");
  app.add_flag("-v,--verbose", verbose,
               "Show every attested attribute and every certificate (subject, issuer, serial, validity, "
               "SHA-256, SPKI SHA-256); diagnostics go to standard error");
  app.add_option("--at", at_text,
                 "Check certificate validity at this RFC 3339 time (e.g. 2030-01-01T00:00:00Z) instead of now")
      ->type_name("TIME");
  app.add_option("--marvell-root", root_files,
                 "PEM file of a Marvell root to trust instead of the built-in pinned roots (repeatable)")
      ->type_name("PEM");
  std::string owner_root;
  app.add_option("--owner-root", owner_root,
                 "Pin the pool's owner (Microsoft) root: a PEM certificate file or its SPKI SHA-256 in hex (the "
                 "report prints it). With a pin, an owner chain rooted anywhere else fails")
      ->type_name("FILE|SHA256");
  std::string key_file;
  app.add_option("--key", key_file,
                 "Expected key (JWK JSON or PEM public key); overrides the response's 'key' JWK for binding")
      ->type_name("FILE");
  std::vector<std::string> require;
  app.add_option("--require", require,
                 "Key policy on the private/secret object, repeatable or comma-separated: generated (LOCAL=1, "
                 "NEVER_EXTRACTABLE=1), non-exportable (EXTRACTABLE=0, NEVER_EXTRACTABLE=1), sensitive "
                 "(SENSITIVE=1, ALWAYS_SENSITIVE=1), fips (card and partition in FIPS mode), ATTRIBUTE=VALUE "
                 "(e.g. EXTRACTABLE=0, KEY_TYPE=CKK_RSA)")
      ->type_name("POLICY");
  std::string output = "text";
  app.add_option("--output", output, "Output format: text (default) or json (one document, schema/report.schema.json)")
      ->check(CLI::IsMember({"text", "json"}))
      ->type_name("FORMAT");

  try {
    app.parse(static_cast<int>(cargs.size()), cargs.data());
  } catch (const CLI::Success& e) {
    return app.exit(e);  // --help, --version
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return static_cast<int>(ExitCode::kUsage);
  }

  auto logger = spdlog::stderr_color_mt("keyattest");
  logger->set_pattern("[%l] %v");
  spdlog::set_default_logger(logger);
  spdlog::set_level(verbose ? spdlog::level::debug : spdlog::level::warn);

  keyattest::VerifyOptions options;
  try {
    options = root_files.empty() ? keyattest::DefaultVerifyOptions() : keyattest::VerifyOptions{};
  } catch (const std::exception& e) {
    std::cerr << "validate_attestation: built-in trust anchors unusable: " << e.what() << "\n";
    return static_cast<int>(ExitCode::kVerificationFailed);
  }
  if (!at_text.empty()) {
    options.at = keyattest::ParseRfc3339(at_text);
    if (!options.at) {
      std::cerr << "validate_attestation: --at: '" << at_text
                << "' is not an RFC 3339 time (example: 2030-01-01T00:00:00Z)\n";
      return static_cast<int>(ExitCode::kUsage);
    }
  }
  for (const auto& path : root_files) {
    try {
      std::string pem = keyattest::ReadInputFile(path);
      options.marvell_roots.push_back(keyattest::ParseSinglePemCertificate(keyattest::AsBytes(pem)));
    } catch (const std::exception& e) {
      std::cerr << "validate_attestation: --marvell-root " << path << ": " << e.what() << "\n";
      return static_cast<int>(ExitCode::kUsage);
    }
  }

  try {
    if (!owner_root.empty()) options.owner_root_spki_sha256 = keyattest::ParseOwnerRootPin(owner_root);
    options.requirements = keyattest::ParseRequirements(require);
  } catch (const std::exception& e) {
    std::cerr << "validate_attestation: " << e.what() << "\n";
    return static_cast<int>(ExitCode::kUsage);
  }
  if (!key_file.empty()) {
    try {
      options.expected_key = std::make_shared<keyattest::ExpectedKey>(keyattest::LoadExpectedKeyFile(key_file));
    } catch (const std::exception& e) {
      std::cerr << "validate_attestation: --key: " << e.what() << "\n";
      return static_cast<int>(ExitCode::kUsage);
    }
  }

  keyattest::TextOptions text{verbose, UseColor()};
  ExitCode worst = ExitCode::kVerified;
  std::vector<keyattest::Report> reports;
  for (std::size_t i = 0; i < files.size(); ++i) {
    keyattest::Report report = keyattest::VerifyAttestationFile(files[i], options);
    worst = keyattest::WorstExitCode(worst, report.exit_code());
    if (output == "json") {
      reports.push_back(std::move(report));
      continue;
    }
    if (i > 0) std::cout << "\n";
    std::cout << keyattest::RenderText(report, text);
  }
  if (output == "json") std::cout << keyattest::RenderJsonDocument(reports);
  std::cout.flush();
  return static_cast<int>(worst);
}
