#include "keyattest/trust_anchors.h"

#include "embedded_roots.inc"  // generated from certs/ by CMake

namespace keyattest {

const std::vector<PinnedRoot>& BuiltinMarvellRootPins() {
  static const std::vector<PinnedRoot> kPins = {
      {"Marvell LS1 localca.liquidsecurity.cavium.com (2024)", kEmbeddedLs1RootPem,
       "78adcba1f38bee304bc44d6a086503f2940037d4b3d58a1bf66a3282ef58cd41"},
      {"Marvell LS2 cavium-liquidsecurity-ls2 (2024)", kEmbeddedLs2RootPem,
       "f84b0610f2ca68f1f936c12c37a22794b59a2afa54f55f8d3c977232c5b97d7c"},
  };
  return kPins;
}

namespace {

std::vector<Certificate> ParsePinned(const std::vector<PinnedRoot>& pins) {
  std::vector<Certificate> roots;
  for (const PinnedRoot& pin : pins) {
    Certificate root = ParseSinglePemCertificate(AsBytes(pin.pem));
    if (HexEncode(root.spki_sha256()) != pin.spki_sha256_hex) {
      throw CryptoError("embedded root '" + std::string(pin.name) + "' does not match its SPKI pin");
    }
    roots.push_back(std::move(root));
  }
  return roots;
}

}  // namespace

std::vector<Certificate> BuiltinMarvellRoots() { return ParsePinned(BuiltinMarvellRootPins()); }

const std::vector<PinnedRoot>& BuiltinGoogleRootPins() {
  static const std::vector<PinnedRoot> kPins = {
      {"Google Cloud HSM Hawksbill Root v1 prod", kEmbeddedGoogleRootPem,
       "11fa0c80423f28ee497a189bed4f7043629be7a7642d20eee9347a73c1ff46e8"},
  };
  return kPins;
}

std::vector<Certificate> BuiltinGoogleRoots() { return ParsePinned(BuiltinGoogleRootPins()); }

}  // namespace keyattest
