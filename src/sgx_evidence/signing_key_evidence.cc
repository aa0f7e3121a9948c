#include "keyattest/sgx_evidence/signing_key_evidence.h"

#include <algorithm>
#include <optional>
#include <string>

#include "keyattest/core/errors.h"
#include "keyattest/intel/sgx_quote.h"
#include "keyattest/io/base64.h"
#include "keyattest/sgx_evidence/evidence_extension.h"
#include "keyattest/sgx_evidence/pck_chain.h"
#include "keyattest/sgx_evidence/quote_crypto.h"

namespace keyattest::sgx_evidence {

namespace {

constexpr const char* kFactsKey = "signing_key_evidence";
constexpr std::size_t kHashSize = 32;

/// MRSIGNERs seen on real MAA signing keys (docs/sgx-evidence.md §7): shown
/// next to a signer so a reader can place it; never trusted by default.
constexpr std::pair<const char*, const char*> kKnownSigners[] = {
    {"74ba5fba208571cf99e1f7158e6536a05bbb6ce7807eef8f6a97f64a7af64b83",
     "seen on MAA shared-instance keys valid to 2050"},
    {"5e5410aaf99a32e32df2a97d579e65f8310f274816ec4f34cedeeb1be410a526", "seen on 2020-2021 MAA keys, debug enclaves"},
};

std::string SignerText(ByteSpan mrsigner) {
  std::string hex = HexEncode(mrsigner);
  for (const auto& [known, label] : kKnownSigners) {
    if (hex == known) return hex + " (" + label + ")";
  }
  return hex;
}

std::string Hex64(std::uint64_t v) {
  Bytes be(8);
  for (std::size_t i = 0; i < 8; ++i) be[i] = static_cast<std::uint8_t>(v >> (8 * (7 - i)));
  return "0x" + HexEncode(be);
}

enum class QuoteState { kParsed, kAbsent, kUnsupported, kMalformed };

struct LocatedQuote {
  QuoteState state = QuoteState::kAbsent;
  std::optional<intel::Quote> quote;
  std::string oid;
  std::string format;  // for the evidence detail
  std::string problem;
};

LocatedQuote LocateQuote(const Certificate& cert) {
  FoundEvidence found = FindEvidence(cert);
  LocatedQuote out;
  out.oid = found.oid;
  try {
    switch (found.kind) {
      case EvidenceKind::kNone:
        out.problem = "the certificate has no enclave evidence extension (" + std::string(kOidOeSgxEvidence) + " or " +
                      kOidSgxQuote2020 + ")";
        return out;
      case EvidenceKind::kAmbiguous:
        out.state = QuoteState::kMalformed;
        out.problem = found.oid;
        return out;
      case EvidenceKind::kSevSnp:
        out.state = QuoteState::kUnsupported;
        out.problem =
            "SEV-SNP evidence (extension " + found.oid + ") is recognised but not supported: it was not verified";
        return out;
      case EvidenceKind::kOeSgxQuote:
        out.quote = intel::ParseOeEvidence(found.value).quote;
        out.format = "Open Enclave report header v1 (SGX remote) + SGX ECDSA quote v3";
        break;
      case EvidenceKind::kWrappedSgxQuote:
        out.quote = intel::ParseWrappedQuote(found.value);
        out.format = "SGX ECDSA quote v3 in a DER OCTET STRING (2020 form)";
        break;
    }
  } catch (const ParseError& e) {
    out.state = QuoteState::kMalformed;
    out.problem = "malformed evidence in extension " + found.oid + ": " + e.what();
    return out;
  } catch (const intel::UnsupportedEvidence& e) {
    out.state = QuoteState::kUnsupported;
    out.problem = "unsupported evidence in extension " + found.oid + ": " + e.what();
    return out;
  }
  out.state = QuoteState::kParsed;
  out.format += ", " + std::to_string(found.value.size()) + " bytes in extension " + found.oid;
  if (found.also_snp) out.format += " (an SEV-SNP evidence extension is also present and was not evaluated)";
  return out;
}

std::optional<std::time_t> ToTimeT(const ASN1_TIME* t) {
  std::tm tm{};
  if (ASN1_TIME_to_tm(t, &tm) != 1) {
    ClearOpenSslErrors();
    return std::nullopt;
  }
  return timegm(&tm);
}

void CheckSelfSigned(const Certificate& cert, const CheckTime& time, Report& report) {
  if (!cert.IsSelfIssued()) {
    report.Fail(kSelfSigned, "issuer " + cert.issuer() + " differs from subject " + cert.subject());
    return;
  }
  if (X509_verify(cert.get(), cert.public_key()) != 1) {
    ClearOpenSslErrors();
    report.Fail(kSelfSigned, "the self-signature of " + cert.subject() + " does not verify with its own key");
    return;
  }
  const auto from = ToTimeT(X509_get0_notBefore(cert.get()));
  const auto to = ToTimeT(X509_get0_notAfter(cert.get()));
  if (!from || !to || time.at < *from || time.at > *to) {
    report.Fail(kSelfSigned, "self-signed, but not valid at " + time.Rfc3339() + " (valid " + cert.not_before() +
                                 " to " + cert.not_after() + ")");
    return;
  }
  report.Pass(kSelfSigned,
              cert.subject() + ", self-signature verifies, valid " + cert.not_before() + " to " + cert.not_after());
}

void CheckKid(std::string_view kid, ByteSpan key_hash, Report& report) {
  const std::string expected = EncodeBase64Std(key_hash);
  if (kid == expected) {
    report.Pass(kKid, "kid " + expected + " = base64(SHA-256(PEM of the key || NUL))");
    return;
  }
  std::string error;
  const std::optional<Bytes> decoded = DecodeBase64Any(kid, &error);
  if (decoded && *decoded == Bytes(key_hash.begin(), key_hash.end())) {
    report.Pass(kKid, "kid decodes to SHA-256(PEM of the key || NUL) (" + expected + " in another base64 form)");
    return;
  }
  report.Warn(kKid, "kid " + std::string(kid) + " is not " + expected +
                        ", the enclave-key form; the key is bound by its certificate, the kid is only a label");
}

void CheckReportData(const intel::ReportBody& body, ByteSpan key_hash, Report& report) {
  const ByteSpan data(body.report_data);
  const ByteSpan first = data.first(kHashSize);
  const ByteSpan rest = data.subspan(kHashSize);
  if (!std::equal(first.begin(), first.end(), key_hash.begin(), key_hash.end())) {
    report.Fail(kReportData, "report_data[0:32] is " + HexEncode(first) + " but SHA-256(PEM of the key || NUL) is " +
                                 HexEncode(key_hash) + ": the quote is for another key");
    return;
  }
  if (std::any_of(rest.begin(), rest.end(), [](std::uint8_t b) { return b != 0; })) {
    report.Fail(kReportData, "report_data[32:64] is " + HexEncode(rest) + ", not zero");
    return;
  }
  report.Pass(kReportData, "report_data = SHA-256(PEM of the key || NUL) " + HexEncode(key_hash) + " || 32 zero bytes");
}

void CheckIsvSignature(const intel::Quote& quote, Report& report) {
  try {
    EvpPkeyPtr key = P256KeyFromRaw(quote.signature_data.attestation_key);
    if (!VerifyEcdsaP256Sha256(key.get(), quote.signed_prefix, quote.signature_data.isv_signature)) {
      report.Fail(kIsvSignature,
                  "the ECDSA P-256 signature over the quote header and report body does not verify "
                  "with the attestation key");
      return;
    }
  } catch (const CryptoError& e) {
    report.Fail(kIsvSignature, std::string("the attestation key is not a usable P-256 key: ") + e.what());
    return;
  }
  report.Pass(kIsvSignature,
              "ECDSA P-256 over the quote header and report body (432 bytes) verifies with the "
              "attestation key");
}

void CheckQeReportData(const intel::Quote& quote, Report& report) {
  const intel::SignatureData& sd = quote.signature_data;
  Bytes hashed(sd.attestation_key.begin(), sd.attestation_key.end());
  hashed.insert(hashed.end(), sd.qe_auth_data.begin(), sd.qe_auth_data.end());
  const Bytes expected = Sha256(hashed);
  const ByteSpan data(sd.qe_report.report_data);
  const ByteSpan first = data.first(kHashSize);
  const ByteSpan rest = data.subspan(kHashSize);
  if (!std::equal(first.begin(), first.end(), expected.begin(), expected.end())) {
    report.Fail(kQeReportData, "QE report_data[0:32] is " + HexEncode(first) +
                                   " but SHA-256(attestation key || QE auth data) is " + HexEncode(expected));
    return;
  }
  if (std::any_of(rest.begin(), rest.end(), [](std::uint8_t b) { return b != 0; })) {
    report.Fail(kQeReportData, "QE report_data[32:64] is " + HexEncode(rest) + ", not zero");
    return;
  }
  report.Pass(kQeReportData, "QE report_data = SHA-256(attestation key || " + std::to_string(sd.qe_auth_data.size()) +
                                 "-byte QE auth data) || 32 zero bytes");
}

void CheckQeSignature(const intel::Quote& quote, const Certificate& pck, Report& report) {
  EVP_PKEY* key = pck.public_key();
  if (EVP_PKEY_get_base_id(key) != EVP_PKEY_EC || EVP_PKEY_get_bits(key) != 256) {
    report.Fail(kQeSignature, "the PCK certificate's key is " + pck.key_description() + ", not ECDSA P-256");
    return;
  }
  try {
    if (VerifyEcdsaP256Sha256(key, quote.signature_data.qe_report.raw, quote.signature_data.qe_signature)) {
      report.Pass(kQeSignature, "ECDSA P-256 over the QE report (384 bytes) verifies with the key of " + pck.subject());
      return;
    }
  } catch (const CryptoError& e) {
    report.Fail(kQeSignature, std::string("could not verify: ") + e.what());
    return;
  }
  report.Fail(kQeSignature, "the QE report signature does not verify with the key of " + pck.subject());
}

std::vector<TrustAnchor> PckRoots(const SgxEvidenceOptions& options) {
  if (options.pck_roots != nullptr) return *options.pck_roots;
  return BuiltinAnchors("intel-sgx-root");
}

nlohmann::ordered_json ChainFacts(const std::vector<Certificate>& chain) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const Certificate& c : chain) {
    out.push_back({{"subject", c.subject()},
                   {"not_before", c.not_before()},
                   {"not_after", c.not_after()},
                   {"spki_sha256", HexEncode(c.spki_sha256())}});
  }
  return out;
}

// The PCK chain and the QE signature, which needs the chain's leaf key.
void CheckPck(const intel::Quote& quote, const SgxEvidenceOptions& options, Report& report,
              nlohmann::ordered_json& facts) {
  std::vector<Certificate> chain;
  try {
    chain = ParsePckChain(quote.signature_data.certification_data);
  } catch (const BundleError& e) {
    report.Skip(kQeSignature, "no PCK key: the PCK chain did not parse");
    report.Fail(kPckChain, std::string("malformed PCK chain in the certification data: ") + e.what());
    return;
  }
  facts["pck_chain"] = ChainFacts(chain);
  CheckQeSignature(quote, chain.front(), report);
  try {
    PckChainResult result = VerifyPckChain(chain, PckRoots(options), options.check_time.at);
    report.Set(kPckChain, result.status, std::move(result.detail));
  } catch (const CryptoError& e) {
    report.Fail(kPckChain, std::string("could not verify: ") + e.what());
  }
}

void CheckDebug(const intel::Quote& quote, bool required, Report& report) {
  const intel::ReportBody& isv = quote.report_body;
  const intel::ReportBody& qe = quote.signature_data.qe_report;
  if (qe.debug()) {
    // A debug quoting enclave exposes the attestation key to the host: its
    // quotes prove nothing, with or without --require-evidence.
    report.Fail(kDebug, "the quoting enclave is a debug enclave (ATTRIBUTES.FLAGS " + Hex64(qe.attributes_flags) + ")");
    return;
  }
  if (isv.debug()) {
    const std::string detail = "the MAA enclave is a debug enclave (ATTRIBUTES.FLAGS " + Hex64(isv.attributes_flags) +
                               "): its memory, and so the signing key, is readable by the host";
    if (required) {
      report.Fail(kDebug, detail);
    } else {
      report.Warn(kDebug, detail);
    }
    return;
  }
  report.Pass(kDebug, "ATTRIBUTES.DEBUG clear (enclave flags " + Hex64(isv.attributes_flags) + ", quoting enclave " +
                          Hex64(qe.attributes_flags) + ")");
}

void CheckMrsigner(const intel::Quote& quote, const SgxEvidenceOptions& options, Report& report) {
  const auto& mrsigner = quote.report_body.mr_signer;
  const std::string text = SignerText(mrsigner);
  if (options.required_mrsigners.empty()) {
    report.Skip(kMrsigner, "MRSIGNER " + text + "; not pinned (--require-mrsigner)");
    return;
  }
  for (const Bytes& wanted : options.required_mrsigners) {
    if (std::equal(wanted.begin(), wanted.end(), mrsigner.begin(), mrsigner.end())) {
      report.Pass(kMrsigner, "MRSIGNER " + text + " is required");
      return;
    }
  }
  report.Fail(kMrsigner, "MRSIGNER " + text + " is not among the " + std::to_string(options.required_mrsigners.size()) +
                             " required (--require-mrsigner)");
}

nlohmann::ordered_json ReportFacts(const intel::ReportBody& b) {
  return {{"mrenclave", HexEncode(b.mr_enclave)},
          {"mrsigner", HexEncode(b.mr_signer)},
          {"isv_prod_id", b.isv_prod_id},
          {"isv_svn", b.isv_svn},
          {"attributes_flags", Hex64(b.attributes_flags)},
          {"attributes_xfrm", Hex64(b.attributes_xfrm)},
          {"debug", b.debug()},
          {"cpu_svn", HexEncode(b.cpu_svn)},
          {"report_data", HexEncode(b.report_data)}};
}

void CheckQuote(const intel::Quote& quote, ByteSpan key_hash, const SgxEvidenceOptions& options, Report& report,
                nlohmann::ordered_json& facts) {
  facts["quote"] = {{"version", quote.header.version},
                    {"attestation_key_type", "ECDSA P-256"},
                    {"qe_svn", quote.header.qe_svn},
                    {"pce_svn", quote.header.pce_svn},
                    {"qe_vendor_id", HexEncode(quote.header.qe_vendor_id)}};
  facts["enclave"] = ReportFacts(quote.report_body);
  facts["quoting_enclave"] = ReportFacts(quote.signature_data.qe_report);
  CheckReportData(quote.report_body, key_hash, report);
  CheckIsvSignature(quote, report);
  CheckQeReportData(quote, report);
  CheckPck(quote, options, report, facts);
  CheckDebug(quote, options.evidence_required(), report);
  CheckMrsigner(quote, options, report);
  report.Warn(kTcb, "NOT evaluated: whether the platform's TCB (CPU SVN, PCE SVN " +
                        std::to_string(quote.header.pce_svn) + ", QE SVN " + std::to_string(quote.header.qe_svn) +
                        ") is up to date and the quoting enclave's identity need Intel's online collateral (TCB info, "
                        "QE identity, CRLs); revocation of the PCK chain was not checked either");
}

void SkipQuoteChecks(const std::string& why, const SgxEvidenceOptions& options, Report& report) {
  for (const CheckDefinition* c : {&kReportData, &kIsvSignature, &kQeReportData, &kQeSignature, &kPckChain, &kDebug}) {
    report.Skip(*c, why);
  }
  if (options.required_mrsigners.empty()) {
    report.Skip(kMrsigner, why);
  } else {
    report.Fail(kMrsigner, "a MRSIGNER is required (--require-mrsigner) but " + why);
  }
  report.Skip(kTcb, why);
}

// The signing_key.evidence line: presence and format, and the summary of
// every other evidence check (a failed one fails it; under require_evidence
// a debug enclave is such a failure).
void AddEvidenceSummary(const LocatedQuote& located, const Report& checks, const SgxEvidenceOptions& options,
                        Report& report) {
  const bool required = options.evidence_required();
  if (located.state == QuoteState::kMalformed) {
    report.Fail(kEvidence, located.problem);
    return;
  }
  if (located.state != QuoteState::kParsed) {
    if (required) {
      report.Fail(kEvidence, located.problem + "; evidence is required (--require-evidence / --require-mrsigner)");
    } else {
      report.Warn(kEvidence, located.problem + "; the key is trusted only as far as the JWKS it came from");
    }
    return;
  }
  std::string failed;
  for (const CheckResult& c : checks.checks) {
    if (c.status == CheckStatus::kFail) failed += (failed.empty() ? "" : ", ") + std::string(c.id.view());
  }
  if (required && !failed.empty()) {
    report.Fail(kEvidence, located.format + "; required, and not satisfied: " + failed + " failed");
    return;
  }
  // Evidence that is present but false fails whether or not it is required.
  if (!failed.empty()) {
    report.Fail(kEvidence, located.format + "; present but does not hold: " + failed + " failed");
    return;
  }
  report.Pass(kEvidence, located.format);
}

// Moves the checks into `report`, each id under `prefix`.
void Emit(Report&& checks, const std::string& prefix, Report& report) {
  for (CheckResult& c : checks.checks) {
    if (!prefix.empty()) c.id = CheckText(prefix + std::string(c.id.view()));
    report.checks.push_back(std::move(c));
  }
}

}  // namespace

Bytes ParseMrsignerHex(std::string_view hex) {
  std::optional<Bytes> bytes = HexDecode(hex);
  if (!bytes || bytes->size() != kHashSize) {
    throw UsageError("--require-mrsigner: expected 64 hex digits (a 32-byte MRSIGNER), got '" + std::string(hex) + "'");
  }
  return *bytes;
}

void VerifyMaaSigningKeyEvidence(const Certificate& signing_cert, std::string_view kid,
                                 const SgxEvidenceOptions& options, Report& report) {
  const Bytes key_hash = EnclaveKeyHash(signing_cert);
  nlohmann::ordered_json facts = {{"certificate", signing_cert.subject()}, {"key_hash", EncodeBase64Std(key_hash)}};
  Report checks;
  CheckSelfSigned(signing_cert, options.check_time, checks);
  CheckKid(kid, key_hash, checks);
  const LocatedQuote located = LocateQuote(signing_cert);
  if (!located.oid.empty()) facts["extension"] = located.oid;
  if (located.quote) {
    facts["format"] = located.format;
    CheckQuote(*located.quote, key_hash, options, checks, facts);
  } else {
    SkipQuoteChecks("no verifiable evidence (" + located.problem + ")", options, checks);
  }
  Report summary;
  AddEvidenceSummary(located, checks, options, summary);
  Emit(std::move(summary), options.check_prefix, report);
  Emit(std::move(checks), options.check_prefix, report);
  report.facts[options.check_prefix + kFactsKey] = std::move(facts);
}

void ReportSigningKeyWithoutCertificate(std::string_view kid, const SgxEvidenceOptions& options, Report& report) {
  LocatedQuote none;
  none.problem = "the JWKS entry for kid " + std::string(kid) + " has no certificate (x5c), so no enclave evidence";
  Report checks;
  if (!options.required_mrsigners.empty()) {
    checks.Fail(kMrsigner, "a MRSIGNER is required (--require-mrsigner) but there is no evidence");
  }
  Report summary;
  AddEvidenceSummary(none, checks, options, summary);
  Emit(std::move(summary), options.check_prefix, report);
  Emit(std::move(checks), options.check_prefix, report);
}

}  // namespace keyattest::sgx_evidence
