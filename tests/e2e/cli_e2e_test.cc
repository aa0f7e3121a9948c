// End-to-end runs of the built validate_attestation binary: exit codes and
// what a user sees.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/support/real_testdata.h"
#include "tests/unit/test_paths.h"

namespace keyattest {
namespace {

struct CliRun {
  int exit_code = -1;
  std::string out;  // stdout and stderr together
};

CliRun Exec(const std::string& args, const std::string& env = "NO_COLOR=1") {
  std::string cmd = env + " " + std::string(KEYATTEST_BINARY) + " " + args + " 2>&1";
  CliRun run;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return run;
  std::array<char, 4096> buf{};
  std::size_t n = 0;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) run.out.append(buf.data(), n);
  int status = pclose(p);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

std::string Sample(const std::string& name) { return testing::RepoSample(name); }

std::string WriteTemp(const std::string& name, const std::string& content) {
  std::string path = ::testing::TempDir() + name;
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

TEST(CliE2eTest, VerifiesRealSample) {
  CliRun r = Exec("-af " + Sample("azure-sdk-js-rsa2048"));
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(
      r.out.find("Attested key attributes for key 'keyAttestation' with version '677135ee91e64cdf1576e341c7168f54'"),
      std::string::npos);
  EXPECT_NE(r.out.find("Result: VERIFIED"), std::string::npos);
  EXPECT_EQ(r.out.find("\033["), std::string::npos) << "colour without a terminal";
}

TEST(CliE2eTest, LongOptionAndEqualsFormsWork) {
  EXPECT_EQ(Exec("--attestation-file " + Sample("azure-sdk-net-ec-p256")).exit_code, 0);
  EXPECT_EQ(Exec("-af=" + Sample("azure-sdk-net-ec-p256")).exit_code, 0);
}

TEST(CliE2eTest, ReadsStandardInput) {
  CliRun r = Exec("-af - < " + Sample("azure-sdk-net-oct-aes256"));
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("== - =="), std::string::npos);
}

TEST(CliE2eTest, VerboseShowsCertificatesAndEveryAttribute) {
  CliRun r = Exec("-af " + Sample("azure-sdk-js-rsa2048") + " --verbose");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("SPKI SHA-256: 78adcba1f38bee304bc44d6a086503f2940037d4b3d58a1bf66a3282ef58cd41"),
            std::string::npos);
  EXPECT_NE(r.out.find("OBJ_ATTR_MODULUS "), std::string::npos);
  EXPECT_NE(r.out.find("UNKNOWN_0x100001f5"), std::string::npos);
  EXPECT_NE(r.out.find("[debug] manufacturer chain: tolerating OpenSSL error 79"), std::string::npos);
}

TEST(CliE2eTest, TamperedBlobExitsOne) {
  std::string text = testing::ReadRepoSample("azure-sdk-js-rsa2048");
  auto pos = text.find("\"privateKeyAttestation\":\"") + 25 + 1500;
  text[pos] = text[pos] == 'A' ? 'B' : 'A';
  CliRun r = Exec("-af " + WriteTemp("tampered.json", text));
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("Result: FAILED"), std::string::npos);
}

TEST(CliE2eTest, AtTimeAfterExpiryExitsOne) {
  CliRun r = Exec("-af " + Sample("azure-cli-rsa2048") + " --at 2032-01-01T00:00:00Z");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("certificate has expired"), std::string::npos);
}

TEST(CliE2eTest, MarvellRootOptionReplacesAnchors) {
  std::string roots = std::string(KEYATTEST_REPO_TESTDATA) + "/roots/";
  EXPECT_EQ(
      Exec("-af " + Sample("azure-sdk-js-rsa2048") + " --marvell-root " + roots + "marvell-ls2-2024.pem").exit_code, 1);
  EXPECT_EQ(Exec("-af " + Sample("azure-sdk-js-rsa2048") + " --marvell-root " + roots + "marvell-ls1-localca-2024.pem")
                .exit_code,
            0);
}

TEST(CliE2eTest, MissingFileExitsThree) {
  CliRun r = Exec("-af /nonexistent/attestation.json");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.out.find("error: cannot open '/nonexistent/attestation.json': No such file or directory"),
            std::string::npos);
}

TEST(CliE2eTest, NotJsonExitsThree) {
  CliRun r = Exec("-af " + WriteTemp("notjson.json", "hello"));
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.out.find("not valid JSON"), std::string::npos);
}

TEST(CliE2eTest, BadBase64ExitsThree) {
  CliRun r =
      Exec("-af " +
           WriteTemp("b64.json", R"({"version":"MRVL-1","certificatePemFile":"@@","privateKeyAttestation":"AAAA"})"));
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.out.find("field 'certificatePemFile' is not base64"), std::string::npos);
}

TEST(CliE2eTest, RestApiExampleIsRejectedCleanly) {
  auto dir = testing::RealTestdataDir();
  if (!dir) GTEST_SKIP() << "../shared/testdata/real is absent; skipping the REST API example";
  CliRun r = Exec("-af " + (*dir / "azure-rest-api-example-fake/GetKeyAttestation-example.json").string());
  EXPECT_EQ(r.exit_code, 3) << r.out;
  // Its body, unwrapped, has truncated blobs and no version: still no crash.
  auto text = testing::ReadFileText(*dir / "azure-rest-api-example-fake/GetKeyAttestation-example.json");
  auto body = nlohmann::json::parse(text)["responses"]["200"]["body"];
  body["attributes"]["attestation"]["version"] = "MRVL-1";
  CliRun unwrapped = Exec("-af " + WriteTemp("example-body.json", body.dump()));
  EXPECT_EQ(unwrapped.exit_code, 3) << unwrapped.out;  // its base64 is truncated mid-group
}

TEST(CliE2eTest, UsageErrorsExitTwo) {
  EXPECT_EQ(Exec("").exit_code, 2);
  EXPECT_EQ(Exec("--no-such-option").exit_code, 2);
  CliRun r = Exec("-af " + Sample("azure-sdk-js-rsa2048") + " --at yesterday");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("--at: 'yesterday' is not an RFC 3339 time"), std::string::npos);
  EXPECT_EQ(Exec("-af " + Sample("azure-sdk-js-rsa2048") + " --marvell-root /nonexistent.pem").exit_code, 2);
}

TEST(CliE2eTest, HelpTeachesAndExitsZero) {
  CliRun r = Exec("--help");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("Exit codes:"), std::string::npos);
  EXPECT_NE(r.out.find("az rest --method get"), std::string::npos);
  EXPECT_NE(r.out.find("--attestation-file"), std::string::npos);
}

TEST(CliE2eTest, SeveralFilesExitWithTheWorst) {
  EXPECT_EQ(Exec("-af " + Sample("azure-sdk-js-rsa2048") + " -af " + Sample("azure-sdk-net-ec-p256")).exit_code, 0);
  std::string bad = WriteTemp("bad.json", "{}");
  CliRun r = Exec("-af " + Sample("azure-sdk-js-rsa2048") + " -af " + bad + " -af " + Sample("azure-cli-rsa2048"));
  EXPECT_EQ(r.exit_code, 3);
  // Reports appear in input order.
  EXPECT_LT(r.out.find("azure-sdk-js-rsa2048"), r.out.find("bad.json"));
  EXPECT_LT(r.out.find("bad.json"), r.out.find("azure-cli-rsa2048/attestation.json =="));
}

TEST(CliE2eTest, VersionFlag) {
  CliRun r = Exec("--version");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("validate_attestation 0.1.0"), std::string::npos);
}

}  // namespace
}  // namespace keyattest
