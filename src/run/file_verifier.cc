#include "keyattest/run/file_verifier.h"

#include <exception>

#include "keyattest/core/errors.h"
#include "keyattest/io/input_file.h"

namespace keyattest {

namespace {

/// The most a worker's buffer keeps between files: far above an attestation
/// document (about 12 KB), so a batch of them never allocates after its first
/// file, while one unusually large file (up to the reader's limit) does not
/// keep its memory for the rest of the batch.
constexpr std::size_t kKeptBufferBytes = std::size_t{1} << 20;

Report ReadAndVerify(const std::string& path, const FileVerifier& verifier, std::string& buffer) {
  try {
    ReadInputFileInto(path, verifier.max_bytes, verifier.what, buffer);
  } catch (const InputError& e) {
    Report report = verifier.new_report();
    report.source = path;
    report.input_error = e.what();
    return report;
  }
  try {
    return verifier.verify(path, buffer);
  } catch (const std::exception& e) {
    // The verifier promised not to throw: this is a bug, reported for this
    // one file (exit 5), never a crash of the batch or a silent pass.
    Report report = verifier.new_report();
    report.source = path;
    report.FailInternal(e.what());
    return report;
  }
}

}  // namespace

Report VerifyFile(const std::string& path, const FileVerifier& verifier) {
  std::string buffer;
  return VerifyFile(path, verifier, buffer);
}

Report VerifyFile(const std::string& path, const FileVerifier& verifier, std::string& buffer) {
  Report report = ReadAndVerify(path, verifier, buffer);
  if (buffer.capacity() > kKeptBufferBytes) std::string().swap(buffer);
  return report;
}

}  // namespace keyattest
