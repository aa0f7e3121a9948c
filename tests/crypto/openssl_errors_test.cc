// The one OpenSSL result helper: a success leaves the error queue empty, and
// a failure names only its own errors, never a stale entry.
#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include <string>

#include "keyattest/core/errors.h"
#include "keyattest/crypto/openssl_ptr.h"

namespace keyattest {
namespace {

void PushStaleError() {
  ERR_raise(ERR_LIB_EVP, EVP_R_UNSUPPORTED_ALGORITHM);
  ASSERT_NE(ERR_peek_error(), 0u);
}

TEST(OpenSslErrorsTest, ClearingEmptiesAQueueWithEntriesAndKeepsAnEmptyOneEmpty) {
  ClearOpenSslErrors();
  EXPECT_EQ(ERR_peek_error(), 0u);
  PushStaleError();
  PushStaleError();
  ClearOpenSslErrors();
  EXPECT_EQ(ERR_peek_error(), 0u);
  EXPECT_EQ(DrainOpenSslErrors(), "");
}

TEST(OpenSslErrorsTest, ASuccessClearsAStaleEntry) {
  PushStaleError();
  CheckOpenSsl(true, "EVP_something");
  EXPECT_EQ(ERR_peek_error(), 0u);
}

TEST(OpenSslErrorsTest, AFailureAfterASuccessNamesOnlyItsOwnError) {
  PushStaleError();
  CheckOpenSsl(true, "EVP_first");
  ERR_raise(ERR_LIB_EVP, EVP_R_INVALID_KEY);
  try {
    CheckOpenSsl(false, "EVP_second");
    FAIL() << "a failure did not throw";
  } catch (const CryptoError& e) {
    const std::string what = e.what();
    EXPECT_EQ(what.rfind("EVP_second failed: error:", 0), 0u) << what;
    EXPECT_NE(what.find("invalid key"), std::string::npos) << what;
    EXPECT_EQ(what.find("unsupported algorithm"), std::string::npos) << what;
  }
  EXPECT_EQ(ERR_peek_error(), 0u);
}

}  // namespace
}  // namespace keyattest
