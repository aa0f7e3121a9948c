// The default command: Marvell LiquidSecurity HSM key attestations from
// Azure Managed HSM and Google Cloud HSM (docs/marvell-format.md), one file
// or a batch (`validate_attestation -af FILE`, plain file arguments,
// --files-from, --blob). Options are checked here, at the edge, before any
// file is read; command_runner.cc renders the reports.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <memory>
#include <thread>

#include "cli/command.h"
#include "cli/commands/commands.h"
#include "keyattest/core/errors.h"
#include "keyattest/io/input_file.h"
#include "keyattest/key_attestation/facts.h"
#include "keyattest/key_attestation/file_verifier.h"
#include "keyattest/key_attestation/owner_root_pins.h"
#include "keyattest/key_attestation/verifier.h"
#include "keyattest/report/text_renderer.h"
#include "keyattest/run/batch.h"

namespace keyattest::cli {

namespace {

constexpr char kDescription[] =
    "validate_attestation: strict offline verification of Marvell LiquidSecurity HSM\n"
    "key attestations from Azure Managed HSM and Google Cloud HSM.\n"
    "\n"
    "Proves that a key attestation was signed by a Marvell LiquidSecurity HSM\n"
    "partition whose certificate chains to a pinned Marvell root, that the partition\n"
    "owner's chain (Microsoft's per-pool root, or Google's pinned root) re-certifies\n"
    "the same partition key, binds the attested key to the key you expect, and\n"
    "prints the attested key attributes.\n"
    "\n"
    "Get an attestation with:\n"
    "  az keyvault key get-attestation --hsm-name <pool> --name <name> \\\n"
    "    --file attestation.json\n"
    "or:\n"
    "  u='https://<pool>.managedhsm.azure.net/keys/<name>/attestation'\n"
    "  az rest --method get --resource https://managedhsm.azure.net \\\n"
    "    --uri \"$u?api-version=7.6-preview.1\" > attestation.json\n"
    "then: validate_attestation -af attestation.json --expect-key <name> [--verbose]\n"
    "Google Cloud HSM: validate_attestation -af key-version.json (gcloud kms keys\n"
    "versions describe --format=json), or --blob attestation.dat.gz --certs certs.pem";

constexpr char kFooter[] =
    "Several files (a batch): one line per file and a summary; --verbose prints every\n"
    "report in full; -q prints only the files that did not verify and the summary.\n"
    "  validate_attestation pool-keys/\n"
    "  validate_attestation --jobs 8 -af a.json -af b.json\n"
    "  find . -name '*.json' | validate_attestation --files-from -\n"
    "  validate_attestation -o junit pool-keys/ > attestations.xml\n"
    "\n"
    "A directory means every *.json file directly in it (the suffix in any case,\n"
    "e.g. .JSON), sorted by name; names starting with '.' are skipped; a broken or\n"
    "looping symbolic link, a FIFO or any other non-regular file among them is\n"
    "reported as unreadable (exit 3). Only regular files are read (never a FIFO or\n"
    "device, which could block); '-' (standard input) may be given once.\n"
    "\n"
    "Text output wraps to the terminal's width; piped, with --wide or --verbose it\n"
    "keeps one record per line.\n"
    "\n"
    "Exit codes:\n"
    "  0  every attestation verified\n"
    "  1  verification failed (a check failed; the output names it)\n"
    "  2  usage error (bad or empty option value, unusable --key, --owner-root,\n"
    "     --owner-roots or --marvell-root, a --require value its attribute cannot take)\n"
    "  3  input unreadable: missing, empty or non-regular file, not JSON, ambiguous\n"
    "     document shape, required field missing, not base64\n"
    "  4  the report could not be written (e.g. a full disk); the reason is on\n"
    "     standard error\n"
    "  5  internal error\n"
    "With several files the exit code is the worst: 3 over 1 over 0.\n"
    "\n"
    "-af is accepted as the reference tool spells it (mapped to --attestation-file).";

/// The options of the default command, alive in its runner's closure.
struct KeyAttestationOptions {
  std::vector<std::string> af_files;
  std::vector<std::string> positional_files;
  std::vector<std::string> files;  // both, in the order given
  std::string files_from;
  std::string jobs;
  bool no_chain_cache = false;
  std::vector<std::string> marvell_roots;
  std::string blob_file;
  std::string certs_file;
  std::vector<std::string> owner_roots;
  std::string owner_roots_file;
  std::string expect_key;
  std::string key_file;
  std::vector<std::string> require;
};

std::string NotEmpty(const std::string& value) { return value.empty() ? "an empty value is not allowed" : ""; }

/// --jobs: a count, said plainly when it is not one.
std::string JobsValue(const std::string& value) {
  if (value.empty() || value.size() > 4 ||
      !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return "'" + value + "' is not a number (files verified at once, 1 to 1024)";
  }
  const int n = std::stoi(value);
  return n >= 1 && n <= 1024 ? "" : "'" + value + "' is outside 1 to 1024";
}

/// --expect-key NAME[/VERSION]: one or two non-empty segments.
std::string ExpectKeyValue(const std::string& value) {
  const std::string shape = "; expected NAME or NAME/VERSION (e.g. mykey or mykey/0123abcd...)";
  if (value.empty()) return "an empty value is not allowed" + shape;
  const auto slashes = std::count(value.begin(), value.end(), '/');
  if (slashes > 1) return "'" + value + "' has too many '/'-separated parts" + shape;
  if (value.front() == '/') return "'" + value + "' has an empty key name" + shape;
  if (value.back() == '/') return "'" + value + "' has an empty version after '/'" + shape;
  return "";
}

void DeclareOptions(CLI::App& app, KeyAttestationOptions& o, CLI::Option*& af, CLI::Option*& positional) {
  af = AddRepeatableOption(app, "--attestation-file", o.af_files,
                           "Attestation JSON: the whole GET .../attestation response, its 'attributes' object, or "
                           "its 'attestation' object (Azure), or the gcloud key-version JSON (Google). Repeatable; "
                           "a directory means every *.json in it (see below); '-' reads one document from standard "
                           "input (once). Also -af FILE.",
                           "FILE");
  positional = app.add_option("files", o.positional_files, "Attestation files as plain arguments (shell globs work)")
                   ->type_name("FILE")
                   ->check(NotEmpty);
  app.add_option("--files-from", o.files_from, "Read a newline-separated list of attestation files ('-' = stdin)")
      ->type_name("LIST")
      ->check(NotEmpty);
  app.add_option("-j,--jobs", o.jobs,
                 "Files verified in parallel (default: the machine's cores); output stays in input order")
      ->type_name("N")
      ->check(JobsValue);
  app.add_flag("--no-chain-cache", o.no_chain_cache,
               "Verify every file's certificate chains even when files share a bundle (blob signatures are always "
               "verified; parsed certificates are still reused by their exact bytes)");
  AddRepeatableOption(app, "--marvell-root", o.marvell_roots,
                      "PEM file of a Marvell root to trust instead of the built-in pinned roots (repeatable)", "PEM");
  app.add_option("--blob", o.blob_file,
                 "A raw attestation blob (gzip or not), as Google Cloud HSM or Marvell tools deliver it; use --certs "
                 "for its certificates (a JSON document goes to -af)")
      ->type_name("FILE")
      ->check(NotEmpty);
  app.add_option("--certs", o.certs_file, "PEM bundle for --blob: the Marvell chain and the owner's (e.g. Google's)")
      ->type_name("PEM")
      ->check(NotEmpty);
  AddRepeatableOption(app, "--owner-root", o.owner_roots,
                      "Pin the pool's owner (Microsoft) root: a PEM certificate file or its SPKI SHA-256 in hex (the "
                      "report prints it). Repeatable (several pools): the owner root must match one of the pins; "
                      "with a pin, an owner chain rooted anywhere else fails",
                      "FILE|SHA256");
  app.add_option("--owner-roots", o.owner_roots_file,
                 "A file of owner root pins, as --owner-root takes them: one SPKI SHA-256 (hex) per line or PEM "
                 "certificate blocks; '#' starts a comment; a malformed line is a usage error")
      ->type_name("FILE")
      ->check(NotEmpty);
  app.add_option("--expect-key", o.expect_key,
                 "The signed key ID must name this key, and this version when given (a swapped file of another "
                 "key fails check binding.expected_key)")
      ->type_name("NAME[/VERSION]")
      ->check(ExpectKeyValue);
  app.add_option("--key", o.key_file,
                 "Expected key: JWK JSON, PEM or DER public key, or a PKCS#10 certificate request; overrides the "
                 "response's 'key' JWK for binding")
      ->type_name("FILE")
      ->check(NotEmpty);
  AddRepeatableOption(app, "--require", o.require,
                      "Key policy on the private/secret object, repeatable or comma-separated: generated (LOCAL=1, "
                      "NEVER_EXTRACTABLE=1), non-exportable (EXTRACTABLE=0, NEVER_EXTRACTABLE=1), sensitive "
                      "(SENSITIVE=1, ALWAYS_SENSITIVE=1), fips (card and partition in FIPS mode), ATTRIBUTE=VALUE "
                      "(e.g. EXTRACTABLE=0, KEY_TYPE=CKK_RSA, VALUE_LEN=32, KCV=f27967): a known attribute, and a "
                      "value of its type (booleans true/false/1/0, enum names, integers in range, hex for byte "
                      "strings)",
                      "POLICY");
}

/// Files in the order given, whether as -af or as plain arguments.
std::vector<std::string> FilesInOrder(const CLI::App& app, const KeyAttestationOptions& o, const CLI::Option* af,
                                      const CLI::Option* positional) {
  std::vector<std::string> files;
  std::size_t next_af = 0;
  std::size_t next_positional = 0;
  for (const CLI::Option* option : app.parse_order()) {
    if (option == af && next_af < o.af_files.size()) files.push_back(o.af_files[next_af++]);
    if (option == positional && next_positional < o.positional_files.size()) {
      files.push_back(o.positional_files[next_positional++]);
    }
  }
  files.insert(files.end(), o.af_files.begin() + static_cast<std::ptrdiff_t>(next_af), o.af_files.end());
  files.insert(files.end(), o.positional_files.begin() + static_cast<std::ptrdiff_t>(next_positional),
               o.positional_files.end());
  return files;
}

/// Trust input is read here, at the edge; an unreadable or unusable file
/// is a usage error naming the option (exit 2).
std::string ReadTrustFile(const std::string& option, const std::string& path, std::size_t max_bytes,
                          std::string_view what) {
  try {
    return ReadInputFile(path, max_bytes, what);
  } catch (const std::exception& e) {
    throw UsageError(option + ": " + e.what());
  }
}

/// --owner-root VALUE: 64 hex digits of an SPKI SHA-256, or a PEM
/// certificate file.
OwnerRootPin ReadOwnerRoot(const std::string& value) {
  if (std::optional<Bytes> pin = ParseSpkiPinHex(value)) return {std::move(*pin), std::nullopt};
  try {
    const std::string pem = ReadInputFile(value, kMaxInputFileBytes, "an owner root certificate");
    return OwnerRootPinFromPem(AsBytes(pem));
  } catch (const std::exception& e) {
    throw UsageError("--owner-root: '" + value +
                     "' is neither 64 hex digits of an SPKI SHA-256 nor a readable PEM certificate (" + e.what() + ")");
  }
}

constexpr std::size_t kMaxOwnerRootsBytes = std::size_t{1024} * 1024;

/// Every trust and policy option, checked before any file is read.
VerifyOptions MakeVerifyOptions(const KeyAttestationOptions& o, const CommonOptions& common) {
  std::vector<Requirement> requirements;
  try {
    requirements = ParseRequirements(o.require);
  } catch (const std::exception& e) {
    throw UsageError(e.what());
  }
  VerifyOptions options = o.marvell_roots.empty() ? DefaultVerifyOptions() : VerifyOptions{};
  options.requirements = std::move(requirements);
  options.check_time = common.check_time;
  for (const auto& path : o.marvell_roots) {
    try {
      const std::string pem = ReadInputFile(path, kMaxInputFileBytes, "a Marvell root certificate");
      options.marvell_roots.emplace_back(ParseSinglePemCertificate(AsBytes(pem)));
    } catch (const std::exception& e) {
      throw UsageError("--marvell-root " + path + ": " + e.what());
    }
  }
  for (const auto& value : o.owner_roots) options.owner_roots.push_back(ReadOwnerRoot(value));
  if (!o.owner_roots_file.empty()) {
    const std::string text =
        ReadTrustFile("--owner-roots", o.owner_roots_file, kMaxOwnerRootsBytes, "an owner roots file");
    for (OwnerRootPin& pin : ParseOwnerRoots(text, o.owner_roots_file)) options.owner_roots.push_back(std::move(pin));
  }
  if (!o.expect_key.empty()) {
    const auto slash = o.expect_key.find('/');
    options.expected_key_name = o.expect_key.substr(0, slash);
    if (slash != std::string::npos) options.expected_key_version = o.expect_key.substr(slash + 1);
  }
  if (!o.key_file.empty()) {
    const std::string text = ReadTrustFile("--key", o.key_file, kMaxInputFileBytes, "a key file");
    try {
      options.expected_key = std::make_shared<ExpectedKey>(ParseExpectedKeyText(text, o.key_file));
    } catch (const std::exception& e) {
      throw UsageError(std::string("--key: ") + e.what());
    }
  }
  if (!o.no_chain_cache) options.chain_cache = std::make_shared<ChainCache>();
  options.certificate_cache = std::make_shared<CertificateCache>();
  return options;
}

/// --blob: one raw blob, with its --certs, both read here.
Report VerifyBlobFiles(const std::string& blob_path, const std::string& certs_path, const VerifyOptions& options) {
  std::string blob;
  std::optional<Bytes> pem;
  try {
    blob = ReadInputFile(blob_path, kMaxInputFileBytes, kAttestationDocumentInput);
    if (!certs_path.empty()) {
      const std::string text = ReadInputFile(certs_path, kMaxInputFileBytes, "a certificate bundle");
      pem = Bytes(text.begin(), text.end());
    }
  } catch (const InputError& e) {
    Report report = NewKeyAttestationReport();
    report.source = blob_path;
    report.input_error = e.what();
    return report;
  }
  return VerifyRawAttestation(blob_path, AsBytes(blob), std::move(pem), options);
}

/// --blob: one raw blob, with its --certs.
BatchPlan BlobPlan(const KeyAttestationOptions& o, VerifyOptions options) {
  if (o.blob_file.empty()) throw UsageError("--certs needs --blob");
  if (!o.files.empty() || !o.files_from.empty()) {
    throw UsageError("--blob verifies one raw blob; it cannot be combined with -af, file arguments or --files-from");
  }
  BatchPlan plan;
  plan.verify = [blob = o.blob_file, certs = o.certs_file, options = std::move(options)](
                    const std::function<void(std::size_t, const Report&)>& emit,
                    const std::function<void(std::size_t, std::size_t)>&) {
    const Report report = VerifyBlobFiles(blob, certs, options);
    emit(0, report);
    BatchSummary summary;
    summary.Count(report);
    return summary;
  };
  return plan;
}

BatchPlan MakePlan(KeyAttestationOptions& o, const CommonOptions& common) {
  auto logger = spdlog::stderr_color_mt("keyattest");
  logger->set_pattern("[%l] %v");
  spdlog::set_default_logger(logger);
  spdlog::set_level(common.verbose ? spdlog::level::debug : spdlog::level::warn);

  if (std::count(o.files.begin(), o.files.end(), "-") > 1) {
    throw UsageError("standard input ('-') can be given only once");
  }
  VerifyOptions options = MakeVerifyOptions(o, common);
  if (!o.blob_file.empty() || !o.certs_file.empty()) return BlobPlan(o, std::move(options));

  std::vector<std::string> files = o.files;
  bool batch = files.size() != 1;
  if (!o.files_from.empty()) {
    if (o.files_from == "-" && std::count(files.begin(), files.end(), "-") > 0) {
      throw UsageError("standard input cannot be both --files-from - and -af -");
    }
    std::vector<std::string> listed = ReadPathList(o.files_from);
    files.insert(files.end(), listed.begin(), listed.end());
    batch = true;
  }
  if (files.empty()) throw UsageError("no attestation file given (use -af FILE; see --help)");
  std::vector<std::string> paths = ExpandInputPaths(files);
  batch = batch || paths.size() != files.size();

  const unsigned jobs =
      o.jobs.empty() ? std::max(1u, std::thread::hardware_concurrency()) : static_cast<unsigned>(std::stoul(o.jobs));
  auto shared = std::make_shared<VerifyOptions>(std::move(options));
  BatchPlan plan;
  plan.batch = batch;
  plan.verify = [paths = std::move(paths), verifier = AttestationFileVerifier(shared), jobs](
                    const std::function<void(std::size_t, const Report&)>& emit,
                    const std::function<void(std::size_t, std::size_t)>& progress) {
    return VerifyBatch(paths, verifier, jobs, emit, progress);
  };
  plan.summary_note = [shared]() -> std::string {
    if (!shared->chain_cache) return "";
    return "; certificate chains verified " + std::to_string(shared->chain_cache->misses()) + "x, reused " +
           std::to_string(shared->chain_cache->hits()) + "x";
  };
  return plan;
}

}  // namespace

BatchRunner DeclareKeyAttestationCommand(CLI::App& app, CommonOptions& /*common*/) {
  app.description(kDescription);
  std::string footer = kFooter;
  footer += "\n\nCommands (validate_attestation COMMAND --help):";
  auto list_command = [&footer](const char* name, const char* summary) {
    // Summaries wrap under themselves, so every line stays within 80 columns.
    std::string padded = "  " + std::string(name);
    padded += std::string(padded.size() < 20 ? 20 - padded.size() : 1, ' ');
    std::string lines = WrapWithHangingIndent(padded, summary, 80);
    lines.pop_back();
    footer += "\n" + lines;
  };
  for (const auto& command : CommandTable()) list_command(command.name, command.summary);
  for (const auto& command : PlainCommandTable()) list_command(command.name, command.summary);
  app.footer(footer);
  app.set_version_flag("--version", VersionText());
  auto options = std::make_shared<KeyAttestationOptions>();
  CLI::Option* af = nullptr;
  CLI::Option* positional = nullptr;
  DeclareOptions(app, *options, af, positional);
  return [options, &app, af, positional](const CommonOptions& common) {
    options->files = FilesInOrder(app, *options, af, positional);
    return MakePlan(*options, common);
  };
}

}  // namespace keyattest::cli
