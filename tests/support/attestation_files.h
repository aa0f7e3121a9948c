// Test helpers that read key-attestation inputs from files the way the
// command line does: through the one file reader (io/input_file.h) and the
// batch's FileVerifier, so tests exercise the real edge, not a shortcut.
#pragma once

#include <string>

#include "keyattest/key_attestation/expected_key.h"
#include "keyattest/key_attestation/verifier.h"
#include "keyattest/run/file_verifier.h"

namespace keyattest {

/// Reads `path` ("-" = stdin) and verifies it as the default command does
/// for each file: an unreadable file is a report with input_error.
Report VerifyAttestationFile(const std::string& path, const VerifyOptions& options);

/// The batch's verifier of attestation files with a copy of `options`.
FileVerifier AttestationFiles(const VerifyOptions& options);

/// An attestation document's bytes, with the command's size limit.
std::string ReadAttestationInput(const std::string& path);

/// A --key file: read, then ParseExpectedKeyText. Throws KeyError (also for
/// an unreadable file).
ExpectedKey LoadExpectedKeyFile(const std::string& path);

}  // namespace keyattest
