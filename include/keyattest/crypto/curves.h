// The elliptic curves keyattest knows, in one table: the curves a Marvell
// LiquidSecurity HSM offers for attested keys (docs/marvell-format.md §7.1,
// where OBJ_ATTR_MODULUS_BITS carries the OpenSSL NID) and that a JWK or a
// --key file may name.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>

namespace keyattest {

struct EcCurve {
  int nid;                        // OpenSSL NID
  std::string_view jose_name;     // JWK "crv" (RFC 7518; P-256K as Azure writes secp256k1)
  std::string_view jose_alias;    // another "crv" spelling accepted, or empty
  std::string_view display_name;  // as reports show it: "P-256 (prime256v1)"
  std::size_t field_bytes;        // bytes of one coordinate
  std::string_view oid_der;       // DER of the namedCurve OBJECT IDENTIFIER
};

/// Every supported curve, in a fixed order.
std::span<const EcCurve> SupportedCurves();

/// The curve with OpenSSL NID `nid`; null when it is not supported.
const EcCurve* CurveByNid(long nid);

/// The curve a JWK names with `crv` (its name or alias); null when unknown.
const EcCurve* CurveByJoseName(std::string_view crv);

}  // namespace keyattest
