#include "keyattest/x509/certificate_facts.h"

namespace keyattest {

CertificateFacts DescribeCertificate(const Certificate& certificate, StaticText role) {
  return CertificateFacts{certificate, role};
}

nlohmann::ordered_json CertificateFactsToJson(const CertificateFacts& facts, std::span<const CertificateField> fields) {
  const Certificate& c = facts.certificate;
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  for (CertificateField field : fields) {
    switch (field) {
      case CertificateField::kRole:
        out["role"] = facts.role.view();
        break;
      case CertificateField::kSubject:
        out["subject"] = c.subject();
        break;
      case CertificateField::kIssuer:
        out["issuer"] = c.issuer();
        break;
      case CertificateField::kSerial:
        out["serial"] = c.serial_hex();
        break;
      case CertificateField::kVersion:
        out["version"] = c.version();
        break;
      case CertificateField::kNotBefore:
        out["not_before"] = c.not_before();
        break;
      case CertificateField::kNotAfter:
        out["not_after"] = c.not_after();
        break;
      case CertificateField::kSha256:
        out["sha256"] = HexEncode(c.sha256());
        break;
      case CertificateField::kSpkiSha256:
        out["spki_sha256"] = HexEncode(c.spki_sha256());
        break;
      case CertificateField::kKey:
        out["key"] = c.key_description();
        break;
      case CertificateField::kSignatureAlgorithm:
        out["signature_algorithm"] = c.signature_algorithm();
        break;
    }
  }
  return out;
}

}  // namespace keyattest
