// x5c chain, serverAuth, host name and thumbprints of a release response
// (docs/skr.md "release-response"). Trust is the pinned DigiCert Global
// Root G2 (or --root), never the system store.
#include "keyattest/skr/vault_chain.h"

#include <openssl/x509v3.h>

#include <algorithm>
#include <cctype>

#include "keyattest/core/errors.h"
#include "keyattest/io/base64.h"
#include "keyattest/skr/skr_checks.h"
#include "keyattest/x509/path_verifier.h"

namespace keyattest::skr {

namespace {

using Json = nlohmann::ordered_json;

/// The request every release response's chain is checked with: x5c[0]
/// through the other x5c certificates (untrusted) to `roots` alone, at
/// `time.at`, for TLS server use, covering `vault`.
PathRequest VaultPathRequest(const std::vector<Certificate>& x5c, const std::vector<TrustAnchor>& roots,
                             const CheckTime& time, const std::string& vault) {
  PathRequest request;
  request.leaf = &x5c.front();
  for (const TrustAnchor& root : roots) request.anchors.push_back(&root.certificate());
  for (std::size_t i = 1; i < x5c.size(); ++i) request.untrusted.push_back(&x5c[i]);
  request.at = time.at;
  request.purpose = X509_PURPOSE_SSL_SERVER;
  request.host = vault;
  return request;
}

std::string VerifyFailure(const PathResult& path) {
  return std::string(X509_verify_cert_error_string(path.error)) + " (OpenSSL error " + std::to_string(path.error) +
         ", depth " + std::to_string(path.error_depth) + (path.error_subject.empty() ? "" : ", " + path.error_subject) +
         ")" + (path.error == X509_V_ERR_INVALID_PURPOSE ? ": not valid for TLS serverAuth" : "");
}

bool LeafHasServerAuth(const Certificate& leaf) {
  return (leaf.extension_flags() & EXFLAG_XKUSAGE) != 0 &&
         (X509_get_extended_key_usage(leaf.get()) & XKU_SSL_SERVER) != 0;
}

bool ReportChain(const PathResult& path, const Certificate& leaf, const std::vector<TrustAnchor>& roots,
                 const CheckTime& time, Report& report) {
  if (roots.empty()) {
    report.Fail(kResponseChain, "no trust anchor");
    return false;
  }
  if (!path.path_ok) {
    report.Fail(kResponseChain,
                "x5c does not chain to " + roots.front().name() + " at " + time.Rfc3339() + ": " + VerifyFailure(path));
    return false;
  }
  if (!LeafHasServerAuth(leaf)) {
    report.Fail(kResponseChain, "x5c[0] has no extended key usage serverAuth: not a TLS server certificate");
    return false;
  }
  report.Pass(kResponseChain, std::to_string(path.length) + " certificates to " +
                                  FormatName(X509_get_subject_name(path.path.back().get())) + " at " + time.Rfc3339() +
                                  ", leaf has serverAuth");
  return true;
}

void ReportHostname(const PathResult& path, const std::string& vault, Report& report) {
  if (path.host_ok) {
    report.Pass(kResponseHostname, "x5c[0] subjectAltName '" + path.matched_host + "' covers " + vault);
  } else {
    report.Fail(kResponseHostname, "no DNS subjectAltName of x5c[0] covers " + vault);
  }
}

}  // namespace

std::vector<Certificate> DecodeX5c(const Json& x5c) {
  if (!x5c.is_array() || x5c.empty()) throw ResponseFormatError("header x5c must be a non-empty array");
  if (x5c.size() > kMaxX5cCertificates) {
    throw ResponseFormatError("header x5c has " + std::to_string(x5c.size()) + " certificates; at most " +
                              std::to_string(kMaxX5cCertificates) + " are accepted");
  }
  CertificateCache cache;
  std::vector<Certificate> out;
  for (std::size_t i = 0; i < x5c.size(); ++i) {
    const std::string where = "x5c[" + std::to_string(i) + "]";
    if (!x5c[i].is_string()) throw ResponseFormatError(where + " must be a string");
    const std::string& text = x5c[i].get_ref<const std::string&>();
    if (text.find_first_of("-_") != std::string::npos) {
      throw ResponseFormatError(where + " is standard base64 (RFC 7515 4.1.6); '-' or '_' found");
    }
    std::string error;
    const auto der = DecodeBase64Any(text, &error);
    if (!der) {
      std::string message = where;
      message += " is not base64: ";
      message += error;
      throw ResponseFormatError(message);
    }
    auto cert = cache.Parse(*der);
    if (cert == nullptr) throw ResponseFormatError(where + " is not exactly one DER certificate");
    out.push_back(*cert);
  }
  return out;
}

void CheckThumbprints(const Json& header, const Certificate& leaf, Report& report) {
  struct Thumbprint {
    const char* name;
    std::string expected;
  };
  const Thumbprint thumbprints[] = {{"x5t", EncodeBase64Url(Sha1(leaf.der()))},
                                    {"x5t#S256", EncodeBase64Url(Sha256(leaf.der()))}};
  std::string seen;
  for (const auto& t : thumbprints) {
    if (!header.contains(t.name)) continue;
    const Json& value = header.at(t.name);
    if (!value.is_string() || value.get_ref<const std::string&>() != t.expected) {
      report.Fail(kResponseX5t,
                  std::string(t.name) + " " + value.dump() + " is not the thumbprint of x5c[0] ('" + t.expected + "')");
      return;
    }
    seen += (seen.empty() ? "" : " and ") + std::string(t.name);
  }
  if (seen.empty()) {
    report.Skip(kResponseX5t, "the header has neither x5t nor x5t#S256");
  } else {
    report.Pass(kResponseX5t, seen + " name x5c[0]");
  }
}

VaultChainResult CheckVaultChain(const std::vector<Certificate>& x5c, const std::vector<TrustAnchor>& roots,
                                 const CheckTime& time, const std::string& vault, Report& report) {
  VaultChainResult out;
  if (x5c.empty()) {
    report.Fail(kResponseChain, "no x5c certificate");
    report.Skip(kResponseHostname, "no x5c certificate");
    return out;
  }
  // One path check answers both rules; each is reported on its own.
  const PathResult path = VerifyPath(VaultPathRequest(x5c, roots, time, vault));
  out.chain_ok = ReportChain(path, x5c.front(), roots, time, report);
  ReportHostname(path, vault, report);
  out.hostname_ok = path.host_ok;
  return out;
}

void ValidateVaultHost(const std::string& vault) {
  const bool plain = !vault.empty() && vault.size() <= 253 && vault.front() != '.' && vault.back() != '.' &&
                     vault.find("..") == std::string::npos &&
                     std::all_of(vault.begin(), vault.end(),
                                 [](unsigned char c) { return std::isalnum(c) != 0 || c == '-' || c == '.'; });
  if (!plain) {
    throw UsageError("--vault takes a bare host name such as myvault.vault.azure.net (no scheme, port or path), got '" +
                     vault + "'");
  }
}

}  // namespace keyattest::skr
