#include "keyattest/key_attestation/file_verifier.h"

#include <string>
#include <string_view>
#include <utility>

#include "keyattest/key_attestation/facts.h"

namespace keyattest {

FileVerifier AttestationFileVerifier(std::shared_ptr<const VerifyOptions> options) {
  FileVerifier verifier;
  verifier.new_report = NewKeyAttestationReport;
  verifier.max_bytes = kMaxInputFileBytes;
  verifier.what = std::string(kAttestationDocumentInput);
  if (options->certificate_cache) {
    // Each worker parses the certificates it meets into a cache of its own:
    // with one shared cache, both workers copy the same Certificate objects
    // on every file and write the same reference counts.
    verifier.for_worker = [options] {
      auto own = std::make_shared<VerifyOptions>(*options);
      own->certificate_cache = std::make_shared<CertificateCache>(options->certificate_cache->capacity());
      return AttestationFileVerifier(std::move(own));
    };
  }
  verifier.verify = [options = std::move(options)](const std::string& source, std::string_view bytes) {
    return VerifyAttestationDocument(source, bytes, *options);
  };
  return verifier;
}

}  // namespace keyattest
