// The fresh re-encoding of a tbsCertificate (canonical DER, docs/checks.md
// `certificates.bundle`). OpenSSL keeps the received tbsCertificate bytes and emits them again
// (the signature is checked over them), so re-encoding it freshly once meant
// duplicating the whole certificate: a second full decode, including the
// public key through the provider decoders. Here the tbsCertificate alone is
// decoded with a template that repeats OpenSSL's own (x_x509.c X509_CINF,
// x_pubkey.c X509_PUBKEY_INTERNAL) field for field, built from the same
// public item types (INTEGER, AlgorithmIdentifier, Name, Validity, BIT
// STRING, Extension), but keeps no received encoding and does not decode the
// key: every field is written again from its decoded value.
//
// The template keeps the two DEFAULT fields of the tbsCertificate as they
// were received (absent, or the value encoded), exactly as OpenSSL does,
// so that an explicitly encoded default, which OpenSSL re-emits unchanged,
// can be named (X.690 §11.5; docs/checks.md `certificates.bundle`).
#include "src/x509/tbs_reencoding.h"

#include <openssl/asn1t.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

#include <algorithm>
#include <array>
#include <memory>

#include "keyattest/crypto/openssl_ptr.h"
#include "src/x509/extension_defaults.h"

namespace keyattest::x509_internal {

namespace {

/// SubjectPublicKeyInfo as plain fields (RFC 5280 §4.1.2.7).
struct FreshSpki {
  X509_ALGOR* algorithm;
  ASN1_BIT_STRING* public_key;
};

/// Extension (RFC 5280 §4.1), as OpenSSL's x_exten.c X509_EXTENSION:
/// `critical` is -1 when absent, otherwise the BOOLEAN's content octet
/// (00 or FF, the TLV walk has checked it).
struct FreshExtension {
  ASN1_OBJECT* object;
  ASN1_BOOLEAN critical;
  ASN1_OCTET_STRING* value;
};

/// tbsCertificate as plain fields, in RFC 5280 §4.1 order. `version` is
/// null when absent (the DEFAULT v1).
struct FreshTbs {
  ASN1_INTEGER* version;
  ASN1_INTEGER* serial_number;
  X509_ALGOR* signature;
  X509_NAME* issuer;
  X509_VAL* validity;
  X509_NAME* subject;
  FreshSpki* subject_public_key_info;
  ASN1_BIT_STRING* issuer_unique_id;
  ASN1_BIT_STRING* subject_unique_id;
  OPENSSL_STACK* extensions;  // of FreshExtension; null when absent
};

// clang-format off
// NOLINTBEGIN: OpenSSL's template macros (asn1t.h).
ASN1_SEQUENCE(FreshSpki) = {
    ASN1_SIMPLE(FreshSpki, algorithm, X509_ALGOR),
    ASN1_SIMPLE(FreshSpki, public_key, ASN1_BIT_STRING),
} static_ASN1_SEQUENCE_END(FreshSpki)

ASN1_SEQUENCE(FreshExtension) = {
    ASN1_SIMPLE(FreshExtension, object, ASN1_OBJECT),
    ASN1_OPT(FreshExtension, critical, ASN1_BOOLEAN),
    ASN1_SIMPLE(FreshExtension, value, ASN1_OCTET_STRING),
} static_ASN1_SEQUENCE_END(FreshExtension)

ASN1_SEQUENCE(FreshTbs) = {
    ASN1_EXP_OPT(FreshTbs, version, ASN1_INTEGER, 0),
    ASN1_SIMPLE(FreshTbs, serial_number, ASN1_INTEGER),
    ASN1_SIMPLE(FreshTbs, signature, X509_ALGOR),
    ASN1_SIMPLE(FreshTbs, issuer, X509_NAME),
    ASN1_SIMPLE(FreshTbs, validity, X509_VAL),
    ASN1_SIMPLE(FreshTbs, subject, X509_NAME),
    ASN1_SIMPLE(FreshTbs, subject_public_key_info, FreshSpki),
    ASN1_IMP_OPT(FreshTbs, issuer_unique_id, ASN1_BIT_STRING, 1),
    ASN1_IMP_OPT(FreshTbs, subject_unique_id, ASN1_BIT_STRING, 2),
    ASN1_EXP_SEQUENCE_OF_OPT(FreshTbs, extensions, FreshExtension, 3),
} static_ASN1_SEQUENCE_END(FreshTbs)
// NOLINTEND
    // clang-format on

    struct FreshTbsFree {
  void operator()(FreshTbs* tbs) const noexcept {
    ASN1_item_free(reinterpret_cast<ASN1_VALUE*>(tbs), ASN1_ITEM_rptr(FreshTbs));
  }
};
using FreshTbsPtr = std::unique_ptr<FreshTbs, FreshTbsFree>;

constexpr const char* kDerOmitsDefaults = "DER forbids encoding a DEFAULT value (X.690 11.5)";

/// "basicConstraints, 2.5.29.19", or the dotted OID alone when OpenSSL has
/// no name for it.
std::string ExtensionName(const ASN1_OBJECT* object) {
  std::array<char, 128> dotted{};
  const int n = OBJ_obj2txt(dotted.data(), static_cast<int>(dotted.size()), object, 1);
  const std::string oid = n > 0 && static_cast<std::size_t>(n) < dotted.size()
                              ? std::string(dotted.data(), static_cast<std::size_t>(n))
                              : std::string("an OID too long to show");
  const int nid = OBJ_obj2nid(object);
  const char* short_name = nid == NID_undef ? nullptr : OBJ_nid2sn(nid);
  return short_name == nullptr ? oid : std::string(short_name) + ", " + oid;
}

/// The decoded tbsCertificate when `tbs` is exactly one and re-encodes to
/// itself; null otherwise.
FreshTbsPtr DecodeReEncodingToItself(ByteSpan tbs) {
  const ASN1_ITEM* item = ASN1_ITEM_rptr(FreshTbs);
  const unsigned char* p = tbs.data();
  FreshTbsPtr decoded(reinterpret_cast<FreshTbs*>(ASN1_item_d2i(nullptr, &p, static_cast<long>(tbs.size()), item)));
  if (!decoded || p != tbs.data() + tbs.size()) return nullptr;
  unsigned char* fresh = nullptr;
  const int length = ASN1_item_i2d(reinterpret_cast<ASN1_VALUE*>(decoded.get()), &fresh, item);
  const bool same =
      length > 0 && static_cast<std::size_t>(length) == tbs.size() && std::equal(tbs.begin(), tbs.end(), fresh);
  OPENSSL_free(fresh);
  return same ? std::move(decoded) : nullptr;
}

/// "<what>; DER forbids ... (X.690 11.5), so <omission>".
std::string WrittenOut(const std::string& what, const char* omission) {
  return what + "; " + kDerOmitsDefaults + ", so " + omission;
}

/// Why extension number `position` (from 1) encodes a DEFAULT value, or "".
std::string ExplicitDefaultIn(const FreshExtension& extension, int position) {
  const bool critical_false = extension.critical == 0;
  const std::string in_value =
      critical_false ? "" : ExplicitDefaultInExtensionValue(OBJ_obj2nid(extension.object), *extension.value);
  if (!critical_false && in_value.empty()) return "";
  const std::string name = "extension " + std::to_string(position) + " (" + ExtensionName(extension.object) + ")";
  if (critical_false) {
    return WrittenOut(name + " encodes critical FALSE explicitly", "a non-critical extension omits the field");
  }
  return WrittenOut(name + " encodes " + in_value + " explicitly in its value", "the value omits it");
}

/// Why a DEFAULT value is encoded in `tbs`, or "".
std::string ExplicitDefault(const FreshTbs& tbs) {
  if (tbs.version != nullptr && ASN1_INTEGER_get(tbs.version) == 0) {
    return WrittenOut("version v1(0) is encoded explicitly", "a v1 certificate omits the field");
  }
  const int count = tbs.extensions == nullptr ? 0 : OPENSSL_sk_num(tbs.extensions);
  for (int i = 0; i < count; ++i) {
    const auto* extension = static_cast<const FreshExtension*>(OPENSSL_sk_value(tbs.extensions, i));
    if (std::string why = ExplicitDefaultIn(*extension, i + 1); !why.empty()) return why;
  }
  return "";
}

}  // namespace

std::string TbsEncodingProblem(ByteSpan tbs) {
  const FreshTbsPtr decoded = DecodeReEncodingToItself(tbs);
  ClearOpenSslErrors();
  if (!decoded) return "its signed tbsCertificate re-encodes differently";
  return ExplicitDefault(*decoded);
}

}  // namespace keyattest::x509_internal
