// The real confidential-sidecar-containers report (docs/snp.md "Real
// data"): verified against the pinned ARK-Milan, then truncated and
// bit-flipped. Skipped when the shared corpus is absent.
#include <gtest/gtest.h>

#include "keyattest/amd/report_signature.h"
#include "keyattest/amd/snp_report.h"
#include "keyattest/core/byte_reader.h"
#include "keyattest/snp/checks.h"
#include "keyattest/snp/verifier.h"
#include "keyattest/x509/certificate.h"
#include "tests/support/real_testdata.h"

namespace keyattest::snp {
namespace {

class SnpRealDataTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::SharedTestdataDir("maa-real/confidential-sidecar-containers");
    if (!dir_) GTEST_SKIP() << "../shared/testdata/maa-real/confidential-sidecar-containers is absent";
    report_ = Read("snp_report.bin");
    pem_ = Read("uvm_host_amd_certificate.pem");
  }
  Bytes Read(const std::string& name) const {
    const std::string text = testing::ReadFileText(*dir_ / name);
    return Bytes(text.begin(), text.end());
  }
  SnpOptions Options(const std::string& at = "2024-01-01T00:00:00Z") const {
    SnpOptions o;
    o.check_time = CheckTime::FromOptions(at);
    o.report_source = "snp_report.bin";
    return o;
  }
  Report Verify(const Bytes& report, const SnpOptions& o) const { return VerifySnpReport(report, pem_, o); }

  std::optional<std::filesystem::path> dir_;
  Bytes report_;
  Bytes pem_;
};

TEST_F(SnpRealDataTest, VerifiesToThePinnedArkMilan) {
  const Report r = Verify(report_, Options());
  EXPECT_EQ(r.exit_code(), ExitCode::kVerified);
  EXPECT_EQ(r.Find(kChain.id)->detail,
            "VCEK <- SEV-Milan <- ARK-Milan (pinned SPKI 9f056bee44377e29...), valid at the check time; the leaf's "
            "missing authority key identifier (error 85) tolerated");
  EXPECT_EQ(r.facts["report"]["host_data"], "cadd74f71ebb8fbf9782baab649612520f3c416bc5ce9ac768808ddc8d9b031c");
  EXPECT_EQ(r.facts["report"]["policy"]["value"], "0x000000000003001f");
  EXPECT_EQ(r.facts["report"]["current_firmware"], "1.52 build 4");
  EXPECT_EQ(r.facts["vcek_extensions"]["product_name"], "Milan-B0");
  EXPECT_EQ(r.facts["certificates"][2]["sha256"], "69d063b45344d26a2e94e1f4210de49ef555308287d4c174445c95639a540bcd");
}

TEST_F(SnpRealDataTest, ThimJsonAndHexJsonFormsVerify) {
  const Report thim = VerifySnpReport(report_, Read("uvm_host_amd_certificate.json"), Options());
  EXPECT_EQ(thim.exit_code(), ExitCode::kVerified);
  EXPECT_EQ(thim.Find(kVcekExtensions.id)->status, CheckStatus::kPass);
  const std::string json = "{\"report\": \"" + HexEncode(report_) + "\"}";
  EXPECT_EQ(VerifySnpReport(AsBytes(json), pem_, Options()).exit_code(), ExitCode::kVerified);
}

TEST_F(SnpRealDataTest, RuntimeDataAndSecurityPolicyBind) {
  SnpOptions o = Options();
  o.runtime_data = Read("runtime_data.json");
  o.host_data = HostDataOfPolicyBase64(Read("uvm_security_policy.base64"));
  o.host_data_source = "the policy";
  const Report r = Verify(report_, o);
  EXPECT_EQ(r.exit_code(), ExitCode::kVerified);
  EXPECT_EQ(r.Find(kReportData.id)->status, CheckStatus::kPass);
  EXPECT_EQ(r.Find(kHostData.id)->status, CheckStatus::kPass);
  // Twins: the Rego text hashed without decoding, and other runtime data.
  o.host_data = HostDataOfPolicyText(Read("uvm_security_policy.base64"));
  o.runtime_data->push_back('\n');
  const Report bad = Verify(report_, o);
  EXPECT_EQ(bad.Find(kReportData.id)->status, CheckStatus::kFail);
  EXPECT_EQ(bad.Find(kHostData.id)->status, CheckStatus::kFail);
}

TEST_F(SnpRealDataTest, FailsOutsideTheVcekValidityAndUnderAnotherArk) {
  EXPECT_EQ(Verify(report_, Options("2029-11-29T01:55:57Z")).exit_code(), ExitCode::kVerificationFailed);
  EXPECT_EQ(Verify(report_, Options("2022-11-29T01:55:55Z")).exit_code(), ExitCode::kVerificationFailed);
  // OpenSSL counts the notAfter second itself as expired; the second before is valid.
  EXPECT_EQ(Verify(report_, Options("2029-11-29T01:55:55Z")).exit_code(), ExitCode::kVerified);
  EXPECT_EQ(Verify(report_, Options("2022-11-29T01:55:56Z")).exit_code(), ExitCode::kVerified);
  SnpOptions genoa = Options();
  const std::string ark = testing::ReadFileText(*dir_ / "../../amd-roots/genoa/ark.pem");
  genoa.amd_roots.emplace_back(ParseSinglePemCertificate(AsBytes(ark)));
  const Report r = Verify(report_, genoa);
  EXPECT_EQ(r.Find(kChain.id)->detail, "no trusted ARK-Milan issued SEV-Milan");
}

TEST_F(SnpRealDataTest, EveryTruncationIsMalformed) {
  for (std::size_t n = 0; n < report_.size(); ++n) {
    const Bytes prefix(report_.begin(), report_.begin() + static_cast<std::ptrdiff_t>(n));
    EXPECT_THROW(amd::ParseSnpReport(prefix), ParseError) << n;
    if (n % 37 == 0) {
      EXPECT_EQ(Verify(prefix, Options()).exit_code(), ExitCode::kUnreadable) << n;
    }
  }
}

TEST_F(SnpRealDataTest, EveryBitFlipInTheSignedAreaBreaksTheSignature) {
  const PemBundle bundle = ParsePemBundle(pem_);
  EVP_PKEY* vcek = bundle.certificates[0].public_key();
  ASSERT_EQ(amd::VerifySnpReportSignature(amd::ParseSnpReport(report_), vcek), "");
  for (std::size_t byte = 0; byte < amd::kSnpSignedSize; ++byte) {
    for (int bit = 0; bit < 8; ++bit) {
      Bytes flipped = report_;
      flipped[byte] ^= static_cast<std::uint8_t>(1U << bit);
      EXPECT_NE(amd::VerifySnpReportSignature(amd::ParseSnpReport(flipped), vcek), "") << byte << ":" << bit;
    }
  }
  // The whole verifier refuses one flip per byte too.
  for (std::size_t byte = 0; byte < amd::kSnpSignedSize; byte += 7) {
    Bytes flipped = report_;
    flipped[byte] ^= 0x10;
    EXPECT_NE(Verify(flipped, Options()).exit_code(), ExitCode::kVerified) << byte;
  }
}

TEST_F(SnpRealDataTest, EveryBitFlipInRAndSFailsAndInTheRestIsMalformed) {
  const PemBundle bundle = ParsePemBundle(pem_);
  EVP_PKEY* vcek = bundle.certificates[0].public_key();
  for (std::size_t byte = amd::kSnpSignedSize; byte < amd::kSnpReportSize; ++byte) {
    for (int bit = 0; bit < 8; ++bit) {
      Bytes flipped = report_;
      flipped[byte] ^= static_cast<std::uint8_t>(1U << bit);
      const amd::SnpReport parsed = amd::ParseSnpReport(flipped);
      if (byte < 0x330) {
        EXPECT_NE(amd::VerifySnpReportSignature(parsed, vcek), "") << byte << ":" << bit;
      } else {
        EXPECT_EQ(amd::ValidateSnpReportFormat(parsed).size(), 1u) << byte << ":" << bit;
      }
    }
  }
}

TEST_F(SnpRealDataTest, EveryBitFlipInAReservedFieldIsMalformed) {
  const std::pair<std::size_t, std::size_t> reserved[] = {
      {0x04C, 0x050}, {0x188, 0x1A0}, {0x1EB, 0x1EC}, {0x1EF, 0x1F0}, {0x1F8, 0x2A0}};
  for (const auto& [lo, hi] : reserved) {
    for (std::size_t byte = lo; byte < hi; ++byte) {
      for (int bit = 0; bit < 8; ++bit) {
        Bytes flipped = report_;
        flipped[byte] ^= static_cast<std::uint8_t>(1U << bit);
        EXPECT_EQ(amd::ValidateSnpReportFormat(amd::ParseSnpReport(flipped)).size(), 1u) << byte << ":" << bit;
      }
    }
    Bytes flipped = report_;
    flipped[lo] ^= 1;
    EXPECT_EQ(Verify(flipped, Options()).exit_code(), ExitCode::kUnreadable) << lo;
  }
}

}  // namespace
}  // namespace keyattest::snp
