// The fixed material the regression cases are built from: a synthetic Azure
// attestation (generated test PKI, layout-B blobs, JWK) that verifies, the
// pieces to break it one at a time, and the real recordings in testdata/.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "keyattest/core/bytes.h"
#include "keyattest/key_attestation/verifier.h"
#include "tests/support/attestation_json.h"
#include "tests/support/blob_builder.h"
#include "tests/support/test_pki.h"

namespace keyattest::regression {

using testing::Attribute;
using testing::LayoutABuilder;
using testing::LayoutBBuilder;

inline constexpr char kPool[] = "testpool";
inline constexpr char kKeyName[] = "regkey";
inline constexpr char kKeyVersion[] = "00112233445566778899aabbccddeeff";

/// Which trust anchors a case is verified with, always at kAt.
enum class Anchors {
  kSynthetic,        // the generated test root only
  kBuiltin,          // the pinned Marvell roots (real recordings)
  kSyntheticGoogle,  // the test root, and the test owner root as --owner-root
                     // certificate (Google owner chain style, §10.2)
};

/// 2026-06-01T00:00:00Z: inside every synthetic and real validity window.
std::time_t CheckTime();
const VerifyOptions& OptionsFor(Anchors anchors);

/// One verifying synthetic world. Built once; everything returned is a copy,
/// so a case can change it freely.
class World {
 public:
  static const World& Get();

  const testing::TestChain& chain() const { return chain_; }
  EVP_PKEY* partition_key() const { return chain_.partition_key.get(); }
  EVP_PKEY* rsa() const { return rsa_.get(); }
  EVP_PKEY* ec() const { return ec_.get(); }

  /// The signed ID "/keys/regkey/<version>" and the kid naming it.
  static std::string Id();
  static std::string Kid();

  std::vector<Attribute> RsaPrivate() const;
  std::vector<Attribute> RsaPublic() const;
  std::vector<Attribute> EcPrivate() const;
  std::vector<Attribute> EcPublic() const;

  /// Layout-B builders over the RSA subject's objects (handles 14 and 13, as
  /// in the Azure recordings).
  LayoutBBuilder PrivateB() const { return LayoutBBuilder({14, RsaPrivate(), {}, {}}); }
  LayoutBBuilder PublicB() const { return LayoutBBuilder({13, RsaPublic(), {}, {}}); }
  Bytes Sign(const LayoutBBuilder& b) const { return b.Sign(partition_key()); }
  Bytes Sign(const LayoutABuilder& a) const { return a.Sign(partition_key()); }
  /// `unsigned_part` followed by a layout-A (DigestInfo) signature over it.
  Bytes SignA(const Bytes& unsigned_part) const;
  /// `unsigned_part` followed by a layout-B (bare hash) signature over it.
  Bytes SignB(const Bytes& unsigned_part) const;

  /// The verifying RSA document with one part replaced.
  std::string Json(const Bytes& private_blob, const std::optional<Bytes>& public_blob) const;
  std::string JsonWithPrivate(const Bytes& private_blob) const { return Json(private_blob, Sign(PublicB())); }
  std::string JsonWithPublic(const Bytes& public_blob) const { return Json(Sign(PrivateB()), public_blob); }
  std::string JsonWithBundle(const std::string& bundle_pem) const;
  std::string JsonWithJwk(const std::optional<std::string>& jwk) const;
  /// The whole spec, for anything else.
  testing::AzureJsonSpec Spec() const;
  /// The verifying document itself.
  std::string Json() const { return testing::MakeAzureAttestationJson(Spec()); }

  /// A whole document over another chain (blobs signed by its partition key),
  /// verified against the default synthetic root.
  std::string JsonForChain(const testing::TestChain& chain) const;

  /// PEM of one certificate.
  static std::string Pem(X509* cert) { return testing::CertToPem(cert); }

 private:
  World();

  testing::TestChain chain_;
  EvpPkeyPtr rsa_;
  EvpPkeyPtr ec_;
};

/// The repository's real recordings (testdata/azure/<name>/attestation.json).
std::string RealSampleText(const std::string& name);
nlohmann::json RealSample(const std::string& name);
/// Decoded base64 field of a real sample's attestation object.
Bytes RealField(const std::string& name, const char* field);
/// Re-encodes `bytes` as Azure does (base64url without padding).
std::string Base64Url(const Bytes& bytes);

/// One gzip member of `data` (zlib), as Google delivers blobs (docs/marvell-format.md
/// §2.1, §2.4).
/// A `gcloud kms keys versions describe --format=json` document whose
/// attestation.content is base64 of `content`: the synthetic Marvell card and
/// partition as caviumCerts, and owner card and partition certificates
/// issued by the synthetic owner root (Anchors::kSyntheticGoogle).
std::string GcloudJson(const Bytes& content);

/// Bytes with one byte XOR-ed with `mask`.
Bytes Xor(Bytes b, std::size_t index, std::uint8_t mask);

}  // namespace keyattest::regression
