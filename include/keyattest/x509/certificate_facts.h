// A certificate as a report shows it: the generic X.509 facts every
// verifier lists, and their one JSON conversion (docs/json-output.md
// key-attestation "certificates" member, and the verifier docs).
#pragma once

#include <nlohmann/json.hpp>

#include <span>
#include <string>

#include "keyattest/x509/certificate.h"

namespace keyattest {

struct CertificateFacts {
  std::string role;  // "Marvell HSM card", "VCEK", ...; empty when unnamed
  std::string subject;
  std::string issuer;
  std::string serial;  // hex
  std::string not_before;
  std::string not_after;
  std::string sha256;       // certificate fingerprint, hex
  std::string spki_sha256;  // public-key pin, hex
  std::string key;          // "RSA-2048"
  std::string signature_algorithm;
  long version = 0;  // X.509 version: 1, 2 or 3
};

CertificateFacts DescribeCertificate(const Certificate& certificate, std::string role = "");

/// A member of a certificate's JSON object; its name is the field's
/// ("role", "subject", "issuer", "serial", "version", "not_before",
/// "not_after", "sha256", "spki_sha256", "key", "signature_algorithm").
enum class CertificateField {
  kRole,
  kSubject,
  kIssuer,
  kSerial,
  kVersion,
  kNotBefore,
  kNotAfter,
  kSha256,
  kSpkiSha256,
  kKey,
  kSignatureAlgorithm,
};

/// The certificate as one JSON object with exactly `fields`, in that order:
/// each verifier's report names the fields it shows (its JSON shape is part
/// of its output contract).
nlohmann::ordered_json CertificateFactsToJson(const CertificateFacts& facts, std::span<const CertificateField> fields);

}  // namespace keyattest
