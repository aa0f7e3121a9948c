#include "keyattest/run/file_verifier.h"

#include <exception>

#include "keyattest/core/errors.h"
#include "keyattest/io/input_file.h"

namespace keyattest {

Report VerifyFile(const std::string& path, const FileVerifier& verifier) {
  std::string buffer;
  return VerifyFile(path, verifier, buffer);
}

Report VerifyFile(const std::string& path, const FileVerifier& verifier, std::string& buffer) {
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

}  // namespace keyattest
