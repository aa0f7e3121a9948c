// The key-attestation members of a file's JSON object (docs/json-output.md
// "Key-attestation files"). Their members are sorted by name, as schema 1 had
// them: the objects are built as nlohmann::json, whose objects sort.
#include <nlohmann/json.hpp>

#include "keyattest/key_attestation/facts.h"
#include "keyattest/marvell/attributes.h"

namespace keyattest {

namespace {

/// The members of each certificate, in the order the JSON shows them.
constexpr CertificateField kCertificateFields[] = {CertificateField::kIssuer,     CertificateField::kKey,
                                                   CertificateField::kNotAfter,   CertificateField::kNotBefore,
                                                   CertificateField::kRole,       CertificateField::kSerial,
                                                   CertificateField::kSha256,     CertificateField::kSignatureAlgorithm,
                                                   CertificateField::kSpkiSha256, CertificateField::kSubject,
                                                   CertificateField::kVersion};

nlohmann::json ObjectToJson(const ObjectFacts& o) {
  nlohmann::json attrs = nlohmann::json::array();
  for (const auto& a : o.attributes) {
    attrs.push_back({{"id", marvell::FormatAttributeType(a.type)},
                     {"name", marvell::AttributeName(a.type)},
                     {"raw", HexEncode(o.Raw(a))},
                     {"value", o.ValueText(a)},
                     {"meaning", marvell::AttributeMeaning(a.type)}});
  }
  return {{"handle", o.handle},
          {"object_class", o.object_class},
          {"key_type", o.key_type},
          {"attributes", std::move(attrs)}};
}

nlohmann::json BlobToJson(const BlobFacts& b) {
  nlohmann::json objects = nlohmann::json::array();
  for (const auto& o : b.objects) objects.push_back(ObjectToJson(o));
  return {{"field", b.field},
          {"layout", b.layout.empty() ? nlohmann::json(nullptr) : nlohmann::json(b.layout)},
          {"length", b.length},
          {"signature_length", b.signature_length},
          {"id", b.id},
          {"key_name", b.key_name},
          {"key_version", b.key_version},
          {"attested", b.attested},
          {"objects", std::move(objects)}};
}

nlohmann::json KeyToJson(const std::optional<KeyFacts>& key) {
  if (!key) return nullptr;
  return {{"kid", key->kid.empty() ? nlohmann::json(nullptr) : nlohmann::json(key->kid)},
          {"name", key->name},
          {"version", key->version},
          {"attested", key->attested},
          {"type", key->type},
          {"size_bits", key->size_bits == 0 ? nlohmann::json(nullptr) : nlohmann::json(key->size_bits)},
          {"curve", key->curve.empty() ? nlohmann::json(nullptr) : nlohmann::json(key->curve)}};
}

}  // namespace

void KeyAttestationFacts::AddJsonMembersBeforeChecks(nlohmann::ordered_json& file) const {
  file["owner_chain_style"] =
      owner_chain_style.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(owner_chain_style);
}

void KeyAttestationFacts::AddJsonMembers(nlohmann::ordered_json& file) const {
  nlohmann::json blob_array = nlohmann::json::array();
  for (const auto& b : blobs) blob_array.push_back(BlobToJson(b));
  nlohmann::ordered_json certificate_array = nlohmann::ordered_json::array();
  for (const auto& c : certificates) certificate_array.push_back(CertificateFactsToJson(c, kCertificateFields));
  file["key"] = KeyToJson(key);
  file["blobs"] = blob_array;  // converted to an ordered object: a copy
  file["certificates"] = std::move(certificate_array);
}

}  // namespace keyattest
