#include "keyattest/crypto/curves.h"

#include <openssl/obj_mac.h>

#include <array>

namespace keyattest {

namespace {

using namespace std::string_view_literals;

constexpr std::array<EcCurve, 4> kCurves{{
    {NID_X9_62_prime256v1, "P-256", "", "P-256 (prime256v1)", 32, "\x06\x08\x2a\x86\x48\xce\x3d\x03\x01\x07"sv},
    {NID_secp384r1, "P-384", "", "P-384 (secp384r1)", 48, "\x06\x05\x2b\x81\x04\x00\x22"sv},
    {NID_secp521r1, "P-521", "", "P-521 (secp521r1)", 66, "\x06\x05\x2b\x81\x04\x00\x23"sv},
    {NID_secp256k1, "P-256K", "SECP256K1", "secp256k1", 32, "\x06\x05\x2b\x81\x04\x00\x0a"sv},
}};

}  // namespace

std::span<const EcCurve> SupportedCurves() { return kCurves; }

const EcCurve* CurveByNid(long nid) {
  for (const EcCurve& c : kCurves) {
    if (c.nid == nid) return &c;
  }
  return nullptr;
}

const EcCurve* CurveByJoseName(std::string_view crv) {
  for (const EcCurve& c : kCurves) {
    if (crv == c.jose_name || (!c.jose_alias.empty() && crv == c.jose_alias)) return &c;
  }
  return nullptr;
}

}  // namespace keyattest
