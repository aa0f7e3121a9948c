#include "keyattest/sgx_evidence/token_key_evidence.h"

#include <algorithm>
#include <string>

#include "keyattest/x509/certificate.h"

namespace keyattest::sgx_evidence {

namespace {

/// x5c[0] in canonical DER (x509/certificate.h), else nothing and `why`.
std::optional<Certificate> ParseDer(const Bytes& der, const std::string& what, std::string& why) {
  try {
    return Certificate(DecodeCanonicalDerCertificate(der, what));
  } catch (const std::exception& e) {
    why = e.what();
    return std::nullopt;
  }
}

/// x5c[0] as the JWKS parse decoded it (once per key set, not per token:
/// d2i_X509 is the costly part), else decoded here.
std::optional<Certificate> SigningCertificate(const maa::SelectedKey& key, std::string& why) {
  if (key.certificate) {
    CheckQueueFreeOpenSsl(X509_up_ref(key.certificate.get()) == 1, "X509_up_ref");
    return Certificate(X509Ptr(key.certificate.get()));
  }
  return ParseDer(key.x5c_der.front(), "x5c[0] of kid " + key.kid, why);
}

void FailOrSkipEvidence(const std::string& why, const SgxEvidenceOptions& options, Report& report) {
  report.Add(options.check_prefix + std::string(kEvidence.id.view()), CheckText(kEvidence.title),
             options.evidence_required() ? CheckStatus::kFail : CheckStatus::kSkip, why);
}

bool EvidenceHeld(const Report& report, const std::string& prefix) {
  const std::string ids = prefix + "signing_key.";
  bool any = false;
  for (const CheckResult& c : report.checks) {
    if (!c.id.view().starts_with(ids)) continue;
    any = true;
    if (c.status == CheckStatus::kFail) return false;
  }
  return any;
}

// "the signing key", or for "result_token." "the result token's signing key".
std::string KeyOwner(const std::string& prefix) {
  if (prefix.empty()) return "the signing key";
  std::string owner = prefix.substr(0, prefix.size() - (prefix.back() == '.' ? 1 : 0));
  std::replace(owner.begin(), owner.end(), '_', ' ');
  return "the " + owner + "'s signing key";
}

}  // namespace

void VerifyTokenKeyEvidence(const maa::MaaTokenResult& result, const SgxEvidenceOptions& options, Report& report) {
  if (!result.key) {
    FailOrSkipEvidence("no signing key was selected (see token.kid and jwks.key)", options, report);
    return;
  }
  const maa::SelectedKey& key = *result.key;
  if (key.x5c_der.empty()) {
    ReportSigningKeyWithoutCertificate(key.kid, options, report);
    return;
  }
  std::string why;
  const std::optional<Certificate> cert = SigningCertificate(key, why);
  if (!cert) {
    FailOrSkipEvidence(why, options, report);
    return;
  }
  if (!key.public_key || EVP_PKEY_eq(cert->public_key(), key.public_key.get()) != 1) {
    ClearOpenSslErrors();
    report.Add(options.check_prefix + std::string(kEvidence.id.view()), CheckText(kEvidence.title), CheckStatus::kFail,
               "x5c[0] of kid " + key.kid + " does not hold the key the token's signature was checked with");
    return;
  }
  VerifyMaaSigningKeyEvidence(*cert, key.kid, options, report);
  if (options.evidence_required() && result.verified && EvidenceHeld(report, options.check_prefix)) {
    report.verified_meaning += "; " + KeyOwner(options.check_prefix) +
                               " is held by an SGX enclave whose quote verifies to the Intel SGX Root CA";
    if (!options.required_mrsigners.empty()) report.verified_meaning += " and whose MRSIGNER is pinned";
  }
}

}  // namespace keyattest::sgx_evidence
