// The start-up bound of a single-file run: a process that does nothing but
// what any verifier that links libcrypto shared must do before its first
// check: load libcrypto, initialise it and fetch one digest (which loads the
// default provider). bench/run.sh times it alternating with the reference
// tool, as it times validate_attestation: the speed-up this process reaches
// is the most any such tool can reach on the machine. Built like
// validate_attestation (PIE, full RELRO, libstdc++ bound in).
// Usage: keyattest_libcrypto_start   (exit 0 when the fetch succeeded)
#include <openssl/crypto.h>
#include <openssl/evp.h>

int main() {
  if (OPENSSL_init_crypto(0, nullptr) != 1) return 1;
  EVP_MD* sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  const int status = sha256 != nullptr ? 0 : 1;
  EVP_MD_free(sha256);
  return status;
}
