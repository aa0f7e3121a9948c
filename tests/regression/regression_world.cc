#include "tests/regression/regression_world.h"

#include <zlib.h>

#include <stdexcept>

#include "keyattest/io/base64.h"
#include "keyattest/key_attestation/attestation_document.h"
#include "tests/support/real_testdata.h"
#include "tests/support/test_keys.h"

#ifndef KEYATTEST_REPO_TESTDATA
#error "KEYATTEST_REPO_TESTDATA must name the repository's testdata directory"
#endif

namespace keyattest::regression {

using testing::LoadTestKey;
using testing::TestKeyId;

std::time_t CheckTime() { return testing::Utc(2026, 6, 1); }

const VerifyOptions& OptionsFor(Anchors anchors) {
  static const VerifyOptions synthetic = [] {
    VerifyOptions o;
    o.marvell_roots.emplace_back(Certificate(X509Ptr(X509_dup(World::Get().chain().root.get()))));
    o.check_time = keyattest::CheckTime::At(CheckTime());
    return o;
  }();
  static const VerifyOptions builtin = [] {
    VerifyOptions o = DefaultVerifyOptions();
    o.check_time = keyattest::CheckTime::At(CheckTime());
    return o;
  }();
  static const VerifyOptions google = [] {
    VerifyOptions o = synthetic;
    o.owner_roots.push_back(OwnerRootPinOf(Certificate(X509Ptr(X509_dup(World::Get().chain().owner_root.get())))));
    return o;
  }();
  switch (anchors) {
    case Anchors::kSynthetic:
      return synthetic;
    case Anchors::kBuiltin:
      return builtin;
    case Anchors::kSyntheticGoogle:
      return google;
  }
  return synthetic;
}

const World& World::Get() {
  static const World world;
  return world;
}

World::World()
    : chain_(testing::MakeTestChain()),
      rsa_(LoadTestKey(TestKeyId::kSubjectRsa2048)),
      ec_(LoadTestKey(TestKeyId::kSubjectEcP256)) {}

std::string World::Id() { return testing::AzureKeyId(kKeyName, kKeyVersion); }
std::string World::Kid() { return testing::AzureKid(kPool, kKeyName, kKeyVersion); }

std::vector<Attribute> World::RsaPrivate() const { return testing::RsaPrivateAttributes(rsa(), Id()); }
std::vector<Attribute> World::RsaPublic() const { return testing::RsaPublicAttributes(rsa(), Id()); }
std::vector<Attribute> World::EcPrivate() const { return testing::EcPrivateAttributes(ec(), Id()); }
std::vector<Attribute> World::EcPublic() const { return testing::EcPublicAttributes(ec(), Id()); }

Bytes World::SignA(const Bytes& unsigned_part) const {
  return testing::Concat(unsigned_part, testing::DigestSignSha256(partition_key(), unsigned_part));
}

Bytes World::SignB(const Bytes& unsigned_part) const {
  return testing::Concat(unsigned_part, testing::SignLayoutBScheme(partition_key(), unsigned_part));
}

testing::AzureJsonSpec World::Spec() const {
  testing::AzureJsonSpec spec;
  spec.bundle_pem = chain_.BundlePem();
  spec.private_blob = Sign(PrivateB());
  spec.public_blob = Sign(PublicB());
  spec.jwk_json = testing::MakeJwkJson(rsa(), Kid());
  return spec;
}

std::string World::Json(const Bytes& private_blob, const std::optional<Bytes>& public_blob) const {
  testing::AzureJsonSpec spec = Spec();
  spec.private_blob = private_blob;
  spec.public_blob = public_blob;
  return testing::MakeAzureAttestationJson(spec);
}

std::string World::JsonWithBundle(const std::string& bundle_pem) const {
  testing::AzureJsonSpec spec = Spec();
  spec.bundle_pem = bundle_pem;
  return testing::MakeAzureAttestationJson(spec);
}

std::string World::JsonWithJwk(const std::optional<std::string>& jwk) const {
  testing::AzureJsonSpec spec = Spec();
  spec.jwk_json = jwk;
  return testing::MakeAzureAttestationJson(spec);
}

std::string World::JsonForChain(const testing::TestChain& chain) const {
  testing::AzureJsonSpec spec = Spec();
  spec.bundle_pem = chain.BundlePem();
  if (EVP_PKEY_is_a(chain.partition_key.get(), "RSA")) {
    spec.private_blob = PrivateB().Sign(chain.partition_key.get());
    spec.public_blob = PublicB().Sign(chain.partition_key.get());
  }
  return testing::MakeAzureAttestationJson(spec);
}

std::string RealSampleText(const std::string& name) {
  return testing::ReadFileText(std::string(KEYATTEST_REPO_TESTDATA) + "/azure/" + name + "/attestation.json");
}

nlohmann::json RealSample(const std::string& name) { return nlohmann::json::parse(RealSampleText(name)); }

Bytes RealField(const std::string& name, const char* field) {
  std::string why;
  const std::string text = RealSample(name)["attributes"]["attestation"][field].get<std::string>();
  auto bytes = DecodeBase64Any(text, &why);
  if (!bytes) throw std::runtime_error(name + " " + field + ": " + why);
  return *bytes;
}

std::string Base64Url(const Bytes& bytes) { return testing::Base64Encode(bytes, testing::Base64Flavor::kUrlNoPad); }

std::string GcloudJson(const Bytes& content) {
  const testing::TestChain& c = World::Get().chain();
  // Google's owner card certificate: the Marvell card's key and subject,
  // issued by the owner root (v3, CA:FALSE, SKI/AKI), as in §10.2.
  testing::ChainOptions defaults;
  testing::CertSpec card;
  card.subject = defaults.card_subject;
  card.serial = 2;
  card.not_before = defaults.owner_partition_validity.not_before;
  card.not_after = defaults.owner_partition_validity.not_after;
  card.basic_constraints_ca = false;
  card.bc_critical = true;
  card.key_usage = KU_DIGITAL_SIGNATURE | KU_KEY_ENCIPHERMENT;
  card.add_ski_aki = true;
  X509Ptr owner_card = testing::IssueCertificate(card, c.card_key.get(), c.owner_root.get(), c.owner_root_key.get());
  nlohmann::json doc = {
      {"name", "projects/p/locations/global/keyRings/r/cryptoKeys/k/cryptoKeyVersions/1"},
      {"protectionLevel", "HSM"},
      {"attestation",
       {{"format", "CAVIUM_V2_COMPRESSED"},
        {"content", testing::Base64Encode(content, testing::Base64Flavor::kStandard)},
        {"certChains",
         {{"caviumCerts",
           nlohmann::json::array({testing::CertToPem(c.card.get()), testing::CertToPem(c.partition.get())})},
          {"googleCardCerts", nlohmann::json::array({testing::CertToPem(owner_card.get())})},
          {"googlePartitionCerts", nlohmann::json::array({testing::CertToPem(c.owner_partition.get())})}}}}}};
  return doc.dump();
}

Bytes Xor(Bytes b, std::size_t index, std::uint8_t mask) {
  b.at(index) = static_cast<std::uint8_t>(b.at(index) ^ mask);
  return b;
}

}  // namespace keyattest::regression
