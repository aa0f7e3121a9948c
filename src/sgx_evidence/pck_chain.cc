#include "keyattest/sgx_evidence/pck_chain.h"

#include <algorithm>

#include "keyattest/x509/path_verifier.h"

namespace keyattest::sgx_evidence {

namespace {

struct RunResult {
  bool ok = false;
  int error = X509_V_OK;
  std::string detail;
};

// One path check (x509/path_verifier.h): the store holds only `roots`, the
// quote's other certificates are untrusted, and the built path must be
// exactly the quote's chain with the anchor in place of the quote's own root.
RunResult RunVerify(const std::vector<Certificate>& chain, const std::vector<TrustAnchor>& roots, std::time_t at) {
  PathRequest request;
  request.leaf = &chain.front();
  for (const TrustAnchor& root : roots) request.anchors.push_back(&root.certificate());
  for (std::size_t i = 1; i < chain.size(); ++i) request.untrusted.push_back(&chain[i]);
  request.at = at;
  const PathResult path = VerifyPath(request);
  RunResult out;
  if (!path.ok) {
    out.error = path.error;
    out.detail = std::string("OpenSSL: ") + X509_verify_cert_error_string(out.error) + " (error " +
                 std::to_string(out.error) + ") at depth " + std::to_string(path.error_depth) +
                 (path.error_subject.empty() ? std::string() : ", " + path.error_subject);
    return out;
  }
  if (path.length != chain.size()) {
    out.detail = "the verified path has " + std::to_string(path.length) + " certificates but the quote carries " +
                 std::to_string(chain.size()) + " (every certificate must be on the path, leaf first)";
    return out;
  }
  for (std::size_t i = 0; i + 1 < chain.size(); ++i) {
    if (X509_cmp(path.path[i].get(), chain[i].get()) != 0) {
      out.detail = "certificate " + std::to_string(i) + " of the quote is not at its place on the verified path";
      return out;
    }
  }
  out.ok = true;
  return out;
}

std::time_t NotBefore(const Certificate& cert) {
  std::tm tm{};
  CheckOpenSsl(ASN1_TIME_to_tm(X509_get0_notBefore(cert.get()), &tm) == 1, "ASN1_TIME_to_tm");
  return timegm(&tm);
}

// The quote's last certificate stands for the root; it must be the pinned
// key, self-signed, so that nothing in the quote's chain goes unchecked.
std::string CheckQuoteRoot(const Certificate& root, const std::vector<TrustAnchor>& roots) {
  const bool pinned = std::any_of(roots.begin(), roots.end(),
                                  [&](const TrustAnchor& a) { return a.spki_sha256() == root.spki_sha256(); });
  if (!pinned) {
    return "the quote's last certificate (" + root.subject() + ") has key SHA-256 " + HexEncode(root.spki_sha256()) +
           ", not the pinned Intel SGX Root CA key";
  }
  if (!root.IsSelfIssued() || X509_verify(root.get(), root.public_key()) != 1) {
    ClearOpenSslErrors();
    return "the quote's last certificate (" + root.subject() + ") is not validly self-signed";
  }
  return {};
}

}  // namespace

std::vector<Certificate> ParsePckChain(ByteSpan certification_data) {
  ByteSpan pem = certification_data;
  if (!pem.empty() && pem.back() == 0) pem = pem.first(pem.size() - 1);
  PemBundle bundle = ParsePemBundle(pem);
  if (bundle.duplicates_removed != 0) throw BundleError("the PCK chain repeats a certificate");
  if (bundle.certificates.size() < 2) {
    throw BundleError("the PCK chain has " + std::to_string(bundle.certificates.size()) +
                      " certificate; a PCK certificate and the root are required");
  }
  return std::move(bundle.certificates);
}

PckChainResult VerifyPckChain(const std::vector<Certificate>& chain, const std::vector<TrustAnchor>& roots,
                              std::time_t at) {
  PckChainResult result;
  if (roots.empty()) {
    result.detail = "no Intel SGX Root CA anchor is compiled in";
    return result;
  }
  if (std::string root_problem = CheckQuoteRoot(chain.back(), roots); !root_problem.empty()) {
    result.detail = std::move(root_problem);
    return result;
  }
  RunResult run = RunVerify(chain, roots, at);
  const std::string at_text = FormatRfc3339(at);
  if (run.ok) {
    result.status = CheckStatus::kPass;
    result.detail = std::to_string(chain.size()) + " certificates, " + chain.front().subject() + " <- ... <- " +
                    chain.back().subject() + ", verified at " + at_text + " to the pinned Intel SGX Root CA";
    return result;
  }
  if (run.error != X509_V_ERR_CERT_NOT_YET_VALID) {
    result.detail = "at " + at_text + ": " + run.detail;
    return result;
  }
  // The quote was made after the time asked about (a JWKS saved later than
  // the token). The evidence then binds the key from the time the chain
  // became valid; say so instead of passing silently or failing a real key.
  std::time_t latest = at;
  for (const Certificate& c : chain) latest = std::max(latest, NotBefore(c));
  RunResult later = RunVerify(chain, roots, latest);
  if (!later.ok) {
    result.detail = "at " + at_text + ": " + run.detail + "; and at " + FormatRfc3339(latest) + ": " + later.detail;
    return result;
  }
  result.status = CheckStatus::kWarn;
  result.detail = "not yet valid at " + at_text + " (" + run.detail + "); verified as of " + FormatRfc3339(latest) +
                  ", when its newest certificate became valid: the quote is newer than the check time";
  return result;
}

}  // namespace keyattest::sgx_evidence
