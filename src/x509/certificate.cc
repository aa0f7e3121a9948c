#include "keyattest/certificate.h"

#include <openssl/err.h>
#include <openssl/objects.h>

#include <optional>
#include <string_view>

#include "keyattest/base64.h"

namespace keyattest {

namespace {

Bytes EncodeDer(X509* cert) { return ToDer(i2d_X509, cert, "i2d_X509"); }

Bytes EncodeSpki(X509* cert) {
  return ToDer(i2d_X509_PUBKEY, CheckNotNull(X509_get_X509_PUBKEY(cert), "X509_get_X509_PUBKEY"), "i2d_X509_PUBKEY");
}

std::string NameToString(const X509_NAME* name) {
  BioPtr bio(CheckNotNull(BIO_new(BIO_s_mem()), "BIO_new"));
  // RFC 2253 order with multi-valued RDNs shown with '+', UTF-8 kept.
  CheckOpenSsl(X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0,
               "X509_NAME_print_ex");
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(len));
}

std::string AsnTimeToRfc3339(const ASN1_TIME* t) {
  struct tm tm {};
  if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) {
    ClearOpenSslErrors();
    return "(invalid time)";
  }
  char buf[64];
  (void)std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                      tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string CommonName(X509* cert) {
  const X509_NAME* name = X509_get_subject_name(cert);
  int idx = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
  if (idx < 0) return "";
  const ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, idx));
  unsigned char* utf8 = nullptr;
  int len = ASN1_STRING_to_UTF8(&utf8, data);
  if (len < 0) {
    ClearOpenSslErrors();
    return "";
  }
  std::string out(reinterpret_cast<char*>(utf8), static_cast<std::size_t>(len));
  OPENSSL_free(utf8);
  return out;
}

std::string SerialHex(X509* cert) {
  BignumPtr bn(ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr));
  char* hex = bn ? BN_bn2hex(bn.get()) : nullptr;
  if (hex == nullptr) {
    ClearOpenSslErrors();
    return "(invalid serial)";
  }
  std::string out(hex);
  OPENSSL_free(hex);
  return out;
}

std::string KeyDescription(EVP_PKEY* key) {
  int id = EVP_PKEY_get_base_id(key);
  if (id == EVP_PKEY_RSA) return "RSA-" + std::to_string(EVP_PKEY_get_bits(key));
  if (id == EVP_PKEY_EC) return "EC-" + std::to_string(EVP_PKEY_get_bits(key));
  const char* sn = OBJ_nid2sn(id);
  return sn ? sn : "unknown";
}

}  // namespace

Certificate::Certificate(X509Ptr cert) {
  auto facts = std::make_shared<Facts>();
  Facts& f = *facts;
  f.cert = std::move(cert);
  X509* x = CheckNotNull(f.cert.get(), "certificate");
  CheckNotNull(X509_get0_pubkey(x), "X509_get0_pubkey");
  f.der = EncodeDer(x);
  f.spki_der = EncodeSpki(x);
  f.sha256 = Sha256(f.der);
  f.spki_sha256 = Sha256(f.spki_der);
  f.subject = NameToString(X509_get_subject_name(x));
  f.issuer = NameToString(X509_get_issuer_name(x));
  f.common_name = CommonName(x);
  f.serial_hex = SerialHex(x);
  f.not_before = AsnTimeToRfc3339(X509_get0_notBefore(x));
  f.not_after = AsnTimeToRfc3339(X509_get0_notAfter(x));
  f.key_description = KeyDescription(X509_get0_pubkey(x));
  const char* ln = OBJ_nid2ln(X509_get_signature_nid(x));
  f.signature_algorithm = ln ? ln : "unknown";
  facts_ = std::move(facts);
}

const RsaPublicKey* Certificate::rsa_public_key() const {
  const Facts& f = *facts_;
  std::call_once(f.rsa_once, [&f] { f.rsa = RsaPublicKey::FromEvp(X509_get0_pubkey(f.cert.get()), nullptr); });
  return f.rsa ? &*f.rsa : nullptr;
}

bool Certificate::IsSelfIssued() const {
  return X509_NAME_cmp(X509_get_subject_name(get()), X509_get_issuer_name(get())) == 0;
}

bool Certificate::NameChainsTo(const Certificate& issuer) const {
  return X509_NAME_cmp(X509_get_issuer_name(get()), X509_get_subject_name(issuer.get())) == 0;
}

std::vector<Bytes> SplitPemCertificates(ByteSpan pem) {
  constexpr std::string_view kBegin = "-----BEGIN ";
  constexpr std::string_view kEnd = "-----END ";
  constexpr std::string_view kDashes = "-----";
  std::string_view text(reinterpret_cast<const char*>(pem.data()), pem.size());
  std::vector<Bytes> blocks;
  std::size_t pos = 0;
  for (;;) {
    while (pos < text.size() && IsSpace(text[pos])) ++pos;
    if (pos == text.size()) break;
    if (text.substr(pos, kBegin.size()) != kBegin) {
      throw BundleError("certificate bundle: unexpected text at byte " + std::to_string(pos) +
                        " (only PEM blocks and whitespace are allowed)");
    }
    const std::size_t block = blocks.size() + 1;
    std::size_t label_start = pos + kBegin.size();
    std::size_t label_end = text.find(kDashes, label_start);
    if (label_end == std::string_view::npos) throw BundleError("certificate bundle: unterminated BEGIN line");
    std::string_view label = text.substr(label_start, label_end - label_start);
    if (label != "CERTIFICATE") {
      throw BundleError("certificate bundle: block " + std::to_string(block) + " is '" +
                        std::string(label.substr(0, 40)) + "', only CERTIFICATE blocks are allowed");
    }
    std::size_t body_start = label_end + kDashes.size();
    std::string end_line = std::string(kEnd) + std::string(label) + std::string(kDashes);
    std::size_t body_end = text.find(end_line, body_start);
    if (body_end == std::string_view::npos) {
      throw BundleError("certificate bundle: block " + std::to_string(block) + " has no END line");
    }
    if (blocks.size() >= kMaxBundleCertificates) {
      throw BundleError("certificate bundle: more than " + std::to_string(kMaxBundleCertificates) + " certificates");
    }
    std::string body;
    for (char c : text.substr(body_start, body_end - body_start)) {
      if (!IsSpace(c)) body += c;
    }
    std::string why;
    auto der = DecodeBase64Any(body, &why);
    if (!der) {
      throw BundleError("certificate bundle: block " + std::to_string(block) + " is not base64: " + why);
    }
    blocks.push_back(std::move(*der));
    pos = body_end + end_line.size();
  }
  if (blocks.empty()) throw BundleError("certificate bundle: no certificates");
  return blocks;
}

PemBundle ParsePemBundle(ByteSpan pem, CertificateCache* cache) {
  if (cache != nullptr) {
    if (std::shared_ptr<const PemBundle> seen = cache->FindBundle(pem)) return *seen;
  }
  std::vector<Bytes> blocks = SplitPemCertificates(pem);
  PemBundle bundle;
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    const Bytes& der = blocks[i];
    const std::string block = std::to_string(i + 1);
    std::shared_ptr<const Certificate> cached = cache ? cache->Parse(der) : nullptr;
    std::optional<Certificate> fresh;
    if (!cached) {
      const unsigned char* p = der.data();
      X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
      ClearOpenSslErrors();
      if (!cert) throw BundleError("certificate bundle: block " + block + " is not a DER X.509 certificate");
      if (p != der.data() + der.size()) {
        throw BundleError("certificate bundle: block " + block + " has bytes after the certificate");
      }
      try {
        fresh.emplace(std::move(cert));
      } catch (const CryptoError&) {
        throw BundleError("certificate bundle: block " + block + " has a public key that cannot be decoded");
      }
    }
    const Certificate& parsed = cached ? *cached : *fresh;
    bool duplicate = false;
    for (const auto& c : bundle.certificates) duplicate = duplicate || c.der() == parsed.der();
    if (duplicate) {
      ++bundle.duplicates_removed;
    } else {
      bundle.certificates.push_back(parsed);
    }
  }
  if (cache != nullptr) cache->StoreBundle(pem, bundle);
  return bundle;
}

std::shared_ptr<const Certificate> CertificateCache::Parse(ByteSpan der) {
  std::string key(reinterpret_cast<const char*>(der.data()), der.size());
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (auto it = entries_.find(key); it != entries_.end()) return it->second;
  }
  const unsigned char* p = der.data();
  X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  ClearOpenSslErrors();
  // Only exact, complete certificates are cached; the caller reports errors.
  if (!cert || p != der.data() + der.size()) return nullptr;
  auto parsed = std::make_shared<const Certificate>(std::move(cert));
  std::lock_guard<std::mutex> lock(mutex_);
  if (entries_.size() >= capacity_) entries_.clear();  // bounded; rebuilt on demand
  entries_.emplace(std::move(key), parsed);
  return parsed;
}

std::shared_ptr<const PemBundle> CertificateCache::FindBundle(ByteSpan pem) {
  const std::string key(reinterpret_cast<const char*>(pem.data()), pem.size());
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = bundles_.find(key);
  return it == bundles_.end() ? nullptr : it->second;
}

void CertificateCache::StoreBundle(ByteSpan pem, const PemBundle& bundle) {
  std::string key(reinterpret_cast<const char*>(pem.data()), pem.size());
  auto stored = std::make_shared<const PemBundle>(bundle);
  std::lock_guard<std::mutex> lock(mutex_);
  // Bounded like the certificates: a bundle is a few KiB of PEM.
  if (bundles_.size() >= capacity_ / 16) bundles_.clear();
  bundles_.emplace(std::move(key), std::move(stored));
}

std::string FormatName(const X509_NAME* name) { return NameToString(name); }

Certificate ParseSinglePemCertificate(ByteSpan pem) {
  PemBundle bundle = ParsePemBundle(pem);
  if (bundle.certificates.size() != 1 || bundle.duplicates_removed != 0) {
    throw BundleError("expected exactly one certificate, found " +
                      std::to_string(bundle.certificates.size() + bundle.duplicates_removed));
  }
  return std::move(bundle.certificates.front());
}

std::string FormatRfc3339(std::time_t t) {
  struct tm tm {};
  gmtime_r(&t, &tm);
  char buf[32];
  (void)std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace keyattest
