// DER surgery on certificates for tests that play the forger: split a
// certificate into its elements, change the encoding of one field, and
// re-sign, so that only the encoding is wrong (docs/checks.md
// `certificates.bundle`). Definite lengths up to 0xFFFF only; the inputs
// are certificates the tests built themselves.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "keyattest/core/bytes.h"
#include "keyattest/crypto/openssl_ptr.h"

namespace keyattest::testing {

/// One DER element: `tag`, the shortest definite length, `content`.
Bytes DerTlv(std::uint8_t tag, const Bytes& content);
/// The DER elements one after another in `content`.
std::vector<Bytes> DerElements(const Bytes& content);
/// The content octets of one DER element.
Bytes DerContent(const Bytes& element);
Bytes DerJoin(const std::vector<Bytes>& parts);

/// The elements of `cert_der`'s tbsCertificate edited by `edit`; the
/// signature is left as it was (so it no longer verifies).
Bytes WithEditedTbs(const Bytes& cert_der, const std::function<void(std::vector<Bytes>& tbs)>& edit);

/// `cert_der` whose extension `index` (0-based) gets a critical BOOLEAN with
/// the content octet `octet` (00 FALSE, FF TRUE, anything else not DER).
/// Throws std::invalid_argument when there is no such extension or it
/// already has a critical field. The signature no longer verifies: re-sign.
Bytes WithCriticalField(const Bytes& cert_der, std::size_t index, std::uint8_t octet);

/// WithCriticalField(cert_der, index, 0x00): `critical FALSE` encoded
/// explicitly, a DEFAULT value, which DER omits (X.690 11.5).
Bytes WithExplicitCriticalFalse(const Bytes& cert_der, std::size_t index);

/// The value (extnValue contents) of extension `index` (0-based).
Bytes ExtensionValue(const Bytes& cert_der, std::size_t index);

/// `cert_der` whose extension `index` (0-based) holds `value` as its
/// extnValue contents. The signature no longer verifies: re-sign.
Bytes WithExtensionValue(const Bytes& cert_der, std::size_t index, const Bytes& value);

/// `cert_der`, an X.509 v1 certificate (no version field), with `version
/// v1(0)` encoded explicitly. Throws std::invalid_argument for a v2/v3
/// certificate. The signature no longer verifies: re-sign.
Bytes WithExplicitVersionV1(const Bytes& cert_der);

/// Decodes exactly one certificate; throws on anything else.
X509Ptr DecodeCertificate(const Bytes& der);

/// `der` decoded and signed again by `issuer_key` with `md` (RSA PKCS#1
/// v1.5 or ECDSA). OpenSSL keeps the received encoding of the DEFAULT fields
/// (an explicit version or critical FALSE) and writes it again, so the new
/// signature covers exactly the edited encoding.
X509Ptr Resign(const Bytes& der, EVP_PKEY* issuer_key, const EVP_MD* md = EVP_sha256());

}  // namespace keyattest::testing
