// Every check of the MAA token verifier, declared once (docs/maa.md
// "Checks"). Other verifiers that verify an MAA token (Secure Key Release,
// SGX evidence of the signing key) append these same checks to their report.
#pragma once

#include "keyattest/report/report.h"

namespace keyattest::maa {

inline constexpr CheckDefinition kTokenFormat{"token.format", "Compact JWS: three base64url segments"};
inline constexpr CheckDefinition kTokenHeader{"token.header", "JOSE header is a strict JSON object with a kid"};
inline constexpr CheckDefinition kTokenClaims{"token.claims", "Claims are a strict JSON object (iss, exp, nbf, iat)"};
inline constexpr CheckDefinition kTokenAlg{"token.alg", "Algorithm is exactly RS256"};
inline constexpr CheckDefinition kTokenCrit{"token.crit", "No critical header extensions"};
inline constexpr CheckDefinition kTokenKid{"token.kid", "Signing key found in the JWKS by exact kid"};
inline constexpr CheckDefinition kTokenJku{"token.jku", "jku (if any) is the issuer's /certs"};
inline constexpr CheckDefinition kJwksKey{"jwks.key", "JWKS is usable and unambiguous"};
inline constexpr CheckDefinition kSigningKeySize{"signing_key.size", "Signing key is RSA of at least 1024 bits"};
inline constexpr CheckDefinition kTokenSignature{"token.signature", "RS256 signature verifies"};
inline constexpr CheckDefinition kTokenIssuer{"token.issuer", "Issuer equals --issuer exactly"};
inline constexpr CheckDefinition kTokenTime{"token.time", "Token is valid at the check time"};
/// Title of every `claim.<path>` check (the id carries the path).
inline constexpr const char* kClaimCheckTitle = "Required claim has the required value";

}  // namespace keyattest::maa
