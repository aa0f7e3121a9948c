// Process-wide OpenSSL set-up for verification.
#pragma once

namespace keyattest {

/// Initialises OpenSSL once per process, before any other keyattest call
/// (later calls do nothing):
///  - the host's openssl.cnf is not read: a verdict must not depend on it
///    (it may load other providers or change defaults);
///  - no teardown at exit: the process is short-lived and exits right after
///    its output;
///  - OpenSSL's legacy table of symmetric ciphers is not built: verification
///    uses no cipher, and building the table costs about 0.2 ms of a 3 ms run.
///    (The digest table stays: certificate signature checks look digests up
///    by their legacy names.)
/// Throws CryptoError when OpenSSL cannot be initialised.
void InitializeCrypto();

}  // namespace keyattest
