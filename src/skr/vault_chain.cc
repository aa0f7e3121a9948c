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

namespace keyattest::skr {

namespace {

using Json = nlohmann::ordered_json;

std::string VerifyFailure(X509_STORE_CTX* ctx) {
  const int err = X509_STORE_CTX_get_error(ctx);
  const int depth = X509_STORE_CTX_get_error_depth(ctx);
  X509* current = X509_STORE_CTX_get_current_cert(ctx);
  return std::string(X509_verify_cert_error_string(err)) + " (OpenSSL error " + std::to_string(err) + ", depth " +
         std::to_string(depth) + (current != nullptr ? ", " + FormatName(X509_get_subject_name(current)) : "") + ")" +
         (err == X509_V_ERR_INVALID_PURPOSE ? ": not valid for TLS serverAuth" : "");
}

bool LeafHasServerAuth(const Certificate& leaf) {
  X509* cert = leaf.get();
  const std::uint32_t flags = X509_get_extension_flags(cert);
  return (flags & EXFLAG_XKUSAGE) != 0 && (X509_get_extended_key_usage(cert) & XKU_SSL_SERVER) != 0;
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

bool CheckVaultChain(const std::vector<Certificate>& x5c, const std::vector<TrustAnchor>& roots, const CheckTime& time,
                     Report& report) {
  if (x5c.empty() || roots.empty()) {
    report.Fail(kResponseChain, x5c.empty() ? "no x5c certificate" : "no trust anchor");
    return false;
  }
  X509StorePtr store(CheckNotNull(X509_STORE_new(), "X509_STORE_new"));
  for (const TrustAnchor& root : roots) {
    CheckOpenSsl(X509_STORE_add_cert(store.get(), root.certificate().get()) == 1, "X509_STORE_add_cert");
  }
  X509StackPtr untrusted(CheckNotNull(sk_X509_new_null(), "sk_X509_new_null"));
  for (std::size_t i = 1; i < x5c.size(); ++i) {
    CheckOpenSsl(X509_up_ref(x5c[i].get()) == 1, "X509_up_ref");
    if (sk_X509_push(untrusted.get(), x5c[i].get()) == 0) {
      X509_free(x5c[i].get());
      CheckOpenSsl(false, "sk_X509_push");
    }
  }
  X509StoreCtxPtr ctx(CheckNotNull(X509_STORE_CTX_new(), "X509_STORE_CTX_new"));
  CheckOpenSsl(X509_STORE_CTX_init(ctx.get(), store.get(), x5c[0].get(), untrusted.get()) == 1, "X509_STORE_CTX_init");
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
  X509_VERIFY_PARAM_set_time(param, time.at);
  CheckOpenSsl(X509_VERIFY_PARAM_set_purpose(param, X509_PURPOSE_SSL_SERVER) == 1, "X509_VERIFY_PARAM_set_purpose");
  const int rc = X509_verify_cert(ctx.get());
  const std::string failure = rc == 1 ? "" : VerifyFailure(ctx.get());
  ClearOpenSslErrors();
  if (rc != 1) {
    report.Fail(kResponseChain,
                "x5c does not chain to " + roots.front().name() + " at " + time.Rfc3339() + ": " + failure);
    return false;
  }
  if (!LeafHasServerAuth(x5c[0])) {
    report.Fail(kResponseChain, "x5c[0] has no extended key usage serverAuth: not a TLS server certificate");
    return false;
  }
  STACK_OF(X509)* built = X509_STORE_CTX_get0_chain(ctx.get());
  X509* top = sk_X509_value(built, sk_X509_num(built) - 1);
  report.Pass(kResponseChain, std::to_string(sk_X509_num(built)) + " certificates to " +
                                  FormatName(X509_get_subject_name(top)) + " at " + time.Rfc3339() +
                                  ", leaf has serverAuth");
  return true;
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

void CheckVaultHostname(const Certificate& leaf, const std::string& vault, Report& report) {
  const unsigned int flags = X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS | X509_CHECK_FLAG_NEVER_CHECK_SUBJECT;
  char* matched = nullptr;
  const int rc = X509_check_host(leaf.get(), vault.data(), vault.size(), flags, &matched);
  const std::string name = matched != nullptr ? matched : "";
  OPENSSL_free(matched);
  ClearOpenSslErrors();
  if (rc == 1) {
    report.Pass(kResponseHostname, "x5c[0] subjectAltName '" + name + "' covers " + vault);
  } else {
    report.Fail(kResponseHostname, "no DNS subjectAltName of x5c[0] covers " + vault);
  }
}

}  // namespace keyattest::skr
