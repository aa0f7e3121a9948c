// End-to-end runs of `validate_attestation snp` (docs/snp.md): exit codes
// and the lines a user sees, on the real sidecar report (skipped when the
// shared corpus is absent) and on synthetic evidence.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/support/cli_run.h"
#include "tests/support/real_testdata.h"
#include "tests/support/snp_builder.h"

namespace keyattest {
namespace {

using testing::CliRun;

CliRun Snp(const std::string& args) { return testing::RunBinary(KEYATTEST_BINARY, "snp " + args); }

std::string WriteTemp(const std::string& name, const std::string& content) {
  std::string path = ::testing::TempDir() + "snp_e2e_" + name;
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

bool Has(const CliRun& r, const std::string& text) { return r.out.find(text) != std::string::npos; }

class SnpRealE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::SharedTestdataDir("maa-real/confidential-sidecar-containers");
    if (!dir_) GTEST_SKIP() << "../shared/testdata/maa-real/confidential-sidecar-containers is absent";
  }
  std::string F(const std::string& name) const { return (*dir_ / name).string(); }
  std::string Base() const {
    return "--report " + F("snp_report.bin") + " --certs " + F("uvm_host_amd_certificate.pem") +
           " --at 2024-01-01T00:00:00Z";
  }
  std::optional<std::filesystem::path> dir_;
};

TEST_F(SnpRealE2eTest, VerifiesWithEveryBinding) {
  CliRun r = Snp(Base() + " --runtime-data " + F("runtime_data.json") + " --security-policy-b64 " +
                 F("uvm_security_policy.base64") + " --min-tcb 3.0.8.115");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_TRUE(Has(r, "PASS  report.report_data")) << r.out;
  EXPECT_TRUE(Has(r, "PASS  report.host_data"));
  EXPECT_TRUE(Has(r, "  host_data: cadd74f71ebb8fbf9782baab649612520f3c416bc5ce9ac768808ddc8d9b031c"));
  EXPECT_TRUE(Has(r, "Result: VERIFIED"));
}

TEST_F(SnpRealE2eTest, ThimJsonAndJsonOutput) {
  CliRun r = Snp("--report " + F("snp_report.bin") + " --certs " + F("uvm_host_amd_certificate.json") +
                 " --at 2024-01-01T00:00:00Z --output json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const nlohmann::json doc = nlohmann::json::parse(r.out);
  const nlohmann::json& report = doc["files"][0];
  EXPECT_EQ(report["kind"], "snp");
  EXPECT_EQ(report["verdict"], "verified");
  EXPECT_EQ(report["facts"]["input"]["certificates_form"], "THIM JSON");
  EXPECT_EQ(report["facts"]["report"]["chip_id"].get<std::string>().substr(0, 8), "b12164b4");
}

TEST_F(SnpRealE2eTest, FailuresHaveTheirExitCodes) {
  EXPECT_EQ(Snp(Base() + " --vmpl 1").exit_code, 1);
  EXPECT_EQ(Snp(Base() + " --min-tcb 3.0.9.0").exit_code, 1);
  EXPECT_EQ(Snp(Base() + " --host-data " + std::string(64, '0')).exit_code, 1);
  CliRun late = Snp("--report " + F("snp_report.bin") + " --certs " + F("uvm_host_amd_certificate.pem") +
                    " --at 2030-01-01T00:00:00Z");
  EXPECT_EQ(late.exit_code, 1);
  EXPECT_TRUE(Has(late, "certificate has expired (error 10, depth 0"));
  CliRun genoa = Snp(Base() + " --amd-root " + F("../../amd-roots/genoa/ark.pem"));
  EXPECT_EQ(genoa.exit_code, 1);
  EXPECT_TRUE(Has(genoa, "no trusted ARK-Milan issued SEV-Milan"));
  EXPECT_EQ(Snp(Base() + " --amd-root " + F("../../amd-roots/milan/ark.pem")).exit_code, 0);
}

TEST_F(SnpRealE2eTest, UsageErrorsExitTwo) {
  CliRun both = Snp(Base() + " --host-data " + std::string(64, '0') + " --security-policy " + F("runtime_data.json"));
  EXPECT_EQ(both.exit_code, 2) << both.out;
  EXPECT_TRUE(Has(both, "excludes"));
  EXPECT_EQ(Snp(Base() + " --host-data cadd").exit_code, 2);
  EXPECT_EQ(Snp(Base() + " --min-tcb 1.2.3").exit_code, 2);
  EXPECT_EQ(Snp(Base() + " --vmpl 4").exit_code, 2);
  EXPECT_EQ(Snp(Base() + " --amd-root " + F("runtime_data.json")).exit_code, 2);
  EXPECT_EQ(Snp(Base() + " --security-policy-b64 " + F("runtime_data.json")).exit_code, 2);
  EXPECT_EQ(Snp("--report " + F("snp_report.bin")).exit_code, 2);
}

TEST_F(SnpRealE2eTest, MalformedInputsExitThree) {
  std::string report = testing::ReadFileText(F("snp_report.bin"));
  CliRun truncated = Snp("--report " + WriteTemp("short.bin", report.substr(0, 1000)) + " --certs " +
                         F("uvm_host_amd_certificate.pem") + " --at 2024-01-01T00:00:00Z");
  EXPECT_EQ(truncated.exit_code, 3) << truncated.out;
  EXPECT_TRUE(Has(truncated,
                  "Result: UNREADABLE - report.format: report at offset 0: an SNP attestation report is "
                  "exactly 1184 bytes; this input is 1000"));
  CliRun odd = Snp("--report " + WriteTemp("odd.json", "{\"report\": \"abc\"}") + " --certs " +
                   F("uvm_host_amd_certificate.pem"));
  EXPECT_EQ(odd.exit_code, 3);
  report[0x4C] = 1;
  EXPECT_EQ(Snp("--report " + WriteTemp("reserved.bin", report) + " --certs " + F("uvm_host_amd_certificate.pem") +
                " --at 2024-01-01T00:00:00Z")
                .exit_code,
            3);
  EXPECT_EQ(Snp("--report /nonexistent/report.bin --certs " + F("uvm_host_amd_certificate.pem")).exit_code, 3);
  EXPECT_EQ(Snp("--report " + F("snp_report.bin") + " --certs " + F("runtime_data.json")).exit_code, 3);
}

TEST(SnpE2eTest, DebugGuestsNeedAllowDebug) {
  const testing::SnpTestPki pki = testing::MakeSnpTestPki();
  const Bytes report = testing::SnpReportBuilder().Policy(0x3001fULL | (1ULL << 19)).SignedWith(pki.vcek_key.get());
  const std::string args = "--report " + WriteTemp("debug.bin", std::string(report.begin(), report.end())) +
                           " --certs " + WriteTemp("debug.pem", pki.BundlePem()) + " --amd-root " +
                           WriteTemp("ark.pem", pki.ArkPem()) + " --at 2024-01-01T00:00:00Z";
  CliRun refused = Snp(args);
  EXPECT_EQ(refused.exit_code, 1) << refused.out;
  EXPECT_TRUE(Has(refused, "FAIL  report.policy"));
  CliRun allowed = Snp(args + " --allow-debug");
  EXPECT_EQ(allowed.exit_code, 0) << allowed.out;
  EXPECT_TRUE(Has(allowed, "WARN  report.policy"));
}

TEST(SnpE2eTest, AVcekWithAnExplicitCriticalFalseIsMalformed) {
  // The forged VCEK differs from the genuine one only by `critical FALSE`
  // written out in its first extension, and is signed again by the ASK.
  testing::SnpPkiOptions options;
  options.vcek_explicit_critical_false = true;
  const testing::SnpTestPki forged = testing::MakeSnpTestPki(options);
  const testing::SnpTestPki genuine = testing::MakeSnpTestPki();
  const Bytes report = testing::SnpReportBuilder().SignedWith(genuine.vcek_key.get());
  const std::string report_arg =
      "--report " + WriteTemp("explicit-default.bin", std::string(report.begin(), report.end()));
  const auto run = [&report_arg](const testing::SnpTestPki& pki, const std::string& name) {
    return Snp(report_arg + " --certs " + WriteTemp(name + ".pem", pki.BundlePem()) + " --amd-root " +
               WriteTemp(name + "-ark.pem", pki.ArkPem()) + " --at 2024-01-01T00:00:00Z");
  };
  CliRun refused = run(forged, "explicit-default-forged");
  EXPECT_EQ(refused.exit_code, 3) << refused.out;
  EXPECT_TRUE(Has(refused,
                  "Result: UNREADABLE - certs.chain: the PEM bundle: certificate bundle: block 1 is not canonical "
                  "DER: extension 1 (1.3.6.1.4.1.3704.1.1) encodes critical FALSE explicitly; DER forbids encoding "
                  "a DEFAULT value (X.690 11.5), so a non-critical extension omits the field"))
      << refused.out;
  CliRun twin = run(genuine, "explicit-default-genuine");
  EXPECT_EQ(twin.exit_code, 0) << twin.out;
  EXPECT_TRUE(Has(twin, "Result: VERIFIED")) << twin.out;
}

TEST(SnpE2eTest, HelpTeachesTheOptions) {
  CliRun r = Snp("--help");
  EXPECT_EQ(r.exit_code, 0);
  for (const char* option : {"--report", "--certs", "--amd-root", "--vmpl", "--allow-debug", "--runtime-data",
                             "--security-policy", "--security-policy-b64", "--host-data", "--min-tcb", "Examples:"}) {
    EXPECT_TRUE(Has(r, option)) << option;
  }
}

}  // namespace
}  // namespace keyattest
