#include "keyattest/x509/certificate.h"

#include <openssl/err.h>
#include <openssl/objects.h>

#include <algorithm>
#include <optional>
#include <string_view>

#include "keyattest/core/byte_reader.h"
#include "keyattest/core/terminal_text.h"
#include "keyattest/io/base64.h"
#include "src/x509/tbs_reencoding.h"

namespace keyattest {

namespace {

/// The first element inside the outer SEQUENCE: the tbsCertificate, as
/// supplied (`der` is one DER certificate: its outer SEQUENCE and its first
/// element's header are read, the rest is not).
ByteSpan FirstInnerElement(ByteSpan der) {
  ByteReader outer(der);
  outer.Skip(1, "Certificate.tag");
  (void)outer.DerLengthOctets(4, "Certificate.length");
  ByteReader inner(der.subspan(outer.position()), outer.position());
  inner.Skip(1, "tbsCertificate.tag");
  const DerLength length = inner.DerLengthOctets(4, "tbsCertificate.length");
  if (length.fault != DerLengthFault::kNone) {
    throw ParseError(length.initial_at, "tbsCertificate.length", "not a DER length");
  }
  return der.subspan(outer.position(), inner.position() + length.value);
}

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
  // OpenSSL signs and verifies the tbsCertificate as it was received, and
  // i2d_X509 re-emits exactly those bytes, so this is the signed message.
  f.tbs_der = FirstInnerElement(f.der);
  f.extension_flags = X509_get_extension_flags(x);
  f.key_usage = X509_get_key_usage(x);
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

namespace {

constexpr std::string_view kBeginLine = "-----BEGIN ";
constexpr std::string_view kEndLine = "-----END ";
constexpr std::string_view kDashes = "-----";

bool IsLineSpace(char c) { return c == ' ' || c == '\t'; }

std::string_view TrimLineSpace(std::string_view line) {
  while (!line.empty() && IsLineSpace(line.back())) line.remove_suffix(1);
  return line;
}

std::string HexByte(unsigned char c) {
  static constexpr char kHex[] = "0123456789abcdef";
  return std::string("0x") + kHex[c >> 4] + kHex[c & 15];
}

/// Explanatory text around PEM blocks (RFC 7468 §5.2): printable ASCII and
/// tabs only, so no control byte (NUL, ESC, a lone CR) hides in a bundle.
void CheckExplanatoryText(std::string_view line, std::size_t offset) {
  for (std::size_t i = 0; i < line.size(); ++i) {
    const auto c = static_cast<unsigned char>(line[i]);
    if (c == '\t' || (c >= 0x20 && c < 0x7f)) continue;
    throw BundleError("certificate bundle: byte " + std::to_string(offset + i) + " (" + HexByte(c) +
                      ") outside the PEM blocks is not printable text");
  }
}

/// The DER of one block from its body lines: strict standard base64 with
/// '=' padding (RFC 7468 §3), no headers.
Bytes DecodePemBody(const std::string& body, bool header_seen, std::size_t block) {
  const std::string name = "certificate bundle: block " + std::to_string(block);
  if (header_seen) throw BundleError(name + " has a header line; PEM headers are not allowed in certificates");
  if (body.find_first_of("-_") != std::string::npos) {
    throw BundleError(name + " uses the base64url alphabet ('-' or '_'); PEM requires standard base64");
  }
  std::string why;
  auto der = DecodeBase64Any(body, &why);
  if (!der) throw BundleError(name + " is not base64: " + why);
  if (body.size() % 4 != 0) throw BundleError(name + " lacks base64 '=' padding");
  return std::move(*der);
}

}  // namespace

std::vector<Bytes> SplitPemCertificates(ByteSpan pem) {
  std::string_view text(reinterpret_cast<const char*>(pem.data()), pem.size());
  std::vector<Bytes> blocks;
  bool in_block = false;
  bool header_seen = false;
  std::string body;
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);  // CRLF
    const std::size_t offset = pos;
    pos = end + 1;
    const std::size_t block = blocks.size() + 1;
    if (!in_block) {
      if (line.substr(0, kBeginLine.size()) != kBeginLine) {
        if (line.substr(0, kEndLine.size()) == kEndLine) {
          throw BundleError("certificate bundle: END line at byte " + std::to_string(offset) + " without a BEGIN line");
        }
        CheckExplanatoryText(line, offset);
        continue;
      }
      // Trailing space is tolerated, so "-----BEGIN " trims to less than the
      // prefix it was recognised by: bound the label before slicing it.
      const std::string_view trimmed = TrimLineSpace(line);
      std::string_view label =
          trimmed.size() > kBeginLine.size() ? trimmed.substr(kBeginLine.size()) : std::string_view();
      if (label.size() < kDashes.size() || label.substr(label.size() - kDashes.size()) != kDashes) {
        throw BundleError("certificate bundle: unterminated BEGIN line");
      }
      label.remove_suffix(kDashes.size());
      if (label != "CERTIFICATE") {
        throw BundleError("certificate bundle: block " + std::to_string(block) + " is '" +
                          EscapeForTerminal(label.substr(0, 40)) + "', only CERTIFICATE blocks are allowed");
      }
      if (blocks.size() >= kMaxBundleCertificates) {
        throw BundleError("certificate bundle: more than " + std::to_string(kMaxBundleCertificates) + " certificates");
      }
      in_block = true;
      header_seen = false;
      body.clear();
      continue;
    }
    if (line.substr(0, kDashes.size()) == kDashes) {
      if (TrimLineSpace(line) != "-----END CERTIFICATE-----") {
        throw BundleError("certificate bundle: block " + std::to_string(block) + " has no END line");
      }
      blocks.push_back(DecodePemBody(body, header_seen, block));
      in_block = false;
      continue;
    }
    // A ':' marks an RFC 1421 header ("Proc-Type: ..."); anything else that
    // is not base64 is reported by the decoder, with its position.
    for (char c : line) {
      if (c == ':') {
        header_seen = true;
      } else if (!IsLineSpace(c)) {
        body += c;
      }
    }
  }
  if (in_block)
    throw BundleError("certificate bundle: block " + std::to_string(blocks.size() + 1) + " has no END line");
  if (blocks.empty()) throw BundleError("certificate bundle: no certificates");
  return blocks;
}

namespace {

/// Why `data` (at `base` in the certificate) is not DER at the TLV level, or
/// "": every length definite and in its shortest form, only SEQUENCE, SET
/// and context-specific tags constructed, BOOLEAN 00 or FF, and the
/// contents of each constructed value exactly its elements.
std::string DerStructureProblem(ByteSpan data, std::size_t base, int depth) {
  if (depth > 32) return "nested more than 32 levels at byte " + std::to_string(base);
  std::size_t pos = 0;
  while (pos < data.size()) {
    const std::size_t at = base + pos;
    const std::uint8_t tag = data[pos++];
    if ((tag & 0x1f) == 0x1f) return "high-tag-number form at byte " + std::to_string(at);
    if (pos >= data.size()) return "truncated value at byte " + std::to_string(at);
    ByteReader r(data.subspan(pos), base + pos);
    DerLength header;
    try {
      header = r.DerLengthOctets(4, "length");
    } catch (const ParseError&) {
      return "bad length at byte " + std::to_string(at);
    }
    switch (header.fault) {
      case DerLengthFault::kNone:
        break;
      case DerLengthFault::kIndefinite:
        return "indefinite length at byte " + std::to_string(at);
      case DerLengthFault::kTooManyOctets:
        return "bad length at byte " + std::to_string(at);
      case DerLengthFault::kNonMinimal:
        return "non-minimal length at byte " + std::to_string(at);
    }
    pos += r.position();
    const std::size_t length = header.value;
    if (length > data.size() - pos) return "length beyond its container at byte " + std::to_string(at);
    const ByteSpan contents = data.subspan(pos, length);
    if ((tag & 0x20) != 0) {
      if ((tag & 0xc0) == 0 && tag != 0x30 && tag != 0x31) {
        return "constructed encoding of a primitive type at byte " + std::to_string(at);
      }
      if (std::string why = DerStructureProblem(contents, base + pos, depth + 1); !why.empty()) return why;
    } else if (tag == 0x01 && (length != 1 || (contents[0] != 0x00 && contents[0] != 0xff))) {
      return "BOOLEAN not encoded as 00 or FF at byte " + std::to_string(at);
    }
    pos += length;
  }
  return "";
}

/// A block of a bundle (DecodeCanonicalDerCertificate), named by its number.
X509Ptr DecodeCanonicalCertificate(ByteSpan der, const std::string& block) {
  return DecodeCanonicalDerCertificate(der, "certificate bundle: block " + block);
}

}  // namespace

/// Exactly one certificate in canonical DER, as supplied: the TLV structure
/// is DER, and OpenSSL re-encodes both the whole certificate and, freshly,
/// its tbsCertificate to the very bytes given (OpenSSL keeps and re-emits
/// the received tbsCertificate bytes, so the signed part is decoded and
/// re-encoded on its own, tbs_reencoding.h), which encodes no DEFAULT value
/// (an explicit v1 version, critical FALSE or basicConstraints cA FALSE,
/// which OpenSSL would write again unchanged). The certificate is then
/// fingerprinted by these bytes.
X509Ptr DecodeCanonicalDerCertificate(ByteSpan der, const std::string& what) {
  const unsigned char* p = der.data();
  X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  ClearOpenSslErrors();
  if (!cert) throw BundleError(what + " is not a DER X.509 certificate");
  if (p != der.data() + der.size()) throw BundleError(what + " has bytes after the certificate");
  if (std::string why = DerStructureProblem(der, 0, 0); !why.empty()) {
    throw BundleError(what + " is not canonical DER: " + why);
  }
  if (ToDer(i2d_X509, cert.get(), "i2d_X509") != Bytes(der.begin(), der.end())) {
    throw BundleError(what + " is not canonical DER: it does not re-encode to the bytes given");
  }
  if (std::string why = x509_internal::TbsEncodingProblem(FirstInnerElement(der)); !why.empty()) {
    throw BundleError(what + " is not canonical DER: " + why);
  }
  return cert;
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
      X509Ptr cert = DecodeCanonicalCertificate(der, block);
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
  const std::string_view key(reinterpret_cast<const char*>(der.data()), der.size());
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (auto it = entries_.find(key); it != entries_.end()) return it->second;
  }
  // Only canonical, complete certificates are cached; the caller reports
  // errors (by decoding again, with the block's number).
  std::shared_ptr<const Certificate> parsed;
  try {
    parsed = std::make_shared<const Certificate>(DecodeCanonicalCertificate(der, "?"));
  } catch (const std::exception&) {
    return nullptr;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  if (entries_.size() >= capacity_) entries_.clear();  // bounded; rebuilt on demand
  entries_.emplace(std::string(key), parsed);
  return parsed;
}

std::shared_ptr<const PemBundle> CertificateCache::FindBundle(ByteSpan pem) {
  const std::string_view key(reinterpret_cast<const char*>(pem.data()), pem.size());
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

}  // namespace keyattest
