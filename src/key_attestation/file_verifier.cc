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
  verifier.verify = [options = std::move(options)](const std::string& source, std::string_view bytes) {
    return VerifyAttestationDocument(source, bytes, *options);
  };
  return verifier;
}

}  // namespace keyattest
