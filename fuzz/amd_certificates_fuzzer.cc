// Fuzz target: the AMD certificate inputs (docs/snp.md "Certificate
// inputs"): ParseAmdCertificateInput throws only CertificateInputError,
// ClassifyAmdCertificates only std::invalid_argument, and
// ParseKdsExtensions only KdsExtensionError; an accepted THIM document has
// at least two certificates, and extensions that parse give a TCB that
// decodes back to their SPLs.
#include <cstddef>
#include <cstdint>
#include <stdexcept>

#include "fuzz/fuzz_common.h"
#include "keyattest/amd/certificate_input.h"
#include "keyattest/amd/kds_extensions.h"
#include "keyattest/snp/amd_chain.h"

namespace keyattest::fuzz {
namespace {

void CheckExtensions(const Certificate& c) {
  for (amd::EndorsementKind kind : {amd::EndorsementKind::kVcek, amd::EndorsementKind::kVlek}) {
    try {
      const amd::KdsExtensions e = amd::ParseKdsExtensions(c.get(), kind);
      const amd::TcbParts parts = amd::DecodeTcb(e.tcb, e.product);
      KEYATTEST_FUZZ_CHECK(parts.boot_loader == e.boot_loader && parts.tee == e.tee && parts.snp == e.snp &&
                               parts.microcode == e.microcode,
                           "the TCB does not decode back to the SPLs");
      KEYATTEST_FUZZ_CHECK(kind == amd::EndorsementKind::kVlek || e.hwid.size() == 64 || e.hwid.size() == 8,
                           "a VCEK hwID of another size");
    } catch (const amd::KdsExtensionError&) {
    } catch (...) {
      UnexpectedException("ParseKdsExtensions must throw only KdsExtensionError");
    }
  }
}

void Run(ByteSpan input) {
  amd::AmdCertificateInput parsed;
  try {
    parsed = amd::ParseAmdCertificateInput(input);
  } catch (const amd::CertificateInputError& e) {
    KEYATTEST_FUZZ_CHECK(*e.what() != '\0', "rejection without a reason");
    return;
  } catch (...) {
    UnexpectedException("ParseAmdCertificateInput must throw only CertificateInputError");
  }
  KEYATTEST_FUZZ_CHECK(!parsed.certificates.empty(), "accepted without certificates");
  KEYATTEST_FUZZ_CHECK(parsed.form != "THIM JSON" || parsed.certificates.size() >= 2, "THIM without a chain");
  for (const Certificate& c : parsed.certificates) CheckExtensions(c);
  try {
    const snp::AmdChainRoles roles = snp::ClassifyAmdCertificates(parsed.certificates);
    KEYATTEST_FUZZ_CHECK(roles.leaf.has_value() && roles.intermediate.has_value(), "roles without leaf or ASK");
  } catch (const std::invalid_argument&) {
  } catch (...) {
    UnexpectedException("ClassifyAmdCertificates must throw only std::invalid_argument");
  }
}

}  // namespace
}  // namespace keyattest::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  keyattest::fuzz::Run(keyattest::ByteSpan(data, size));
  return 0;
}
