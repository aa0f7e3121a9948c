// The --version text. The git commit is baked in at configure time
// (KEYATTEST_GIT_COMMIT), so only this file is rebuilt when it changes.
#include <openssl/crypto.h>
#include <openssl/opensslv.h>

#include "cli/command.h"
#include "keyattest/version.h"
#include "keyattest/x509/trust_anchors.h"

#ifndef KEYATTEST_GIT_COMMIT
#define KEYATTEST_GIT_COMMIT "unknown"
#endif

namespace keyattest::cli {

std::string VersionText() {
  return std::string("validate_attestation ") + kVersion + "\n" + "commit " + KEYATTEST_GIT_COMMIT + "\n" + "OpenSSL " +
         OpenSSL_version(OPENSSL_VERSION_STRING) + " at run time (built with " + OPENSSL_VERSION_TEXT + ")\n" +
         std::to_string(BuiltinPins().size()) +
         " compiled-in trust anchors, pinned by SPKI SHA-256 ('validate_attestation roots' lists them)";
}

}  // namespace keyattest::cli
