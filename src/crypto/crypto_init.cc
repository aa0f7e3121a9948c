#include "keyattest/crypto/crypto_init.h"

#include <openssl/crypto.h>

#include "keyattest/crypto/openssl_ptr.h"

namespace keyattest {

void InitializeCrypto() {
  constexpr std::uint64_t kOptions =
      OPENSSL_INIT_NO_LOAD_CONFIG | OPENSSL_INIT_NO_ATEXIT | OPENSSL_INIT_NO_ADD_ALL_CIPHERS;
  CheckOpenSsl(OPENSSL_init_crypto(kOptions, nullptr) == 1, "OPENSSL_init_crypto");
}

}  // namespace keyattest
