// The snp verifier's checks after parsing (docs/snp.md "Checks"), sharing
// what earlier stages found. Internal to src/snp.
#pragma once

#include <optional>
#include <string>

#include "keyattest/amd/certificate_input.h"
#include "keyattest/amd/kds_extensions.h"
#include "keyattest/amd/snp_report.h"
#include "keyattest/report/report.h"
#include "keyattest/snp/amd_chain.h"
#include "keyattest/snp/verifier.h"

namespace keyattest::snp {

/// What the stages found so far, for the checks that depend on it.
struct Evidence {
  std::optional<amd::SnpReport> report;
  std::string report_form;
  std::optional<amd::AmdCertificateInput> certs;
  std::optional<std::string> certs_malformed;
  std::optional<AmdChainRoles> roles;
  std::string roles_error;
  std::optional<Certificate> anchor;
  bool chain_ok = false;
  std::optional<amd::KdsExtensions> extensions;
};

/// The product whose TCB layout applies: the chain's, else the report's
/// CPUID (version 3+), else unknown.
std::optional<amd::Product> ProductOf(const Evidence& ev);
nlohmann::ordered_json ExtensionFacts(const amd::KdsExtensions& ext);

void CheckSignatureAlgo(Report& report, const Evidence& ev);
void CheckSigningKey(Report& report, const Evidence& ev);
void CheckExtensions(Report& report, Evidence& ev);
void CheckSignature(Report& report, const Evidence& ev);
void CheckTcb(const SnpOptions& options, Report& report, const Evidence& ev);
void CheckChipId(Report& report, const Evidence& ev);
void CheckVmpl(const SnpOptions& options, Report& report, const Evidence& ev);
void CheckPolicy(const SnpOptions& options, Report& report, const Evidence& ev);
void CheckReportData(const SnpOptions& options, Report& report, const Evidence& ev);
void CheckHostData(const SnpOptions& options, Report& report, const Evidence& ev);

}  // namespace keyattest::snp
