// A certificate as a report shows it: the generic X.509 facts every
// verifier lists, and their one JSON conversion (docs/json-output.md
// key-attestation "certificates" member, and the verifier docs).
#pragma once

#include <nlohmann/json.hpp>

#include <span>

#include "keyattest/core/static_text.h"
#include "keyattest/x509/certificate.h"

namespace keyattest {

/// A certificate and the role it has in a report. It holds the certificate
/// itself, not copies of its text (copies of a Certificate share one
/// immutable record), so describing a chain costs no string per field: the
/// text a report shows is made when the report is rendered
/// (CertificateFactsToJson, or a verifier's own text renderer).
struct CertificateFacts {
  Certificate certificate;
  StaticText role;  // "Marvell HSM card", "VCEK", ...; empty when unnamed
};

CertificateFacts DescribeCertificate(const Certificate& certificate, StaticText role = {});

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
