#include "keyattest/x509/algorithm_policy.h"

#include <openssl/obj_mac.h>
#include <openssl/x509.h>

#include "keyattest/crypto/openssl_ptr.h"

namespace keyattest {

const AlgorithmPolicy& MarvellChainAlgorithmPolicy() {
  static const AlgorithmPolicy kPolicy{
      {{NID_rsaEncryption, NID_sha256}, {NID_rsaEncryption, NID_sha384}, {NID_rsaEncryption, NID_sha512}},
      2048,
      "SHA-256/384/512 with RSA"};
  return kPolicy;
}

std::string CheckPublicKeyAlgorithm(const Certificate& certificate, const AlgorithmPolicy& policy,
                                    std::string_view role) {
  EVP_PKEY* key = certificate.public_key();
  const int id = EVP_PKEY_get_base_id(key);
  if (id != EVP_PKEY_RSA) {
    return std::string(role) + " key is not RSA (" + certificate.key_description() + ")";
  }
  if (EVP_PKEY_get_bits(key) < policy.min_rsa_bits) {
    return std::string(role) + " key is " + std::to_string(EVP_PKEY_get_bits(key)) + "-bit RSA, minimum " +
           std::to_string(policy.min_rsa_bits);
  }
  return "";
}

std::string CheckCertificateAlgorithms(const Certificate& certificate, const AlgorithmPolicy& policy,
                                       std::string_view role) {
  if (std::string why = CheckPublicKeyAlgorithm(certificate, policy, role); !why.empty()) return why;
  // The signature's scheme and digest as OpenSSL decodes them (for RSA-PSS
  // the digest comes from the parameters, not the OID).
  int digest_nid = NID_undef;
  int scheme_nid = NID_undef;
  const bool known = X509_get_signature_info(certificate.get(), &digest_nid, &scheme_nid, nullptr, nullptr) == 1;
  ClearOpenSslErrors();
  for (const AllowedSignature& allowed : policy.signatures) {
    if (known && allowed.scheme_nid == scheme_nid && allowed.digest_nid == digest_nid) return "";
  }
  return std::string(role) + " is signed with " + certificate.signature_algorithm() + "; only " + policy.description +
         " is accepted";
}

}  // namespace keyattest
