// A complete synthetic Azure attestation from the generated test PKI and the
// blob builders; each test changes one thing and expects one failure.
#pragma once

#include "keyattest/verifier.h"
#include "tests/support/blob_builder.h"
#include "tests/support/test_pki.h"

namespace keyattest::testing {

inline constexpr char kSyntheticId[] = "/keys/synthkey/0123456789abcdef0123456789abcdef";

struct Synthetic {
  explicit Synthetic(const ChainOptions& chain_options = {}, TestKeyId subject_id = TestKeyId::kSubjectRsa2048)
      : chain(MakeTestChain(chain_options)), subject(LoadTestKey(subject_id)) {
    options.marvell_roots.emplace_back(Certificate(X509Ptr(X509_dup(chain.root.get()))));
    options.at = Utc(2026, 6, 1);
    bool ec = subject_id == TestKeyId::kSubjectEcP256;
    private_attributes =
        ec ? EcPrivateAttributes(subject.get(), kSyntheticId) : RsaPrivateAttributes(subject.get(), kSyntheticId);
    public_attributes =
        ec ? EcPublicAttributes(subject.get(), kSyntheticId) : RsaPublicAttributes(subject.get(), kSyntheticId);
  }

  Bytes PrivateBlob() const { return LayoutBBuilder({14, private_attributes, {}, {}}).Sign(chain.partition_key.get()); }
  Bytes PublicBlob() const { return LayoutBBuilder({13, public_attributes, {}, {}}).Sign(chain.partition_key.get()); }

  AttestationDocument Document(Bytes private_blob, std::optional<Bytes> public_blob, std::string bundle = "") const {
    AttestationDocument doc;
    doc.version = "MRVL-1";
    if (bundle.empty()) bundle = chain.BundlePem();
    doc.certificate_pem.assign(bundle.begin(), bundle.end());
    doc.private_key_attestation = std::move(private_blob);
    doc.public_key_attestation = std::move(public_blob);
    return doc;
  }
  AttestationDocument Document() const { return Document(PrivateBlob(), PublicBlob()); }

  Report Verify(const AttestationDocument& doc) const { return VerifyAzureAttestation(doc, options); }
  Report Verify() const { return Verify(Document()); }

  TestChain chain;
  EvpPkeyPtr subject;
  VerifyOptions options;
  std::vector<Attribute> private_attributes;
  std::vector<Attribute> public_attributes;
};

inline std::string Detail(const Report& r, const std::string& id) {
  const CheckResult* c = r.Find(id);
  return c ? c->detail : "(no check " + id + ")";
}

inline std::string Failures(const Report& r) {
  std::string out;
  for (const auto& c : r.checks) {
    if (c.status == CheckStatus::kFail) out += c.id + ": " + c.detail + "\n";
  }
  return out;
}

}  // namespace keyattest::testing
