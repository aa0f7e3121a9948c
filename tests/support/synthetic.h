// A complete synthetic Azure attestation from the generated test PKI and the
// blob builders; each test changes one thing and expects one failure.
#pragma once

#include "keyattest/key_attestation/verifier.h"
#include "tests/support/blob_builder.h"
#include "tests/support/test_pki.h"

namespace keyattest::testing {

inline constexpr char kSyntheticId[] = "/keys/synthkey/0123456789abcdef0123456789abcdef";

struct Synthetic {
  explicit Synthetic(const ChainOptions& chain_options = {}, TestKeyId subject_id = TestKeyId::kSubjectRsa2048)
      : chain(MakeTestChain(chain_options)), subject(LoadTestKey(subject_id)) {
    options.marvell_roots.emplace_back(Certificate(X509Ptr(X509_dup(chain.root.get()))));
    options.check_time = keyattest::CheckTime::At(Utc(2026, 6, 1));
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

  /// A raw blob (as --blob/--certs give it) with `bundle`.
  static AttestationDocument RawDocument(const Bytes& blob, const std::string& bundle) {
    return MakeRawAttestationDocument(blob, Bytes(bundle.begin(), bundle.end()));
  }
  /// The Google owner card certificate: the Marvell card's key and subject,
  /// issued by the chain's owner root acting as Google's root (§10.2).
  X509Ptr GoogleCard(const EVP_MD* md = EVP_sha256()) const {
    ChainOptions defaults;
    CertSpec card;
    card.subject = defaults.card_subject;
    card.serial = 2;
    card.not_before = defaults.owner_partition_validity.not_before;
    card.not_after = defaults.owner_partition_validity.not_after;
    card.basic_constraints_ca = false;
    card.md = md;
    return IssueCertificate(card, chain.card_key.get(), chain.owner_root.get(), chain.owner_root_key.get());
  }
  /// Google's bundle shape: Marvell card and partition, Google card and
  /// partition (the chain's owner partition); the root is not included.
  std::string GoogleBundlePem() const {
    X509Ptr card = GoogleCard();
    return CertToPem(chain.card.get()) + CertToPem(chain.partition.get()) + CertToPem(card.get()) +
           CertToPem(chain.owner_partition.get());
  }
  /// Trusts the chain's owner root as the Google root (--owner-root FILE).
  void UseOwnerRootAsGoogleRoot() {
    options.owner_roots.push_back(OwnerRootPinOf(Certificate(X509Ptr(X509_dup(chain.owner_root.get())))));
  }

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
    if (c.status == CheckStatus::kFail) out += std::string(c.id.view()) + ": " + c.detail + "\n";
  }
  return out;
}

}  // namespace keyattest::testing
