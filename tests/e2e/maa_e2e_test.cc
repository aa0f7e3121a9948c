// End-to-end runs of `validate_attestation maa` and `maa-policy`: exit codes
// and the lines a user sees (docs/maa.md).
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/support/cli_run.h"
#include "tests/support/jws_builder.h"
#include "tests/support/real_testdata.h"
#include "tests/support/test_keys.h"

namespace keyattest {
namespace {

using testing::CliRun;

CliRun Exec(const std::string& args) { return testing::RunBinary(KEYATTEST_BINARY, "" + args); }

std::string WriteTemp(const std::string& name, const std::string& content) {
  return testing::WriteTempFile("maa_e2e_" + name, content);
}

class MaaE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    key_ = testing::FreshRsaKey(2048);
    jwks_ = WriteTemp("maa_jwks.json", testing::JwksText({testing::MakeJwk(key_.get(), "k1")}));
    token_ = WriteTemp("maa_token.jwt", testing::TokenBuilder(key_.get(), "k1").Build() + "\n");
  }
  std::string Args(const std::string& extra = "") const {
    return "maa --token " + token_ + " --jwks " + jwks_ + " --issuer " + testing::kTestIssuer +
           " --at 2030-01-01T00:01:00Z " + extra;
  }

  EvpPkeyPtr key_;
  std::string jwks_;
  std::string token_;
};

TEST_F(MaaE2eTest, VerifiedTokenExitsZeroAndShowsChecksAndClaims) {
  const CliRun r = Exec(Args("--require-claim x-ms-sevsnpvm-vmpl=0"));
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("PASS  token.signature"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("PASS  claim.x-ms-sevsnpvm-vmpl"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("x-ms-sevsnpvm-is-debuggable: false"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Result: VERIFIED"), std::string::npos) << r.out;
}

TEST_F(MaaE2eTest, TokenFromStandardInput) {
  const CliRun r = Exec("maa --token - --jwks " + jwks_ + " --issuer " + testing::kTestIssuer +
                        " --at 2030-01-01T00:01:00Z < " + token_);
  EXPECT_EQ(r.exit_code, 0) << r.out;
}

TEST_F(MaaE2eTest, UsageErrorsExitTwo) {
  EXPECT_EQ(Exec("maa --token " + token_ + " --jwks " + jwks_).exit_code, 2) << "no --issuer";
  EXPECT_EQ(Exec("maa --token " + token_ + " --jwks " + jwks_ + " --issuer ''").exit_code, 2);
  EXPECT_EQ(Exec(Args("--require-claim novalue")).exit_code, 2);
  EXPECT_EQ(Exec(Args("--require-claim a..b=1")).exit_code, 2);
  EXPECT_EQ(Exec(Args("--require-claim a=")).exit_code, 2);
  EXPECT_EQ(Exec(Args("--skew -1")).exit_code, 2);
  EXPECT_EQ(Exec(Args("--skew 86401")).exit_code, 2);
}

TEST_F(MaaE2eTest, SkewIsReportedAndWidensTheWindow) {
  const std::string late =
      "maa --token " + token_ + " --jwks " + jwks_ + " --issuer " + testing::kTestIssuer + " --at 2030-01-01T08:00:30Z";
  EXPECT_EQ(Exec(late).exit_code, 1);
  const CliRun r = Exec(late + " --skew 60");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("skew 60 s"), std::string::npos) << r.out;
}

TEST_F(MaaE2eTest, ExitCodesForMalformedTokenUnusableJwksAndBadSignature) {
  const std::string malformed = WriteTemp("maa_bad.jwt", "not.a.token!\n");
  EXPECT_EQ(Exec("maa --token " + malformed + " --jwks " + jwks_ + " --issuer x").exit_code, 3);
  const std::string dup = WriteTemp(
      "maa_dup.json", testing::JwksText({testing::MakeJwk(key_.get(), "k1"), testing::MakeJwk(key_.get(), "k1")}));
  const CliRun r = Exec("maa --token " + token_ + " --jwks " + dup + " --issuer " + testing::kTestIssuer +
                        " --at 2030-01-01T00:01:00Z");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("FAIL  jwks.key"), std::string::npos) << r.out;
  EvpPkeyPtr other = testing::LoadTestKey(testing::TestKeyId::kOtherPartitionRsa2048);
  const std::string forged = WriteTemp("maa_forged.jwt", testing::TokenBuilder(other.get(), "k1").Build());
  EXPECT_EQ(Exec("maa --token " + forged + " --jwks " + jwks_ + " --issuer " + testing::kTestIssuer +
                 " --at 2030-01-01T00:01:00Z")
                .exit_code,
            1);
  EXPECT_EQ(Exec("maa --token /nonexistent.jwt --jwks " + jwks_ + " --issuer x").exit_code, 3);
}

TEST_F(MaaE2eTest, JsonOutputCarriesTheClaims) {
  const CliRun r = Exec(Args("--output json"));
  EXPECT_EQ(r.exit_code, 0) << r.out;
  const auto doc = nlohmann::json::parse(r.out);
  const std::string text = doc.dump();
  EXPECT_NE(text.find("\"x-ms-sevsnpvm-vmpl\":0"), std::string::npos) << text;
  EXPECT_NE(text.find("\"token.signature\""), std::string::npos) << text;
}

TEST_F(MaaE2eTest, ClaimsFlagPrintsEveryClaim) {
  const CliRun r = Exec(Args("--claims"));
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("claims:"), std::string::npos) << r.out;
  EXPECT_EQ(Exec(Args()).out.find("claims:"), std::string::npos);
}

TEST_F(MaaE2eTest, HelpTeachesWithExamples) {
  const CliRun r = Exec("maa --help");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("--require-claim"), std::string::npos);
  EXPECT_NE(r.out.find("Examples:"), std::string::npos);
  EXPECT_NE(Exec("maa-policy --help").out.find("--expect-hash"), std::string::npos);
}

TEST(MaaPolicyE2eTest, OptionCombinationsAreChecked) {
  const std::string jws = WriteTemp("policy.jws", "a.b.c");
  EXPECT_EQ(Exec("maa-policy --policy-jws " + jws + " --result-token " + jws).exit_code, 2);
  EXPECT_EQ(Exec("maa-policy --policy-jws " + jws + " --jwks " + jws).exit_code, 2);
  EXPECT_EQ(Exec("maa-policy --policy-jws " + jws + " --signer " + jws).exit_code, 2);
  EXPECT_EQ(Exec("maa-policy --policy-jws " + jws).exit_code, 3);
}

TEST(MaaPolicyE2eTest, RealPolicyPrintsItsText) {
  const auto dir = testing::SharedTestdataDir("maa-policy-mgmt");
  if (!dir) GTEST_SKIP() << "../shared/testdata/maa-policy-mgmt is absent";
  const CliRun r = Exec("maa-policy --policy-jws " + (*dir / "set_policy_request_body_2021-05-07.jws").string() +
                        " --expect-hash h6bWT3Mqp8UQ2ciVtxhlk3WsMH8cnFgEjpEcfA6ySs4");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("policy_text: version=1.0; authorizationrules{=> permit();}; issuancerules{};"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("WARN  policy_jws.signature"), std::string::npos) << r.out;
}

TEST(MaaRealE2eTest, RealTokenVerifiesAndFailsAfterExpiry) {
  const auto dir = testing::SharedTestdataDir("maa-real");
  if (!dir) GTEST_SKIP() << "../shared/testdata/maa-real is absent";
  const std::string args = "maa --token " + (*dir / "thomvanl-cvm-skr/cvm_guest_sharedweu_2022-12-23.jwt").string() +
                           " --jwks " + (*dir / "thomvanl-cvm-skr/sharedweu_certs_snapshot_2023.json").string() +
                           " --issuer https://sharedweu.weu.attest.azure.net";
  const CliRun ok = Exec(args + " --at 2022-12-24T00:00:18Z");
  EXPECT_EQ(ok.exit_code, 0) << ok.out;
  EXPECT_NE(ok.out.find("x-ms-azurevm-vmid: 6506B531-1634-431E-99D2-42B7D3414AD0"), std::string::npos);
  EXPECT_EQ(Exec(args + " --at 2026-11-30T00:00:00Z").exit_code, 1);
}

}  // namespace
}  // namespace keyattest
