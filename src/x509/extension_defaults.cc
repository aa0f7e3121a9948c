// DEFAULT values inside extension values (extension_defaults.h).
#include "src/x509/extension_defaults.h"

#include <openssl/asn1t.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>

#include <memory>

#include "keyattest/crypto/openssl_ptr.h"

namespace keyattest::x509_internal {

namespace {

/// BasicConstraints (RFC 5280 §4.2.1.9) with `ca` -1 when absent, unlike
/// OpenSSL's BASIC_CONSTRAINTS, which reads an explicit FALSE as absent.
struct FreshBasicConstraints {
  ASN1_BOOLEAN ca;
  ASN1_INTEGER* path_length;
};

// clang-format off
// NOLINTBEGIN: OpenSSL's template macros (asn1t.h).
ASN1_SEQUENCE(FreshBasicConstraints) = {
    ASN1_OPT(FreshBasicConstraints, ca, ASN1_BOOLEAN),
    ASN1_OPT(FreshBasicConstraints, path_length, ASN1_INTEGER),
} static_ASN1_SEQUENCE_END(FreshBasicConstraints)
// NOLINTEND
    // clang-format on

    /// `value` decoded as `item`, freed by the caller's deleter; null when it
    /// is not exactly one such value.
    template <class T>
    std::unique_ptr<T, void (*)(T*)> Decode(const ASN1_OCTET_STRING& value, const ASN1_ITEM* item, void (*free)(T*)) {
  const unsigned char* p = ASN1_STRING_get0_data(&value);
  const long length = ASN1_STRING_length(&value);
  std::unique_ptr<T, void (*)(T*)> decoded(reinterpret_cast<T*>(ASN1_item_d2i(nullptr, &p, length, item)), free);
  if (decoded && p != ASN1_STRING_get0_data(&value) + length) decoded.reset();
  ClearOpenSslErrors();
  return decoded;
}

void FreeBasicConstraints(FreshBasicConstraints* bc) {
  ASN1_item_free(reinterpret_cast<ASN1_VALUE*>(bc), ASN1_ITEM_rptr(FreshBasicConstraints));
}

bool HasExplicitZeroMinimum(const STACK_OF(GENERAL_SUBTREE) * subtrees) {
  for (int i = 0; i < sk_GENERAL_SUBTREE_num(subtrees); ++i) {
    const GENERAL_SUBTREE* subtree = sk_GENERAL_SUBTREE_value(subtrees, i);
    if (subtree->minimum != nullptr && ASN1_INTEGER_get(subtree->minimum) == 0) return true;
  }
  return false;
}

}  // namespace

std::string ExplicitDefaultInExtensionValue(int nid, const ASN1_OCTET_STRING& value) {
  if (nid == NID_basic_constraints) {
    const auto bc = Decode<FreshBasicConstraints>(value, ASN1_ITEM_rptr(FreshBasicConstraints), FreeBasicConstraints);
    return bc && bc->ca == 0 ? "cA FALSE" : "";
  }
  if (nid == NID_name_constraints) {
    const auto nc = Decode<NAME_CONSTRAINTS>(value, ASN1_ITEM_rptr(NAME_CONSTRAINTS), NAME_CONSTRAINTS_free);
    return nc && (HasExplicitZeroMinimum(nc->permittedSubtrees) || HasExplicitZeroMinimum(nc->excludedSubtrees))
               ? "a subtree's minimum 0"
               : "";
  }
  return "";
}

}  // namespace keyattest::x509_internal
