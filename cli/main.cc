// validate_attestation: the thin command-line front end. Parses options,
// calls the library, renders each report, maps verdicts to the exit code.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <system_error>
#include <thread>

#include "cli/command.h"
#include "cli/commands/commands.h"
#include "keyattest/core/terminal_text.h"
#include "keyattest/crypto/crypto_init.h"
#include "keyattest/key_attestation/verifier.h"
#include "keyattest/report/json_renderer.h"
#include "keyattest/report/text_renderer.h"
#include "keyattest/run/batch.h"
#include "keyattest/run/cli_support.h"
#include "keyattest/version.h"

namespace {

using keyattest::ExitCode;

constexpr char kDescription[] =
    "validate_attestation: strict offline verification of Marvell LiquidSecurity HSM key attestations\n"
    "from Azure Managed HSM and Google Cloud HSM.\n"
    "\n"
    "Proves that a key attestation was signed by a Marvell LiquidSecurity HSM partition whose\n"
    "certificate chains to a pinned Marvell root, that the partition owner's chain (Microsoft's\n"
    "per-pool root, or Google's pinned root) re-certifies the same partition key, binds the attested\n"
    "key to the key you expect, and prints the attested key attributes.\n"
    "\n"
    "Get an attestation with:\n"
    "  az rest --method get --resource https://managedhsm.azure.net \\\n"
    "    --uri 'https://<pool>.managedhsm.azure.net/keys/<name>/attestation?api-version=7.6-preview.1' \\\n"
    "    > attestation.json\n"
    "then: validate_attestation -af attestation.json [--verbose]\n"
    "Google Cloud HSM: validate_attestation -af key-version.json (gcloud kms keys versions describe\n"
    "--format=json), or --blob attestation.dat.gz --certs certificates.pem";

constexpr char kFooter[] =
    "Several files (a batch): one line per file and a summary; --verbose prints every report in full.\n"
    "  validate_attestation pool-keys/          validate_attestation --jobs 8 -af a.json -af b.json\n"
    "  find . -name '*.json' | validate_attestation --files-from -\n"
    "\n"
    "A directory means every *.json file directly in it (the suffix in any case, e.g. .JSON),\n"
    "sorted by name; names starting with '.' are skipped; a broken or looping symbolic link,\n"
    "a FIFO or any other non-regular file among them is reported as unreadable (exit 3).\n"
    "Only regular files are read (never a FIFO or device, which could block); '-' (standard\n"
    "input) may be given once.\n"
    "\n"
    "Exit codes:\n"
    "  0  every attestation verified\n"
    "  1  verification failed (a check failed; the output names it)\n"
    "  2  usage error (bad or empty option value, unusable --key/--owner-root/--marvell-root,\n"
    "     a --require value its attribute cannot take)\n"
    "  3  input unreadable: missing or non-regular file, not JSON, ambiguous document shape,\n"
    "     required field missing, not base64\n"
    "  4  the report could not be written (e.g. a full disk); the reason is on standard error\n"
    "  5  internal error\n"
    "With several files the exit code is the worst: 3 over 1 over 0.\n"
    "\n"
    "-af is accepted as the reference tool spells it (mapped to --attestation-file).\n"
    "Colour is used only on a terminal and never when NO_COLOR is set.";

bool UseColor() {
  // Read once at start-up, before any thread exists.
  const char* no_color = std::getenv("NO_COLOR");  // NOLINT(concurrency-mt-unsafe)
  return isatty(STDOUT_FILENO) == 1 && (no_color == nullptr || no_color[0] == '\0');
}

/// One line per file in batch mode: verdict, path, key, first failing
/// check. Everything from the input is escaped for the terminal.
std::string BatchLine(const keyattest::Report& r, bool color) {
  using keyattest::EscapeForTerminal;
  using keyattest::Verdict;
  const Verdict v = r.verdict();
  std::string tag = v == Verdict::kVerified ? "VERIFIED  " : v == Verdict::kFailed ? "FAILED    " : "UNREADABLE";
  if (color) tag = std::string(v == Verdict::kVerified ? "\033[32m" : "\033[31m") + tag + "\033[0m";
  std::string line = tag + "  " + EscapeForTerminal(r.source);
  if (r.key) {
    line += "  key '" + EscapeForTerminal(r.key->name) + "' version '" + EscapeForTerminal(r.key->version) + "'" +
            (r.key->attested ? "" : " (as claimed by the unsigned kid; not attested)");
  }
  if (r.input_error) line += "  " + EscapeForTerminal(*r.input_error);
  for (const auto& c : r.checks) {
    if (c.status == keyattest::CheckStatus::kFail) {
      line += "  " + EscapeForTerminal(c.id) + ": " + EscapeForTerminal(c.detail);
      break;
    }
  }
  return line + "\n";
}

/// An option given with an empty value is a usage error: an unset shell
/// variable ("$PIN") must not silently switch a check off.
std::string NotEmpty(const std::string& value) { return value.empty() ? "an empty value is not allowed" : ""; }

/// A message on standard error; `detail` may hold input (a path, a value).
int Fail(ExitCode code, const std::string& detail) {
  std::cerr << "validate_attestation: " << keyattest::EscapeForTerminal(detail) << "\n";
  return static_cast<int>(code);
}

/// Flushes standard output and reports a write or flush failure (a full
/// disk, a closed pipe): an audit that could not be written must not exit 0.
int FinishOutput(int code) {
  std::cout.flush();
  const bool failed = !std::cout.good() || std::fflush(stdout) != 0 || std::ferror(stdout) != 0;
  if (!failed) return code;
  const int error = errno;
  std::cerr << "validate_attestation: the report could not be written to standard output"
            << (error != 0 ? ": " + std::generic_category().message(error) : std::string()) << "\n";
  return static_cast<int>(ExitCode::kOutputError);
}

}  // namespace

namespace {

int Run(int argc, char** argv) {
  try {
    keyattest::InitializeCrypto();
  } catch (const std::exception& e) {
    return Fail(ExitCode::kInternalError, std::string("internal error: ") + e.what());
  }
  std::vector<std::string> raw(argv, argv + argc);
  if (raw.size() > 1) {
    if (const auto* command = keyattest::cli::FindCommand(raw[1])) {
      return keyattest::cli::RunCommand(*command, std::vector<std::string>(raw.begin() + 2, raw.end()));
    }
    if (const auto* plain = keyattest::cli::FindPlainCommand(raw[1])) {
      return plain->run(std::vector<std::string>(raw.begin() + 2, raw.end()));
    }
    if (raw[1] == "--print-roots") return keyattest::cli::RunRootsCommand({});
  }
  std::vector<std::string> args = keyattest::NormalizeLegacyOptions(raw);
  std::vector<char*> cargs;
  cargs.reserve(args.size());
  for (auto& a : args) cargs.push_back(a.data());

  CLI::App app{kDescription, "validate_attestation"};
  std::string footer = kFooter;
  footer += "\n\nCommands (validate_attestation COMMAND --help):";
  auto list_command = [&footer](const char* name, const char* summary) {
    footer +=
        "\n  " + std::string(name) + std::string(18 - std::min<std::size_t>(17, std::strlen(name)), ' ') + summary;
  };
  for (const auto& command : keyattest::cli::CommandTable()) list_command(command.name, command.summary);
  for (const auto& command : keyattest::cli::PlainCommandTable()) list_command(command.name, command.summary);
  app.footer(footer);
  app.set_version_flag("--version", keyattest::cli::VersionText());
  std::vector<std::string> files;
  bool verbose = false;
  std::string at_text;
  std::vector<std::string> root_files;
  std::vector<std::string> af_files;
  std::vector<std::string> positional_files;
  CLI::Option* af_option =
      app.add_option("--attestation-file", af_files,
                     "Attestation JSON: the whole GET .../attestation response, its 'attributes' object, or its "
                     "'attestation' object (Azure), or the gcloud key-version JSON (Google). Repeatable; a "
                     "directory means every *.json in it (see below); '-' reads one document from standard input "
                     "(once). Also -af FILE.")
          ->type_name("FILE")
          ->expected(1)
          ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
          ->allow_extra_args(false)
          ->check(NotEmpty);
  CLI::Option* positional_option =
      app.add_option("files", positional_files, "Attestation files as plain arguments (shell globs work), as -af")
          ->type_name("FILE")
          ->check(NotEmpty);
  std::string files_from;
  app.add_option("--files-from", files_from, "Read a newline-separated list of attestation files ('-' = stdin)")
      ->type_name("LIST")
      ->check(NotEmpty);
  unsigned jobs = std::max(1u, std::thread::hardware_concurrency());
  app.add_option("-j,--jobs", jobs,
                 "Files verified in parallel (default: the machine's cores); output stays in input order")
      ->check(CLI::Range(1u, 1024u));
  bool no_chain_cache = false;
  app.add_flag("--no-chain-cache", no_chain_cache,
               "Verify every file's certificate chains even when files share a bundle (blob signatures are always "
               "verified; parsed certificates are still reused by their exact bytes)");
  app.add_flag("-v,--verbose", verbose,
               "Show every attested attribute and every certificate (subject, issuer, serial, validity, "
               "SHA-256, SPKI SHA-256); diagnostics go to standard error");
  app.add_option("--at", at_text,
                 "Check certificate validity at this RFC 3339 time (e.g. 2030-01-01T00:00:00Z) instead of now")
      ->type_name("TIME")
      ->check(NotEmpty);
  app.add_option("--marvell-root", root_files,
                 "PEM file of a Marvell root to trust instead of the built-in pinned roots (repeatable)")
      ->type_name("PEM")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->allow_extra_args(false)
      ->check(NotEmpty);
  std::string blob_file;
  app.add_option("--blob", blob_file,
                 "A raw attestation blob (gzip or not), as Google Cloud HSM or Marvell tools deliver it; use "
                 "--certs for its certificates")
      ->type_name("FILE")
      ->check(NotEmpty);
  std::string certs_file;
  app.add_option("--certs", certs_file, "PEM bundle for --blob: the Marvell chain and the owner's (e.g. Google's)")
      ->type_name("PEM")
      ->check(NotEmpty);
  std::string owner_root;
  app.add_option("--owner-root", owner_root,
                 "Pin the pool's owner (Microsoft) root: a PEM certificate file or its SPKI SHA-256 in hex (the "
                 "report prints it). With a pin, an owner chain rooted anywhere else fails")
      ->type_name("FILE|SHA256")
      ->check(NotEmpty);
  std::string key_file;
  app.add_option("--key", key_file,
                 "Expected key: JWK JSON, PEM or DER public key, or a PKCS#10 certificate request; overrides the "
                 "response's 'key' JWK for binding")
      ->type_name("FILE")
      ->check(NotEmpty);
  std::vector<std::string> require;
  app.add_option("--require", require,
                 "Key policy on the private/secret object, repeatable or comma-separated: generated (LOCAL=1, "
                 "NEVER_EXTRACTABLE=1), non-exportable (EXTRACTABLE=0, NEVER_EXTRACTABLE=1), sensitive "
                 "(SENSITIVE=1, ALWAYS_SENSITIVE=1), fips (card and partition in FIPS mode), ATTRIBUTE=VALUE "
                 "(e.g. EXTRACTABLE=0, KEY_TYPE=CKK_RSA, VALUE_LEN=32, KCV=f27967): a known attribute, and a value "
                 "of its type (booleans true/false/1/0, enum names, integers in range, hex for byte strings)")
      ->type_name("POLICY")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->allow_extra_args(false)
      ->check(NotEmpty);
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
  // Files in the order given, whether as -af or as plain arguments.
  {
    std::size_t next_af = 0;
    std::size_t next_positional = 0;
    for (const CLI::Option* option : app.parse_order()) {
      if (option == af_option && next_af < af_files.size()) files.push_back(af_files[next_af++]);
      if (option == positional_option && next_positional < positional_files.size()) {
        files.push_back(positional_files[next_positional++]);
      }
    }
    files.insert(files.end(), af_files.begin() + static_cast<std::ptrdiff_t>(next_af), af_files.end());
    files.insert(files.end(), positional_files.begin() + static_cast<std::ptrdiff_t>(next_positional),
                 positional_files.end());
  }

  auto logger = spdlog::stderr_color_mt("keyattest");
  logger->set_pattern("[%l] %v");
  spdlog::set_default_logger(logger);
  spdlog::set_level(verbose ? spdlog::level::debug : spdlog::level::warn);

  // Everything the user typed is checked before any file is read.
  std::vector<keyattest::Requirement> requirements;
  try {
    requirements = keyattest::ParseRequirements(require);
  } catch (const std::exception& e) {
    return Fail(ExitCode::kUsage, e.what());
  }
  keyattest::VerifyOptions options;
  try {
    options = root_files.empty() ? keyattest::DefaultVerifyOptions() : keyattest::VerifyOptions{};
  } catch (const std::exception& e) {
    return Fail(ExitCode::kInternalError, std::string("built-in trust anchors unusable: ") + e.what());
  }
  options.requirements = std::move(requirements);
  if (!at_text.empty()) {
    options.at = keyattest::ParseRfc3339(at_text);
    if (!options.at) {
      return Fail(ExitCode::kUsage, "--at: '" + at_text + "' is not an RFC 3339 time (example: 2030-01-01T00:00:00Z)");
    }
  }
  if (std::count(files.begin(), files.end(), "-") > 1) {
    return Fail(ExitCode::kUsage, "standard input ('-') can be given only once");
  }
  for (const auto& path : root_files) {
    try {
      std::string pem = keyattest::ReadInputFile(path);
      options.marvell_roots.emplace_back(keyattest::ParseSinglePemCertificate(keyattest::AsBytes(pem)));
    } catch (const std::exception& e) {
      return Fail(ExitCode::kUsage, "--marvell-root " + path + ": " + e.what());
    }
  }

  try {
    if (!owner_root.empty()) keyattest::SetOwnerRoot(options, owner_root);
  } catch (const std::exception& e) {
    return Fail(ExitCode::kUsage, e.what());
  }
  if (!key_file.empty()) {
    try {
      options.expected_key = std::make_shared<keyattest::ExpectedKey>(keyattest::LoadExpectedKeyFile(key_file));
    } catch (const std::exception& e) {
      return Fail(ExitCode::kUsage, std::string("--key: ") + e.what());
    }
  }

  // One check time for the whole run: consistent verdicts, and cacheable.
  if (!options.at) options.at = std::time(nullptr);
  if (!no_chain_cache) options.chain_cache = std::make_shared<keyattest::ChainCache>();
  options.certificate_cache = std::make_shared<keyattest::CertificateCache>();

  if (!blob_file.empty() || !certs_file.empty()) {
    if (blob_file.empty()) {
      return Fail(ExitCode::kUsage, "--certs needs --blob");
    }
    if (!files.empty() || !files_from.empty()) {
      std::cerr
          << "validate_attestation: --blob verifies one raw blob; it cannot be combined with -af or --files-from\n";
      return static_cast<int>(ExitCode::kUsage);
    }
    keyattest::Report report = keyattest::VerifyRawAttestationFiles(
        blob_file, certs_file.empty() ? std::nullopt : std::optional<std::string>(certs_file), options);
    if (output == "json") {
      std::cout << keyattest::RenderJsonDocument({report});
    } else {
      std::cout << keyattest::RenderText(report, keyattest::TextOptions{verbose, UseColor()});
    }
    return FinishOutput(static_cast<int>(report.exit_code()));
  }

  std::vector<std::string> paths;
  bool batch = files.size() != 1;
  try {
    if (!files_from.empty()) {
      if (files_from == "-" && std::count(files.begin(), files.end(), "-") > 0) {
        std::cerr << "validate_attestation: standard input cannot be both --files-from - and -af -\n";
        return static_cast<int>(ExitCode::kUsage);
      }
      std::vector<std::string> listed = keyattest::ReadPathList(files_from);
      files.insert(files.end(), listed.begin(), listed.end());
      batch = true;
    }
    if (files.empty()) {
      std::cerr << "validate_attestation: no attestation file given (use -af FILE; see --help)\n";
      return static_cast<int>(ExitCode::kUsage);
    }
    paths = keyattest::ExpandInputPaths(files);
    batch = batch || paths.size() != files.size();
  } catch (const keyattest::InputError& e) {
    return Fail(ExitCode::kUnreadable, e.what());
  }

  const keyattest::TextOptions text{verbose, UseColor()};
  const bool json = output == "json";
  std::optional<keyattest::JsonRunWriter> json_writer;
  if (json) json_writer.emplace(std::cout);
  const bool show_progress = batch && !json && isatty(STDERR_FILENO) == 1 && paths.size() >= 50;
  const bool line_by_line = isatty(STDOUT_FILENO) == 1;
  auto emit = [&](std::size_t i, const keyattest::Report& report) {
    if (json) {
      json_writer->Add(report);
    } else if (!batch || verbose) {
      if (i > 0) std::cout << "\n";
      std::cout << keyattest::RenderText(report, text);
    } else {
      if (show_progress) std::cerr << "\r\033[K";
      std::cout << BatchLine(report, text.color);
      // A terminal sees each line at once; a pipe or file gets full buffers.
      if (line_by_line) std::cout.flush();
    }
  };
  auto progress = [&](std::size_t done, std::size_t total) {
    if (show_progress && (done % 25 == 0 || done == total)) {
      std::cerr << "\r\033[K[" << done << "/" << total << "] verifying..." << std::flush;
    }
  };
  keyattest::BatchSummary summary = keyattest::VerifyBatch(paths, options, jobs, emit, progress);
  if (show_progress) std::cerr << "\r\033[K";
  if (json) {
    json_writer->Finish(summary);
  } else if (batch) {
    char rate[64];
    const double files_per_second = summary.seconds > 0 ? static_cast<double>(summary.files) / summary.seconds : 0.0;
    if (summary.seconds < 1.0) {
      (void)std::snprintf(rate, sizeof(rate), "%.1f ms (%.0f files/s)", summary.seconds * 1000, files_per_second);
    } else {
      (void)std::snprintf(rate, sizeof(rate), "%.2f s (%.0f files/s)", summary.seconds, files_per_second);
    }
    std::cout << "\n"
              << summary.files << " files: " << summary.verified << " verified, " << summary.failed << " failed, "
              << summary.unreadable << " unreadable in " << rate;
    if (options.chain_cache) {
      std::cout << "; certificate chains verified " << options.chain_cache->misses() << "x, reused "
                << options.chain_cache->hits() << "x";
    }
    std::cout << "\n";
  }
  return FinishOutput(static_cast<int>(summary.exit_code));
}

}  // namespace

int main(int argc, char** argv) {
  // Anything unexpected is an internal error with its own exit code (5),
  // never a verification verdict.
  try {
    return Run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "validate_attestation: internal error: " << keyattest::EscapeForTerminal(e.what()) << "\n";
  } catch (...) {
    std::cerr << "validate_attestation: internal error\n";
  }
  return static_cast<int>(ExitCode::kInternalError);
}
