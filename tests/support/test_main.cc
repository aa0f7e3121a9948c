// The test executables' main: OpenSSL set up exactly as the CLI sets it up
// (keyattest::InitializeCrypto), so the suite verifies under the same
// conditions as a real run.
#include <gtest/gtest.h>

#include "keyattest/crypto/crypto_init.h"

int main(int argc, char** argv) {
  keyattest::InitializeCrypto();
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
