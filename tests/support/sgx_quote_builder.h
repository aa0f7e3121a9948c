// Builders for synthetic SGX evidence (docs/sgx-evidence.md): a generated
// PCK PKI (fresh P-256 keys, fixed dates), SGX ECDSA quotes v3 signed with a
// fresh attestation key, the two extension encodings MAA uses, and the
// self-signed MAA-style signing certificate that carries them.
#pragma once

#include <cstdint>
#include <ctime>
#include <optional>
#include <string>

#include "keyattest/core/bytes.h"
#include "keyattest/crypto/openssl_ptr.h"

namespace keyattest::testing {

/// A new P-256 key (generated now; tests only).
EvpPkeyPtr GenerateP256Key();

/// Root, CA and PCK leaf, all P-256, shaped like Intel's (the root's DN is
/// "Intel SGX Root CA"'s, so a look-alike differs only in its key).
struct SgxTestPki {
  EvpPkeyPtr root_key, ca_key, pck_key;
  X509Ptr root, ca, pck;
  /// PCK, CA, root as PEM, then one NUL: the quote's certification data.
  Bytes CertificationData() const;
};
/// Validity: root 2018-2049, CA 2018-2033, PCK 2023-2030.
SgxTestPki MakeSgxTestPki();

struct SgxQuoteSpec {
  Bytes report_data = Bytes(64, 0);
  std::uint64_t attributes_flags = 0x5;      // INIT | MODE64BIT
  std::uint64_t qe_attributes_flags = 0x15;  // INIT | MODE64BIT | PROVISIONKEY
  Bytes mrsigner = Bytes(32, 0x74);
  Bytes mrenclave = Bytes(32, 0xe1);
  std::uint16_t isv_prod_id = 1;
  std::uint16_t isv_svn = 1;
  std::uint16_t version = 3;
  std::uint16_t certification_data_type = 5;
  Bytes qe_auth_data = Bytes{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
  /// When set, replaces the PKI's certification data.
  std::optional<Bytes> certification_data;
};

/// A quote v3 (header, ISV report, signature data) signed with a fresh
/// attestation key, whose QE report the PCK key signs.
Bytes BuildSgxQuote(const SgxQuoteSpec& spec, const SgxTestPki& pki);

/// Extension 1.3.6.1.4.1.311.105.1's value: OE header (1, 2, size) + quote.
Bytes WrapInOeHeader(ByteSpan quote);
/// Extension 1.2.840.113556.10.1.1's value: DER OCTET STRING of the quote.
Bytes WrapInOctetString(ByteSpan quote);

/// SHA-256(PEM SPKI || NUL) of `key`, then 32 zero bytes.
Bytes EnclaveReportData(EVP_PKEY* key);

/// A self-signed certificate for `key` (CN=https://synthetic.test.attest.azure.net,
/// 2019-05-01 to 2050-12-31) carrying `value` under extension `oid` (no
/// extension when `oid` is empty).
X509Ptr MakeSigningCertificate(EVP_PKEY* key, const std::string& oid, ByteSpan value);

}  // namespace keyattest::testing
