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
#include "src/x509/tbs_reencoding.h"

#include <openssl/asn1t.h>
#include <openssl/x509.h>

#include <algorithm>

#include "keyattest/crypto/openssl_ptr.h"

namespace keyattest::x509_internal {

namespace {

/// SubjectPublicKeyInfo as plain fields (RFC 5280 §4.1.2.7).
struct FreshSpki {
  X509_ALGOR* algorithm;
  ASN1_BIT_STRING* public_key;
};

/// tbsCertificate as plain fields, in RFC 5280 §4.1 order.
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
  STACK_OF(X509_EXTENSION) * extensions;
};

// clang-format off
// NOLINTBEGIN: OpenSSL's template macros (asn1t.h).
ASN1_SEQUENCE(FreshSpki) = {
    ASN1_SIMPLE(FreshSpki, algorithm, X509_ALGOR),
    ASN1_SIMPLE(FreshSpki, public_key, ASN1_BIT_STRING),
} static_ASN1_SEQUENCE_END(FreshSpki)

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
    ASN1_EXP_SEQUENCE_OF_OPT(FreshTbs, extensions, X509_EXTENSION, 3),
} static_ASN1_SEQUENCE_END(FreshTbs)
// NOLINTEND
// clang-format on

}  // namespace

bool TbsReEncodesToItself(ByteSpan tbs) {
  const ASN1_ITEM* item = ASN1_ITEM_rptr(FreshTbs);
  const unsigned char* p = tbs.data();
  ASN1_VALUE* decoded = ASN1_item_d2i(nullptr, &p, static_cast<long>(tbs.size()), item);
  bool same = false;
  if (decoded != nullptr && p == tbs.data() + tbs.size()) {
    unsigned char* fresh = nullptr;
    const int length = ASN1_item_i2d(decoded, &fresh, item);
    same = length > 0 && static_cast<std::size_t>(length) == tbs.size() && std::equal(tbs.begin(), tbs.end(), fresh);
    OPENSSL_free(fresh);
  }
  ASN1_item_free(decoded, item);
  ClearOpenSslErrors();
  return same;
}

}  // namespace keyattest::x509_internal
