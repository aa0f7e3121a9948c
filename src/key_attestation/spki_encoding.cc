// Canonical SubjectPublicKeyInfo DER of an expected key (RFC 8017 / RFC
// 5480), encoded here so that binding hashes exactly what the HSM hashed
// for its KCV and EKCV (docs/marvell-format.md §7.1, §8.2).
#include <openssl/x509.h>

#include <initializer_list>

#include "keyattest/crypto/curves.h"
#include "keyattest/key_attestation/expected_key.h"

namespace keyattest {

namespace {

/// DER TLV with definite length.
Bytes Der(std::uint8_t tag, ByteSpan content) {
  Bytes out{tag};
  const std::size_t n = content.size();
  if (n < 0x80) {
    out.push_back(static_cast<std::uint8_t>(n));
  } else {
    Bytes len;
    for (std::size_t v = n; v != 0; v >>= 8) len.insert(len.begin(), static_cast<std::uint8_t>(v & 0xff));
    out.push_back(static_cast<std::uint8_t>(0x80 | len.size()));
    out.insert(out.end(), len.begin(), len.end());
  }
  out.insert(out.end(), content.begin(), content.end());
  return out;
}

Bytes Concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

/// Minimal unsigned INTEGER: no superfluous leading zeros, a 00 when the
/// top bit is set.
Bytes DerUnsignedInteger(ByteSpan value) {
  std::size_t i = 0;
  while (i + 1 < value.size() && value[i] == 0) ++i;
  ByteSpan v = value.subspan(i);
  Bytes content;
  content.reserve(v.size() + 1);
  if (v.empty() || (v[0] & 0x80) != 0) content.assign(1, 0x00);
  content.insert(content.end(), v.begin(), v.end());
  return Der(0x02, content);
}

Bytes BitString(ByteSpan content) {
  Bytes v{0x00};  // no unused bits
  v.insert(v.end(), content.begin(), content.end());
  return Der(0x03, v);
}

}  // namespace

Bytes RsaSpkiDer(ByteSpan n, ByteSpan e) {
  static const Bytes kAlgorithm =
      Der(0x30, Bytes{0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00});
  Bytes rsa_public_key = Der(0x30, Concat({DerUnsignedInteger(n), DerUnsignedInteger(e)}));
  return Der(0x30, Concat({kAlgorithm, BitString(rsa_public_key)}));
}

Bytes EcSpkiDer(int nid, ByteSpan point) {
  const EcCurve* curve = CurveByNid(nid);
  if (curve == nullptr) throw KeyError("EC curve is not supported");
  static const Bytes kEcPublicKey = {0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01};
  Bytes algorithm = Der(0x30, Concat({kEcPublicKey, Bytes(curve->oid_der.begin(), curve->oid_der.end())}));
  return Der(0x30, Concat({algorithm, BitString(point)}));
}

Bytes SpkiDer(EVP_PKEY* key) { return ToDer(i2d_PUBKEY, key, "i2d_PUBKEY"); }

}  // namespace keyattest
