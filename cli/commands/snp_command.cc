// `validate_attestation snp`: verify an AMD SEV-SNP attestation report
// offline (docs/snp.md). Reads the files here, at the edge; the library
// takes bytes.
#include <CLI/CLI.hpp>

#include "cli/commands/commands.h"
#include "keyattest/core/errors.h"
#include "keyattest/io/input_file.h"
#include "keyattest/snp/verifier.h"
#include "keyattest/x509/certificate.h"

namespace keyattest::cli {

namespace {

constexpr std::size_t kMaxReportFileBytes = 64U << 10;  // 1184 bytes, or 2.4 KB of hex JSON
constexpr std::size_t kMaxCertsFileBytes = 256U << 10;
constexpr std::size_t kMaxPolicyFileBytes = 4U << 20;

struct SnpCommandOptions {
  std::string report;
  std::string certs;
  std::vector<std::string> amd_roots;
  std::uint32_t vmpl = 0;
  bool allow_debug = false;
  std::optional<std::string> runtime_data;
  std::optional<std::string> security_policy;
  std::optional<std::string> security_policy_b64;
  std::optional<std::string> host_data;
  std::optional<std::string> min_tcb;
};

Bytes ReadBytes(const std::string& path, std::size_t limit, std::string_view what) {
  const std::string text = ReadInputFile(path, limit, what);
  return Bytes(text.begin(), text.end());
}

/// A --amd-root file that is not exactly one certificate is an unusable
/// trust input (exit 2).
TrustAnchor ReadAmdRoot(const std::string& path) {
  std::string pem;
  try {
    pem = ReadInputFile(path, kMaxCertsFileBytes, "an AMD root certificate");
  } catch (const InputError& e) {
    throw UsageError(std::string("--amd-root: ") + e.what());
  }
  try {
    return TrustAnchor(ParseSinglePemCertificate(AsBytes(pem)));
  } catch (const std::exception& e) {
    throw UsageError("--amd-root '" + path + "': not one PEM certificate: " + e.what());
  }
}

snp::SnpOptions BuildOptions(const SnpCommandOptions& o, const CommonOptions& common) {
  snp::SnpOptions options;
  options.check_time = common.check_time;
  options.report_source = o.report;
  options.certs_source = o.certs;
  for (const std::string& path : o.amd_roots) options.amd_roots.push_back(ReadAmdRoot(path));
  options.vmpl = o.vmpl;
  options.allow_debug = o.allow_debug;
  if (o.runtime_data) options.runtime_data = ReadBytes(*o.runtime_data, kMaxPolicyFileBytes, "runtime data");
  if (o.security_policy) {
    options.host_data = snp::HostDataOfPolicyText(ReadBytes(*o.security_policy, kMaxPolicyFileBytes, "a policy"));
    options.host_data_source = "SHA-256 of the security policy " + *o.security_policy;
  } else if (o.security_policy_b64) {
    options.host_data =
        snp::HostDataOfPolicyBase64(ReadBytes(*o.security_policy_b64, kMaxPolicyFileBytes, "a base64 policy"));
    options.host_data_source = "SHA-256 of the decoded security policy " + *o.security_policy_b64;
  } else if (o.host_data) {
    options.host_data = snp::ParseHostDataHex(*o.host_data);
    options.host_data_source = "--host-data";
  }
  if (o.min_tcb) options.min_tcb = snp::ParseMinimumTcb(*o.min_tcb);
  return options;
}

constexpr char kFooter[] =
    "Examples:\n"
    "  validate_attestation snp --report snp_report.bin \\\n"
    "      --certs uvm_host_amd_certificate.pem --at 2024-01-01T00:00:00Z\n"
    "  validate_attestation snp --report raw.json --certs host_amd_cert.json \\\n"
    "      --runtime-data runtime_data.json --security-policy-b64 ccePolicy.b64\n"
    "\n"
    "Trust: ARK-Milan, ARK-Genoa and ARK-Turin are compiled in and pinned by\n"
    "their SPKI SHA-256; --amd-root replaces them. Checks and fields: docs/snp.md.";

}  // namespace

CommandRunner DeclareSnpCommand(CLI::App& app, CommonOptions& common) {
  auto o = std::make_shared<SnpCommandOptions>();
  AddFileOption(app, "--report", o->report,
                "The 1184-byte SNP attestation report, or the attest/raw JSON {\"report\": \"<hex>\"}")
      ->required();
  AddFileOption(app, "--certs", o->certs,
                "VCEK, ASK and ARK as a PEM bundle (any order), or the THIM/host certificate JSON "
                "(vcekCert, certificateChain, tcbm)")
      ->required();
  AddRepeatableOption(app, "--amd-root", o->amd_roots,
                      "A PEM ARK to trust instead of the pinned ARK-Milan/Genoa/Turin (repeatable)", "FILE");
  app.add_option("--vmpl", o->vmpl, "The VMPL the report must come from (default 0)")
      ->check(CLI::Range(0, 3))
      ->type_name("N");
  app.add_flag("--allow-debug", o->allow_debug, "Accept a guest whose policy allows debugging (reported as a warning)");
  AddOptionalFileOption(app, "--runtime-data", o->runtime_data,
                        "REPORT_DATA must be SHA-256 of this file's bytes followed by 32 zero bytes");
  auto* rego = AddOptionalFileOption(app, "--security-policy", o->security_policy,
                                     "HOST_DATA must be SHA-256 of this security policy (Rego text)");
  auto* b64 = AddOptionalFileOption(app, "--security-policy-b64", o->security_policy_b64,
                                    "HOST_DATA must be SHA-256 of this base64 policy decoded (the ccePolicy)");
  auto* hex = app.add_option("--host-data", o->host_data, "HOST_DATA must be these 64 hex digits")
                  ->type_name("HEX")
                  ->check([](const std::string& v) { return v.empty() ? "an empty value is not allowed" : ""; });
  rego->excludes(b64)->excludes(hex);
  b64->excludes(hex);
  app.add_option("--min-tcb", o->min_tcb, "Lowest REPORTED_TCB accepted, as BL.TEE.SNP.UCODE (e.g. 3.0.8.115)")
      ->type_name("TCB")
      ->check([](const std::string& v) { return v.empty() ? "an empty value is not allowed" : ""; });
  app.footer(std::string(kFooter) + "\n\n" + app.get_footer());
  (void)common;
  return [o](const CommonOptions& run_common) {
    snp::SnpOptions options = BuildOptions(*o, run_common);
    const Bytes report = ReadBytes(o->report, kMaxReportFileBytes, "an SNP report");
    const Bytes certs = ReadBytes(o->certs, kMaxCertsFileBytes, "AMD certificates");
    return snp::VerifySnpReport(report, certs, options);
  };
}

}  // namespace keyattest::cli
