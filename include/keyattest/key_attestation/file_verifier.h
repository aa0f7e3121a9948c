// The key-attestation verifier as a batch (run/batch.h) takes it.
#pragma once

#include <memory>

#include "keyattest/key_attestation/verifier.h"
#include "keyattest/run/file_verifier.h"

namespace keyattest {

/// Attestation documents (Azure or Google JSON, at most kMaxInputFileBytes)
/// verified with `options`, which the verifier keeps alive.
FileVerifier AttestationFileVerifier(std::shared_ptr<const VerifyOptions> options);

}  // namespace keyattest
