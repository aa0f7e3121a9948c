// Shared fixture for the MAA token tests: one fresh signing key in a JWKS,
// tokens from TokenBuilder, and helpers to read the report.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "keyattest/maa/maa_token.h"
#include "tests/support/jws_builder.h"

namespace keyattest::maa {

inline constexpr const char* kKid = "dRKh+hBcWUfQimSl3Iv6ZhStW3TSOt0ThwiTgUUqZAo=";

class MaaTokenTest : public ::testing::Test {
 protected:
  MaaTokenTest() : key_(testing::FreshRsaKey(2048)), jwks_(testing::JwksText({testing::MakeJwk(key_.get(), kKid)})) {}

  testing::TokenBuilder Builder() const { return testing::TokenBuilder(key_.get(), kKid); }

  static MaaTokenOptions Options(std::int64_t at_offset = 60, std::int64_t skew = 0) {
    MaaTokenOptions options;
    options.issuer = testing::kTestIssuer;
    options.time = CheckTime{testing::TestIat() + at_offset, skew, false};
    return options;
  }

  Report Run(const std::string& token, const MaaTokenOptions& options = Options()) const {
    return VerifyMaa(token, jwks_, options);
  }

  static std::string StatusOf(const Report& report, const std::string& id) {
    const CheckResult* c = report.Find(id);
    return c == nullptr ? "absent" : CheckStatusName(c->status);
  }

  static std::string DetailOf(const Report& report, const std::string& id) {
    const CheckResult* c = report.Find(id);
    return c == nullptr ? "" : c->detail;
  }

  EvpPkeyPtr key_;
  std::string jwks_;
};

}  // namespace keyattest::maa
