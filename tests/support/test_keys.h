// TEST-ONLY private keys, checked in as PEM so that every test is
// deterministic and no test generates keys at run time. These keys protect
// nothing; never use them outside tests.
#pragma once

#include <string_view>

#include "keyattest/core/bytes.h"
#include "keyattest/crypto/openssl_ptr.h"

namespace keyattest::testing {

/// One fixed key per role in the generated test PKI (test_pki.h) and in the
/// attested objects (blob_builder.h). All RSA keys use e = 65537 unless named
/// otherwise; EC keys are P-256 (prime256v1) with named-curve parameters.
enum class TestKeyId {
  kRootRsa2048,            // Marvell LS1-style root (doc §10.1)
  kCardRsa2048,            // HSM "card" certificate
  kPartitionRsa2048,       // partition certificate: signs the blobs
  kOwnerRootRsa2048,       // Azure per-pool owner root (doc §10.2)
  kLookAlikeRootRsa2048,   // same DN as the root, different key
  kOtherPartitionRsa2048,  // a second partition key (wrong signer)
  kSubjectRsa2048,         // the attested RSA key
  kSubjectEcP256,          // the attested EC key
  kRootRsa4096,            // LS2-style root
  kPartitionRsa4096,       // RSA-4096 partition (k = 512)
  kWeakRsa1024,            // below the 2048-bit floor (doc §9.3)
  kRsa2048Exponent3,       // e = 3: must be rejected (doc §9.2)
  kEcP256Signer,           // EC key where an RSA signer is required
};

/// The checked-in PKCS#8 PEM text of `id`.
std::string_view TestKeyPem(TestKeyId id);

/// The parsed key. Keys are parsed once and cached; each call returns a new
/// reference (EVP_PKEY_up_ref), so callers own what they get.
EvpPkeyPtr LoadTestKey(TestKeyId id);

/// DER SubjectPublicKeyInfo of `key` (the input to KCV/EKCV, doc §7.1).
Bytes SpkiDer(EVP_PKEY* key);

/// A new EVP_PKEY holding only the public half of `key`.
EvpPkeyPtr PublicOnly(EVP_PKEY* key);

}  // namespace keyattest::testing
