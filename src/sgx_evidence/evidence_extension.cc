#include "keyattest/sgx_evidence/evidence_extension.h"

#include <array>
#include <cstring>

namespace keyattest::sgx_evidence {

namespace {

std::string DottedOid(const ASN1_OBJECT* object) {
  std::array<char, 128> buf{};
  const int n = OBJ_obj2txt(buf.data(), static_cast<int>(buf.size()), object, 1);
  if (n <= 0 || static_cast<std::size_t>(n) >= buf.size()) return {};
  return {buf.data(), static_cast<std::size_t>(n)};
}

bool IsSnpOid(const std::string& oid) { return oid == kOidSnpEvidence1 || oid == kOidSnpEvidence2; }

}  // namespace

FoundEvidence FindEvidence(const Certificate& certificate) {
  FoundEvidence found;
  int sgx_count = 0;
  int snp_count = 0;
  std::string snp_oid;
  const int count = X509_get_ext_count(certificate.get());
  for (int i = 0; i < count; ++i) {
    X509_EXTENSION* ext = X509_get_ext(certificate.get(), i);
    const std::string oid = DottedOid(X509_EXTENSION_get_object(ext));
    if (oid == kOidOeSgxEvidence || oid == kOidSgxQuote2020) {
      ++sgx_count;
      const ASN1_OCTET_STRING* data = X509_EXTENSION_get_data(ext);
      found.kind = oid == kOidOeSgxEvidence ? EvidenceKind::kOeSgxQuote : EvidenceKind::kWrappedSgxQuote;
      found.oid = oid;
      const unsigned char* bytes = ASN1_STRING_get0_data(data);
      found.value.assign(bytes, bytes + ASN1_STRING_length(data));
    } else if (IsSnpOid(oid)) {
      ++snp_count;
      snp_oid = oid;
    }
  }
  // More than one SGX evidence extension: which one binds the key would be
  // the verifier's guess, so the certificate is ambiguous.
  if (sgx_count > 1) {
    return FoundEvidence{EvidenceKind::kAmbiguous,
                         std::to_string(sgx_count) + " SGX evidence extensions (" + kOidOeSgxEvidence + " / " +
                             kOidSgxQuote2020 + "); exactly one is allowed",
                         {},
                         snp_count > 0};
  }
  if (sgx_count == 1) {
    found.also_snp = snp_count > 0;
    return found;
  }
  if (snp_count > 0) return FoundEvidence{EvidenceKind::kSevSnp, snp_oid, {}, true};
  return {};
}

}  // namespace keyattest::sgx_evidence
