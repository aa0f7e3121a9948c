// The encoded messages that RSA PKCS#1 type-1 signatures recover to
// (RFC 8017 §9.2, EMSA-PKCS1-v1_5). A verifier with a prepared key recovers
// EM = s^e mod n and compares it in full with the one encoding it expects,
// which accepts exactly what OpenSSL 3.0's RSA_verify accepts: type-1
// padding of at least eight 0xFF bytes and a DigestInfo whose digest
// algorithm carries explicit NULL parameters, nothing before or after.
#pragma once

#include <cstddef>
#include <optional>

#include "keyattest/core/bytes.h"
#include "keyattest/crypto/digests.h"

namespace keyattest {

/// DER of DigestInfo{ AlgorithmIdentifier{digest algorithm, NULL}, OCTET
/// STRING(hash) } for SHA-256, -384 or -512; nullopt for SHA-1 (no RSA
/// check here accepts it) or when `hash` is not the digest's size.
std::optional<Bytes> DigestInfo(DigestAlgorithm digest, ByteSpan hash);

/// 00 01 FF.. 00 || T, exactly k bytes; empty when k < |T| + 11, where no
/// valid type-1 encoding exists (so no recovered message can equal it).
Bytes Pkcs1Type1Encoding(ByteSpan t, std::size_t k);

}  // namespace keyattest
