#include "keyattest/x509/certificate_facts.h"

namespace keyattest {

CertificateFacts DescribeCertificate(const Certificate& certificate, std::string role) {
  CertificateFacts f;
  f.role = std::move(role);
  f.subject = certificate.subject();
  f.issuer = certificate.issuer();
  f.serial = certificate.serial_hex();
  f.not_before = certificate.not_before();
  f.not_after = certificate.not_after();
  f.sha256 = HexEncode(certificate.sha256());
  f.spki_sha256 = HexEncode(certificate.spki_sha256());
  f.key = certificate.key_description();
  f.signature_algorithm = certificate.signature_algorithm();
  f.version = certificate.version();
  return f;
}

nlohmann::ordered_json CertificateFactsToJson(const CertificateFacts& facts, std::span<const CertificateField> fields) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  for (CertificateField field : fields) {
    switch (field) {
      case CertificateField::kRole:
        out["role"] = facts.role;
        break;
      case CertificateField::kSubject:
        out["subject"] = facts.subject;
        break;
      case CertificateField::kIssuer:
        out["issuer"] = facts.issuer;
        break;
      case CertificateField::kSerial:
        out["serial"] = facts.serial;
        break;
      case CertificateField::kVersion:
        out["version"] = facts.version;
        break;
      case CertificateField::kNotBefore:
        out["not_before"] = facts.not_before;
        break;
      case CertificateField::kNotAfter:
        out["not_after"] = facts.not_after;
        break;
      case CertificateField::kSha256:
        out["sha256"] = facts.sha256;
        break;
      case CertificateField::kSpkiSha256:
        out["spki_sha256"] = facts.spki_sha256;
        break;
      case CertificateField::kKey:
        out["key"] = facts.key;
        break;
      case CertificateField::kSignatureAlgorithm:
        out["signature_algorithm"] = facts.signature_algorithm;
        break;
    }
  }
  return out;
}

}  // namespace keyattest
