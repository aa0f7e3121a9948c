// Signature, key and certificate-bound checks of an SNP report
// (docs/snp.md "Checks").
#include "src/snp/field_checks.h"

#include <algorithm>

#include "keyattest/amd/report_signature.h"
#include "keyattest/snp/checks.h"
#include "keyattest/snp/report_facts.h"

namespace keyattest::snp {

namespace {

const char* KindName(amd::EndorsementKind kind) { return kind == amd::EndorsementKind::kVcek ? "VCEK" : "VLEK"; }

std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : "; ") + p;
  return out;
}

bool AllZero(const Bytes& b) {
  return std::all_of(b.begin(), b.end(), [](std::uint8_t v) { return v == 0; });
}

/// The product checks of vcek.extensions; returns the problems.
std::vector<std::string> ProductProblems(const Evidence& ev, const amd::KdsExtensions& ext) {
  std::vector<std::string> problems;
  const amd::Product chain = ev.roles->product;
  if (ext.product != chain) {
    problems.push_back("productName \"" + ext.product_name + "\" is not the chain's product " +
                       amd::ProductName(chain));
  }
  const amd::SnpReport& r = *ev.report;
  if (r.version >= 3) {
    std::optional<amd::Product> cpuid = amd::ProductFromCpuid(r.cpuid_fam_id, r.cpuid_mod_id);
    if (cpuid != chain) {
      problems.push_back("the report's CPUID family " + std::to_string(r.cpuid_fam_id) + " model " +
                         std::to_string(r.cpuid_mod_id) + " is not a " + amd::ProductName(chain) + " processor");
    }
  }
  if (ev.certs->tcbm && *ev.certs->tcbm != ext.tcb) {
    problems.push_back("the THIM tcbm (" + amd::DescribeTcb(*ev.certs->tcbm, ext.product) + ") is not the " +
                       KindName(ev.roles->kind) + "'s TCB (" + amd::DescribeTcb(ext.tcb, ext.product) + ")");
  }
  return problems;
}

}  // namespace

std::optional<amd::Product> ProductOf(const Evidence& ev) {
  if (ev.roles) return ev.roles->product;
  if (ev.report && ev.report->version >= 3) {
    return amd::ProductFromCpuid(ev.report->cpuid_fam_id, ev.report->cpuid_mod_id);
  }
  return std::nullopt;
}

nlohmann::ordered_json ExtensionFacts(const amd::KdsExtensions& ext) {
  nlohmann::ordered_json f = {{"struct_version", ext.struct_version}, {"product_name", ext.product_name}};
  f["tcb"] = TcbFacts(ext.tcb, ext.product);
  if (!ext.hwid.empty()) f["hwid"] = HexEncode(ext.hwid);
  if (!ext.csp_id.empty()) f["csp_id"] = ext.csp_id;
  return f;
}

void CheckSignatureAlgo(Report& report, const Evidence& ev) {
  const std::uint32_t algo = ev.report->signature_algo;
  if (algo == amd::kSignatureAlgoEcdsaP384Sha384) {
    report.Pass(kSignatureAlgo, "1 (ECDSA P-384 with SHA-384)");
  } else {
    report.Fail(kSignatureAlgo, "SIGNATURE_ALGO is " + std::to_string(algo) +
                                    "; only 1 (ECDSA P-384 with SHA-384) "
                                    "is defined");
  }
}

void CheckSigningKey(Report& report, const Evidence& ev) {
  const std::uint32_t key = ev.report->signing_key();
  if (key == amd::kSigningKeyNone) {
    report.Fail(kSigningKey, "SIGNING_KEY is 7: the firmware did not sign this report");
    return;
  }
  if (key != amd::kSigningKeyVcek && key != amd::kSigningKeyVlek) {
    report.Fail(kSigningKey, "SIGNING_KEY " + std::to_string(key) + " is reserved");
    return;
  }
  const char* named = key == amd::kSigningKeyVcek ? "VCEK (0)" : "VLEK (1)";
  if (!ev.roles) {
    report.Skip(kSigningKey, std::string("SIGNING_KEY is ") + named + "; the certificates name no chain");
    return;
  }
  const bool match = (key == amd::kSigningKeyVcek) == (ev.roles->kind == amd::EndorsementKind::kVcek);
  if (match) {
    report.Pass(kSigningKey,
                std::string("SIGNING_KEY is ") + named + ", and the chain is a " + KindName(ev.roles->kind) + " chain");
  } else {
    report.Fail(kSigningKey, std::string("SIGNING_KEY is ") + named + ", but the certificates are a " +
                                 KindName(ev.roles->kind) + " chain");
  }
}

void CheckExtensions(Report& report, Evidence& ev) {
  if (!ev.roles) {
    report.Skip(kVcekExtensions, "no VCEK or VLEK certificate");
    return;
  }
  try {
    ev.extensions = amd::ParseKdsExtensions(ev.roles->leaf->get(), ev.roles->kind);
  } catch (const amd::KdsExtensionError& e) {
    report.Fail(kVcekExtensions, e.what());
    return;
  }
  const std::vector<std::string> problems = ProductProblems(ev, *ev.extensions);
  if (!problems.empty()) {
    report.Fail(kVcekExtensions, Join(problems));
    ev.extensions.reset();
    return;
  }
  report.Pass(kVcekExtensions, "every KDS extension once in exact DER; product " + ev.extensions->product_name +
                                   ", TCB " + amd::DescribeTcb(ev.extensions->tcb, ev.extensions->product));
}

void CheckSignature(Report& report, const Evidence& ev) {
  if (ev.report->signature_algo != amd::kSignatureAlgoEcdsaP384Sha384) {
    report.Skip(kSignature, "the signature algorithm is not ECDSA P-384 with SHA-384");
    return;
  }
  if (!ev.roles) {
    report.Skip(kSignature, "no VCEK or VLEK certificate to verify with");
    return;
  }
  const std::string problem = amd::VerifySnpReportSignature(*ev.report, ev.roles->leaf->public_key());
  const char* key = KindName(ev.roles->kind);
  if (!problem.empty()) {
    report.Fail(kSignature, problem + " (" + key + ")");
  } else if (!ev.chain_ok) {
    report.Fail(kSignature, std::string("verifies with the ") + key +
                                "'s key, but that key is not trusted "
                                "(certs.chain failed)");
  } else {
    report.Pass(kSignature, std::string("ECDSA P-384 SHA-384 over bytes 0x000-0x29F verifies with the ") + key);
  }
}

void CheckChipId(Report& report, const Evidence& ev) {
  if (!ev.extensions) {
    report.Skip(kChipId, "the VCEK extensions were not read");
    return;
  }
  if (ev.roles->kind == amd::EndorsementKind::kVlek) {
    report.Skip(kChipId, "a VLEK is not chip-specific; CHIP_ID is shown, not compared");
    return;
  }
  const amd::SnpReport& r = *ev.report;
  if (AllZero(r.chip_id)) {
    if (r.mask_chip_key()) {
      report.Warn(kChipId,
                  "MASK_CHIP_KEY is set and CHIP_ID is zero: the report does not name its chip, so the "
                  "VCEK's hwID cannot be compared");
    } else {
      report.Fail(kChipId, "CHIP_ID is zero but MASK_CHIP_KEY is clear");
    }
    return;
  }
  if (r.mask_chip_key()) {
    report.Fail(kChipId, "MASK_CHIP_KEY is set but CHIP_ID is not zero");
    return;
  }
  const Bytes& hwid = ev.extensions->hwid;
  Bytes expected = hwid;
  expected.resize(r.chip_id.size(), 0);  // a Turin hwID is the first 8 bytes, the rest zero
  if (r.chip_id == expected) {
    report.Pass(kChipId, "CHIP_ID equals the VCEK's hwID " + HexEncode(hwid).substr(0, 16) + "...");
  } else {
    report.Fail(kChipId, "CHIP_ID " + HexEncode(r.chip_id) + " is not the VCEK's hwID " + HexEncode(hwid));
  }
}

}  // namespace keyattest::snp
