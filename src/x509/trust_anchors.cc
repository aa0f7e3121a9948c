#include "keyattest/x509/trust_anchors.h"

#include <mutex>
#include <optional>

#include "embedded_roots.inc"  // generated from certs/ by CMake
#include "keyattest/core/byte_reader.h"

namespace keyattest {

namespace {

/// One DER element: its tag, its whole encoding and its content.
struct DerElement {
  std::uint8_t tag = 0;
  ByteSpan whole;
  ByteSpan content;
};

/// Reads one DER element at `r` over `data`: a one-byte tag and a definite,
/// minimal length of at most three length bytes (X.690 §8.1.3, §10.1),
/// plenty for a certificate.
DerElement ReadDerElement(ByteReader& r, ByteSpan data, const char* field) {
  const std::size_t start = r.position();
  DerElement e;
  e.tag = r.U8(field);
  const DerLength length = r.DerLengthOctets(3, field);
  if (length.fault == DerLengthFault::kIndefinite || length.fault == DerLengthFault::kTooManyOctets) {
    throw ParseError(length.initial_at, field, "unsupported DER length form");
  }
  if (length.fault == DerLengthFault::kNonMinimal) {
    throw ParseError(length.initial_at + 1, field, "DER length not in its shortest form");
  }
  e.content = r.Take(length.value, field);
  e.whole = data.subspan(start, r.position() - start);
  return e;
}

DerElement ExpectDerElement(ByteReader& r, ByteSpan data, std::uint8_t tag, const char* field) {
  const std::size_t at = r.absolute_position();
  DerElement e = ReadDerElement(r, data, field);
  if (e.tag != tag) throw ParseError(at, field, "unexpected DER tag");
  return e;
}

constexpr std::uint8_t kSequence = 0x30;
constexpr std::uint8_t kInteger = 0x02;
constexpr std::uint8_t kExplicitVersion = 0xa0;

/// The subject Name of a DER certificate (RFC 5280 §4.1), found by walking
/// the outer structure: Certificate, tbsCertificate, [0] version, serial,
/// signature, issuer, validity, subject. Nothing else is decoded.
ByteSpan OutlineSubject(ByteSpan der) {
  ByteReader outer(der);
  const DerElement cert = ExpectDerElement(outer, der, kSequence, "Certificate");
  if (!outer.empty()) throw ParseError(outer.absolute_position(), "Certificate", "bytes after the certificate");
  const std::size_t cert_offset = cert.whole.size() - cert.content.size();
  ByteReader in_cert(cert.content, cert_offset);
  const DerElement tbs = ExpectDerElement(in_cert, cert.content, kSequence, "tbsCertificate");
  ByteReader r(tbs.content, cert_offset + tbs.whole.size() - tbs.content.size());
  std::size_t serial_at = r.absolute_position();
  DerElement first = ReadDerElement(r, tbs.content, "version");
  if (first.tag == kExplicitVersion) {
    serial_at = r.absolute_position();
    first = ReadDerElement(r, tbs.content, "serialNumber");
  }
  if (first.tag != kInteger) throw ParseError(serial_at, "serialNumber", "unexpected DER tag");
  (void)ExpectDerElement(r, tbs.content, kSequence, "signature");
  (void)ExpectDerElement(r, tbs.content, kSequence, "issuer");
  (void)ExpectDerElement(r, tbs.content, kSequence, "validity");
  return ExpectDerElement(r, tbs.content, kSequence, "subject").whole;
}

X509NamePtr DecodeName(ByteSpan der) {
  const unsigned char* p = der.data();
  X509NamePtr name(d2i_X509_NAME(nullptr, &p, static_cast<long>(der.size())));
  ClearOpenSslErrors();
  if (!name || p != der.data() + der.size()) throw CryptoError("subject is not a DER Name");
  return name;
}

}  // namespace

struct TrustAnchor::State {
  std::string name;
  Bytes der;
  Bytes sha256;
  Bytes spki_sha256;
  /// Deferred anchors only: the subject read from the outline.
  X509NamePtr outline_subject;
  std::once_flag decode_once;
  std::optional<Certificate> certificate;  // written once, under decode_once
  std::string error;                       // why decoding failed
};

TrustAnchor::TrustAnchor(Certificate certificate) : state_(std::make_shared<State>()) {
  state_->name = certificate.subject();
  state_->der = certificate.der();
  state_->sha256 = certificate.sha256();
  state_->spki_sha256 = certificate.spki_sha256();
  state_->certificate = std::move(certificate);
}

TrustAnchor::TrustAnchor(std::string name, Bytes der, Bytes spki_sha256_pin) : state_(std::make_shared<State>()) {
  try {
    state_->outline_subject = DecodeName(OutlineSubject(der));
  } catch (const std::exception& e) {
    throw CryptoError("trust anchor '" + name + "' is not a DER certificate: " + e.what());
  }
  if (spki_sha256_pin.size() != 32) throw CryptoError("trust anchor '" + name + "': an SPKI pin is 32 bytes");
  state_->name = std::move(name);
  state_->sha256 = Sha256(der);
  state_->der = std::move(der);
  state_->spki_sha256 = std::move(spki_sha256_pin);
}

const std::string& TrustAnchor::name() const { return state_->name; }

const X509_NAME* TrustAnchor::subject() const {
  // A deferred anchor answers from its outline, never from the certificate
  // another thread may be decoding.
  return state_->outline_subject ? state_->outline_subject.get() : X509_get_subject_name(state_->certificate->get());
}

const Bytes& TrustAnchor::sha256() const { return state_->sha256; }

const Bytes& TrustAnchor::spki_sha256() const { return state_->spki_sha256; }

bool TrustAnchor::Issued(const Certificate& cert) const {
  return X509_NAME_cmp(X509_get_issuer_name(cert.get()), subject()) == 0;
}

const Certificate& TrustAnchor::certificate() const {
  State& s = *state_;
  std::call_once(s.decode_once, [&s] {
    if (s.certificate) return;  // decoded at construction
    try {
      const unsigned char* p = s.der.data();
      X509Ptr x509(d2i_X509(nullptr, &p, static_cast<long>(s.der.size())));
      ClearOpenSslErrors();
      if (!x509 || p != s.der.data() + s.der.size()) throw CryptoError("not a DER X.509 certificate");
      Certificate decoded(std::move(x509));
      if (decoded.der() != s.der) throw CryptoError("DER is not canonical");
      if (X509_NAME_cmp(X509_get_subject_name(decoded.get()), s.outline_subject.get()) != 0) {
        throw CryptoError("subject differs from its outline");
      }
      if (decoded.spki_sha256() != s.spki_sha256) throw CryptoError("does not match its SPKI pin");
      s.certificate = std::move(decoded);
    } catch (const std::exception& e) {
      s.error = e.what();
    }
  });
  if (!s.certificate) throw CryptoError("trust anchor '" + s.name + "' is unusable: " + s.error);
  return *s.certificate;
}

std::span<const PinnedRoot> BuiltinPins() { return kEmbeddedAnchors; }

std::vector<PinnedRoot> BuiltinPins(std::string_view purpose) {
  std::vector<PinnedRoot> pins;
  for (const PinnedRoot& pin : kEmbeddedAnchors) {
    if (pin.purpose == purpose) pins.push_back(pin);
  }
  return pins;
}

namespace {

std::vector<TrustAnchor> DeferPinned(const std::vector<PinnedRoot>& pins) {
  std::vector<TrustAnchor> anchors;
  anchors.reserve(pins.size());
  for (const PinnedRoot& pin : pins) {
    std::vector<Bytes> blocks = SplitPemCertificates(AsBytes(pin.pem));
    std::optional<Bytes> spki_pin = HexDecode(pin.spki_sha256_hex);
    if (blocks.size() != 1 || !spki_pin) {
      throw CryptoError("embedded root '" + std::string(pin.name) + "' is not one PEM certificate with a hex pin");
    }
    anchors.emplace_back(std::string(pin.name), std::move(blocks.front()), std::move(*spki_pin));
  }
  return anchors;
}

}  // namespace

std::vector<TrustAnchor> BuiltinAnchors(std::string_view purpose) { return DeferPinned(BuiltinPins(purpose)); }

const std::vector<PinnedRoot>& BuiltinMarvellRootPins() {
  static const std::vector<PinnedRoot> kPins = BuiltinPins("marvell-manufacturer");
  return kPins;
}

std::vector<TrustAnchor> BuiltinMarvellRoots() { return DeferPinned(BuiltinMarvellRootPins()); }

const std::vector<PinnedRoot>& BuiltinGoogleRootPins() {
  static const std::vector<PinnedRoot> kPins = BuiltinPins("google-cloud-hsm-owner");
  return kPins;
}

std::vector<TrustAnchor> BuiltinGoogleRoots() { return DeferPinned(BuiltinGoogleRootPins()); }

}  // namespace keyattest
