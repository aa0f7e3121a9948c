// The process runs under keyattest::InitializeCrypto (tests/support/test_main.cc),
// as the CLI does: what it leaves out and what verification still needs.
#include "keyattest/crypto/crypto_init.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>

namespace keyattest {
namespace {

TEST(CryptoInitTest, LegacyCipherTableIsNotBuilt) {
  InitializeCrypto();  // again: a no-op
  EXPECT_EQ(EVP_get_cipherbyname("AES-128-CBC"), nullptr);
}

TEST(CryptoInitTest, DigestsStillResolveByLegacyName) {
  // Certificate signature checks look the digest up by its legacy name.
  EXPECT_NE(EVP_get_digestbyname("SHA256"), nullptr);
  EXPECT_NE(EVP_get_digestbyname("SHA384"), nullptr);
  EXPECT_NE(EVP_get_digestbyname("SHA512"), nullptr);
}

}  // namespace
}  // namespace keyattest
