// The snp verifier's orchestration (docs/snp.md "Checks"): parse, then run
// every check in order; a check whose prerequisite failed is skipped with
// the reason.
#include "keyattest/snp/verifier.h"

#include <stdexcept>

#include "keyattest/amd/certificate_input.h"
#include "keyattest/amd/kds_extensions.h"
#include "keyattest/amd/report_signature.h"
#include "keyattest/amd/snp_report.h"
#include "keyattest/core/byte_reader.h"
#include "keyattest/crypto/openssl_ptr.h"
#include "keyattest/snp/amd_chain.h"
#include "keyattest/snp/checks.h"
#include "keyattest/snp/report_facts.h"
#include "keyattest/x509/certificate_facts.h"
#include "src/snp/field_checks.h"

namespace keyattest::snp {

namespace {

/// The members of each certificate in facts.certificates (docs/snp.md).
constexpr CertificateField kCertificateFields[] = {CertificateField::kRole,      CertificateField::kSubject,
                                                   CertificateField::kIssuer,    CertificateField::kSerial,
                                                   CertificateField::kNotBefore, CertificateField::kNotAfter,
                                                   CertificateField::kKey,       CertificateField::kSignatureAlgorithm,
                                                   CertificateField::kSha256,    CertificateField::kSpkiSha256};

std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : "; ") + p;
  return out;
}

void ParseReport(ByteSpan input, Report& report, Evidence& ev) {
  try {
    const Bytes raw = amd::DecodeSnpReportInput(input);
    ev.report_form = raw.size() == input.size() && std::equal(raw.begin(), raw.end(), input.begin())
                         ? "binary"
                         : "attest/raw JSON {\"report\": hex}";
    ev.report = amd::ParseSnpReport(raw);
  } catch (const std::invalid_argument& e) {
    report.FailMalformed(kFormat, e.what());
    return;
  } catch (const ParseError& e) {
    report.FailMalformed(kFormat, e.what());
    return;
  }
  const std::vector<std::string> problems = amd::ValidateSnpReportFormat(*ev.report);
  if (!problems.empty()) {
    report.FailMalformed(kFormat, Join(problems));
    return;
  }
  report.Pass(kFormat, "1184 bytes, version " + std::to_string(ev.report->version) +
                           ", every reserved bit and range zero (" + ev.report_form + ")");
}

void ParseCertificates(ByteSpan input, CertificateCache* cache, Evidence& ev) {
  try {
    ev.certs = amd::ParseAmdCertificateInput(input, cache);
  } catch (const amd::CertificateInputError& e) {
    ev.certs_malformed = e.what();
    return;
  }
  try {
    ev.roles = ClassifyAmdCertificates(ev.certs->certificates);
  } catch (const std::invalid_argument& e) {
    ev.roles_error = std::string("the certificates are not an AMD chain: ") + e.what();
  }
}

void CheckChain(const SnpOptions& options, Report& report, Evidence& ev) {
  if (ev.certs_malformed) {
    report.FailMalformed(kChain, *ev.certs_malformed);
    return;
  }
  if (!ev.roles) {
    report.Fail(kChain, ev.roles_error);
    return;
  }
  std::vector<TrustAnchor> anchors = options.amd_roots;
  if (anchors.empty()) anchors = BuiltinAnchors("amd-ark");
  AmdChainResult result;
  try {
    result = VerifyAmdChain(*ev.roles, anchors, options.check_time.at);
  } catch (const CryptoError& e) {
    report.FailTrust(kChain, std::string("a trusted ARK is unusable: ") + e.what());
    return;
  }
  ev.anchor = result.anchor;
  ev.chain_ok = result.ok;
  if (result.ok) {
    report.Pass(kChain, result.detail);
  } else {
    report.Fail(kChain, result.detail);
  }
}

void AddFacts(const SnpOptions& options, Report& report, const Evidence& ev) {
  nlohmann::ordered_json input = {{"report", options.report_source}};
  if (!ev.report_form.empty()) input["report_form"] = ev.report_form;
  input["certificates"] = options.certs_source;
  if (ev.certs) input["certificates_form"] = ev.certs->form;
  if (ev.roles) {
    input["product"] = amd::ProductName(ev.roles->product);
    input["endorsement_key"] = ev.roles->kind == amd::EndorsementKind::kVcek ? "VCEK" : "VLEK";
  }
  if (ev.certs && ev.certs->tcbm) input["thim_tcbm"] = TcbFacts(*ev.certs->tcbm, ProductOf(ev));
  report.facts["input"] = input;
  if (ev.report) report.facts["report"] = SnpReportFacts(*ev.report, ProductOf(ev));
  if (ev.extensions) report.facts["vcek_extensions"] = ExtensionFacts(*ev.extensions);
  if (ev.roles) {
    nlohmann::ordered_json certs = nlohmann::ordered_json::array();
    const bool vcek = ev.roles->kind == amd::EndorsementKind::kVcek;
    auto add = [&certs](const Certificate& c, StaticText role) {
      certs.push_back(CertificateFactsToJson(DescribeCertificate(c, role), kCertificateFields));
    };
    add(*ev.roles->leaf, vcek ? StaticText("VCEK") : StaticText("VLEK"));
    add(*ev.roles->intermediate, vcek ? StaticText("ASK") : StaticText("ASVK"));
    if (ev.anchor) add(*ev.anchor, "ARK (trusted)");
    report.facts["certificates"] = certs;
  }
}

}  // namespace

Report VerifySnpReport(ByteSpan report_input, ByteSpan certs_input, const SnpOptions& options) {
  Report report;
  report.kind = kSnpKind;
  report.source = options.report_source;
  report.checked_at = options.check_time.Rfc3339();
  // The verdict line must not claim the pinned ARKs when --amd-root replaced them.
  report.verified_meaning = options.amd_roots.empty()
                                ? "the report was signed by a VCEK that chains to the pinned AMD ARK, and its "
                                  "fields meet the options"
                                : "the report was signed by a VCEK that chains to an ARK given with --amd-root "
                                  "(not the pinned AMD roots), and its fields meet the options";
  Evidence ev;
  ParseReport(report_input, report, ev);
  ParseCertificates(certs_input, options.certificate_cache.get(), ev);
  if (!ev.report) {
    AddFacts(options, report, ev);
    return report;
  }
  CheckSignatureAlgo(report, ev);
  CheckSigningKey(report, ev);
  CheckChain(options, report, ev);
  CheckExtensions(report, ev);
  CheckSignature(report, ev);
  CheckTcb(options, report, ev);
  CheckChipId(report, ev);
  CheckVmpl(options, report, ev);
  CheckPolicy(options, report, ev);
  CheckReportData(options, report, ev);
  CheckHostData(options, report, ev);
  AddFacts(options, report, ev);
  return report;
}

}  // namespace keyattest::snp
