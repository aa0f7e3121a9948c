// What a key-attestation report shows besides its checks: the certificates
// each chain role resolved to, the blobs and their attested objects, and the
// key (docs/json-output.md "Key-attestation files"). These facts render
// themselves (report/report_facts.h): the attribute tables and certificate
// list in text, the members owner_chain_style, key, blobs and certificates
// in JSON.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keyattest/core/bytes.h"
#include "keyattest/report/report.h"
#include "keyattest/x509/certificate_facts.h"

namespace keyattest {

/// The report kind of the Marvell key-attestation verifier.
inline constexpr const char* kKeyAttestationKind = "key-attestation";

/// One attribute of an attested object: its type and where its signed value
/// lies in the object's `values`. Its name, value text and meaning derive
/// from these when the report is rendered (marvell/attributes.h), so a
/// report that is never shown in full (a batch's) formats none of them.
struct AttributeFacts {
  std::uint32_t type = 0;
  std::size_t offset = 0;  // of the value in ObjectFacts::values
  std::size_t size = 0;
};

struct ObjectFacts {
  std::uint32_t handle = 0;
  std::string object_class;
  std::string key_type;
  std::uint64_t key_type_code = 0;         // CKK_*: an EC key's MODULUS_BITS text names its curve
  std::vector<AttributeFacts> attributes;  // in blob order
  /// Every attribute's signed value, back to back: one buffer per object
  /// rather than one per attribute, and offsets rather than views, so
  /// copies of the facts stay valid.
  Bytes values;

  /// Appends an attribute; reserve `attributes` and `values` first.
  void AddAttribute(std::uint32_t type, ByteSpan raw);
  /// The signed value of one of this object's attributes.
  ByteSpan Raw(const AttributeFacts& a) const;
  /// Its value as shown ("CK_TRUE", "2048", ...).
  std::string ValueText(const AttributeFacts& a) const;
};

struct BlobFacts {
  std::string field;   // "privateKeyAttestation" / "publicKeyAttestation"
  std::string layout;  // "A" / "B", empty if not parsed
  std::size_t length = 0;
  std::size_t signature_length = 0;
  std::string id;        // signed OBJ_ATTR_ID
  std::string key_name;  // from the ID /keys/<name>/<version>
  std::string key_version;
  /// The blob's signature verified with a partition key whose manufacturer
  /// and owner chains verified: only then are its attributes attested.
  bool attested = false;
  std::vector<ObjectFacts> objects;
};

/// The key, as the report names it. When `attested`, name and version come
/// from the signed ID of a verified blob; otherwise they are what the
/// unsigned kid claims. kid is always an unsigned claim (the JWK's, --key's,
/// or Google's resource name).
struct KeyFacts {
  std::string kid;
  std::string name;
  std::string version;
  bool attested = false;
  std::string type;   // "RSA", "EC", "AES", ...
  int size_bits = 0;  // RSA modulus or symmetric key size; 0 when unknown
  std::string curve;  // EC only
};

struct KeyAttestationFacts final : ReportFacts {
  std::vector<CertificateFacts> certificates;  // in chain order, with roles
  std::vector<BlobFacts> blobs;
  std::optional<KeyFacts> key;
  std::string owner_chain_style;  // "azure", "google", or "" when undecided

  /// "owner_chain_style" (facts_json.cc).
  void AddJsonMembersBeforeChecks(nlohmann::ordered_json& file) const override;
  /// "key", "blobs", "certificates" (facts_json.cc).
  void AddJsonMembers(nlohmann::ordered_json& file) const override;
  /// The attribute table of each blob; with --verbose every attribute and
  /// the certificates (facts_text.cc).
  void RenderText(const TextOptions& options, std::ostream& out) const override;
  /// "== SOURCE ==", "Checks (certificate validity at T)", an unreadable
  /// document as an error line, and FAILED for every other verdict.
  TextFrame Frame() const override;
  /// "for key 'NAME' version 'VERSION'", with "(as claimed by the unsigned
  /// kid; not attested)" when the name is not from a verified blob.
  std::string Subject() const override;
  /// "key 'NAME' version 'VERSION'", the same suffix.
  std::string BatchSubject() const override;
};

/// An empty key-attestation report: its kind, what VERIFIED means, and
/// empty facts.
Report NewKeyAttestationReport();

/// The report's key-attestation facts; throws std::logic_error when the
/// report was made by another verifier (or has no such facts).
KeyAttestationFacts& KeyAttestationFactsOf(Report& report);
const KeyAttestationFacts& KeyAttestationFactsOf(const Report& report);

}  // namespace keyattest
