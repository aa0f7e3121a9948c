// Finds the enclave evidence in an MAA signing certificate
// (docs/sgx-evidence.md §1): which extension carries it, and its bytes.
#pragma once

#include <string>

#include "keyattest/core/bytes.h"
#include "keyattest/x509/certificate.h"

namespace keyattest::sgx_evidence {

inline constexpr const char* kOidOeSgxEvidence = "1.3.6.1.4.1.311.105.1";
inline constexpr const char* kOidSgxQuote2020 = "1.2.840.113556.10.1.1";
inline constexpr const char* kOidSnpEvidence1 = "1.3.6.1.4.1.311.105.1000.1";
inline constexpr const char* kOidSnpEvidence2 = "1.3.6.1.4.1.311.105.1000.2";

enum class EvidenceKind {
  kNone,             // no evidence extension
  kOeSgxQuote,       // OE report header + quote v3
  kWrappedSgxQuote,  // 2020: DER OCTET STRING holding the quote
  kSevSnp,           // recognised, not supported
  kAmbiguous,        // an evidence OID twice, or both SGX forms
};

struct FoundEvidence {
  EvidenceKind kind = EvidenceKind::kNone;
  std::string oid;        // the extension read (or, for kAmbiguous, why)
  Bytes value;            // the extension's OCTET STRING contents
  bool also_snp = false;  // an SNP extension next to the SGX one
};

FoundEvidence FindEvidence(const Certificate& certificate);

}  // namespace keyattest::sgx_evidence
