#include "tests/support/attestation_files.h"

#include <memory>

#include "keyattest/io/input_file.h"
#include "keyattest/key_attestation/file_verifier.h"

namespace keyattest {

FileVerifier AttestationFiles(const VerifyOptions& options) {
  return AttestationFileVerifier(std::make_shared<const VerifyOptions>(options));
}

Report VerifyAttestationFile(const std::string& path, const VerifyOptions& options) {
  return VerifyFile(path, AttestationFiles(options));
}

std::string ReadAttestationInput(const std::string& path) {
  return ReadInputFile(path, kMaxInputFileBytes, kAttestationDocumentInput);
}

ExpectedKey LoadExpectedKeyFile(const std::string& path) {
  std::string text;
  try {
    text = ReadInputFile(path, kMaxInputFileBytes, "a key file");
  } catch (const InputError& e) {
    throw KeyError(e.what());
  }
  return ParseExpectedKeyText(text, path);
}

}  // namespace keyattest
