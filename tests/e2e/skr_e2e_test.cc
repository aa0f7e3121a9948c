// End-to-end runs of `validate_attestation release-policy` and
// `release-response`: exit codes and the lines a user sees.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "keyattest/core/bytes.h"
#include "keyattest/io/base64.h"
#include "tests/support/cli_run.h"
#include "tests/support/real_testdata.h"

namespace keyattest {
namespace {

namespace fs = std::filesystem;

using testing::CliRun;

CliRun Exec(const std::string& args) { return testing::RunBinary(KEYATTEST_BINARY, args); }

std::string WriteTemp(const std::string& name, const std::string& content) {
  const std::string path = ::testing::TempDir() + "skr_e2e_" + name;
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

bool Has(const CliRun& r, const std::string& text) { return r.out.find(text) != std::string::npos; }

std::optional<fs::path> MaaReal() {
  const auto real = testing::RealTestdataDir();
  if (!real) return std::nullopt;
  const fs::path dir = real->parent_path() / "maa-real";
  if (!fs::is_directory(dir)) return std::nullopt;
  return dir;
}

constexpr const char* kPolicy =
    R"({"version":"1.0.0","anyOf":[{"authority":"https://sharedneu.neu.attest.azure.net","allOf":[)"
    R"({"claim":"x-ms-sevsnpvm-hostdata","equals":"3c8a6b4b4ab4da4e29e3c4a8b8d3d7e8d8e1e2f5bb1c4a42e0da6b0e0e1d1c2f"},)"
    R"({"claim":"x-ms-sevsnpvm-vmpl","equals":"0"},{"claim":"x-ms-sevsnpvm-is-debuggable","equals":"false"}]}]})";

TEST(SkrCliTest, WellFormedPolicyExitsZeroAndLints) {
  const CliRun r = Exec("release-policy --policy " + WriteTemp("policy.json", kPolicy));
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_TRUE(Has(r, "PASS  policy.grammar")) << r.out;
  EXPECT_TRUE(Has(r, "Result: VERIFIED - the policy is well-formed")) << r.out;
}

TEST(SkrCliTest, GrammarViolationExitsThreeNamingThePath) {
  const CliRun r = Exec("release-policy --policy " +
                        WriteTemp("bad.json", R"({"version":"1.0.0","anyOf":[{"authority":"https://a","allOf":[]}]})"));
  EXPECT_EQ(r.exit_code, 3) << r.out;
  EXPECT_TRUE(Has(r, "Result: UNREADABLE - policy.grammar: /anyOf/0/allOf: must not be empty")) << r.out;
}

TEST(SkrCliTest, NotJsonExitsThree) {
  const CliRun r = Exec("release-policy --policy " + WriteTemp("notjson.json", "version: 1"));
  EXPECT_EQ(r.exit_code, 3) << r.out;
  EXPECT_TRUE(Has(r, "policy.format")) << r.out;
}

TEST(SkrCliTest, UsageErrorsExitTwo) {
  EXPECT_EQ(Exec("release-policy").exit_code, 2);
  EXPECT_EQ(Exec("release-policy --policy ''").exit_code, 2);
  const std::string policy = WriteTemp("p2.json", kPolicy);
  EXPECT_EQ(Exec("release-policy --policy " + policy + " --security-policy a --security-policy-b64 b").exit_code, 2);
  EXPECT_EQ(Exec("release-policy --policy /nonexistent/policy.json").exit_code, 3);
}

TEST(SkrCliTest, SecurityPolicyDigestMatchOrNot) {
  const std::string rego = "package policy\n\napi_svn := \"0.10.0\"\n";
  std::string digest = HexEncode(Sha256(ByteSpan(reinterpret_cast<const std::uint8_t*>(rego.data()), rego.size())));
  std::string policy = kPolicy;
  policy.replace(policy.find("3c8a6b4b"), 64, digest);
  const std::string policy_path = WriteTemp("hostdata.json", policy);
  const std::string rego_path = WriteTemp("policy.rego", rego);
  const CliRun ok = Exec("release-policy --policy " + policy_path + " --security-policy " + rego_path);
  EXPECT_EQ(ok.exit_code, 0) << ok.out;
  EXPECT_TRUE(Has(ok, "PASS  policy.hostdata")) << ok.out;
  std::string b64 = EncodeBase64Url(ByteSpan(reinterpret_cast<const std::uint8_t*>(rego.data()), rego.size()));
  for (char& c : b64) c = c == '-' ? '+' : c == '_' ? '/' : c;
  while (b64.size() % 4 != 0) b64 += '=';
  const CliRun cce =
      Exec("release-policy --policy " + policy_path + " --security-policy-b64 " + WriteTemp("cce.b64", b64 + "\n"));
  EXPECT_EQ(cce.exit_code, 0) << cce.out;
  const CliRun other = Exec("release-policy --policy " + policy_path + " --security-policy " +
                            WriteTemp("other.rego", rego + "# edited\n"));
  EXPECT_EQ(other.exit_code, 1) << other.out;
  EXPECT_TRUE(Has(other, "FAIL  policy.hostdata")) << other.out;
}

TEST(SkrCliTest, JsonOutputCarriesThePolicyFacts) {
  const CliRun r = Exec("release-policy --output json --policy " + WriteTemp("json.json", kPolicy));
  EXPECT_EQ(r.exit_code, 0) << r.out;
  const auto doc = nlohmann::json::parse(r.out);
  const auto& report = doc["files"][0];
  EXPECT_EQ(report["kind"], "release-policy");
  EXPECT_EQ(report["facts"]["policy"]["version"], "1.0.0");
}

TEST(SkrCliTest, RealSidecarTemplateAndDigest) {
  const auto dir = MaaReal();
  if (!dir) GTEST_SKIP() << "../shared/testdata/maa-real is absent (skip)";
  const CliRun tpl =
      Exec("release-policy --policy " + (*dir / "confidential-sidecar-containers/importkeyconfig.json").string());
  EXPECT_EQ(tpl.exit_code, 0) << tpl.out;
  EXPECT_TRUE(Has(tpl, "WARN  lint.placeholders")) << tpl.out;
  const CliRun digest =
      Exec("release-policy --policy " + (*dir / "skr-policy-vectors/p04_aci_style_hostdata.json").string() +
           " --security-policy-b64 " + (*dir / "confidential-sidecar-containers/uvm_security_policy.base64").string());
  EXPECT_EQ(digest.exit_code, 0) << digest.out;
  EXPECT_TRUE(Has(digest, "cadd74f71ebb8fbf9782baab649612520f3c416bc5ce9ac768808ddc8d9b031c")) << digest.out;
}

struct RealRun {
  std::string dir;
  std::string Path(const std::string& rel) const { return dir + "/" + rel; }
};

TEST(SkrCliTest, RealTokenExplainsWhyTheKeyIsNotReleased) {
  const auto dir = MaaReal();
  if (!dir) GTEST_SKIP() << "../shared/testdata/maa-real is absent (skip)";
  const RealRun d{dir->string()};
  const std::string token = " --token " + d.Path("jesserc-sevsnp-tee/cvm_guest_sharedeus2_2024-12-20.jwt") +
                            " --jwks " + d.Path("microsoft-ccf-sharedeus2-cert/sharedeus2_jwks_J0pA_constructed.json") +
                            " --issuer https://sharedeus2.eus2.attest.azure.net --at 2024-12-20T19:24:54Z";
  const CliRun fail =
      Exec("release-policy --policy " + d.Path("skr-policy-vectors/p03_cvm_toplevel_type_sevsnpvm.json") + token);
  EXPECT_EQ(fail.exit_code, 1) << fail.out;
  EXPECT_TRUE(Has(fail, "[FAIL] 1.1 x-ms-attestation-type equals 'sevsnpvm' (token: 'azurevm')")) << fail.out;
  EXPECT_TRUE(
      Has(fail, "[FAIL] 1.2 x-ms-compliance-status equals 'azure-compliant-cvm' (token: missing): claim missing"));
  EXPECT_TRUE(Has(fail, "PASS  token.signature"));
  const CliRun pass =
      Exec("release-policy --policy " + d.Path("skr-policy-vectors/p02_cvm_sharedeus2_nested_strict.json") + token);
  EXPECT_EQ(pass.exit_code, 0) << pass.out;
  EXPECT_TRUE(Has(pass, "[PASS] key released")) << pass.out;
  // The same token an hour after it expired: never evaluated.
  std::string late = token;
  late.replace(late.find("2024-12-20T19:24:54Z"), 20, "2024-12-21T03:24:54Z");
  const CliRun expired =
      Exec("release-policy --policy " + d.Path("skr-policy-vectors/p02_cvm_sharedeus2_nested_strict.json") + late);
  EXPECT_EQ(expired.exit_code, 1) << expired.out;
  EXPECT_TRUE(Has(expired, "SKIP  policy.evaluation     the token did not verify")) << expired.out;
  EXPECT_FALSE(Has(expired, "[PASS] key released"));
}

TEST(SkrCliTest, TokenOptionsGoTogether) {
  const std::string policy = WriteTemp("p3.json", kPolicy);
  EXPECT_EQ(Exec("release-policy --policy " + policy + " --token t.jwt").exit_code, 2);
  EXPECT_EQ(Exec("release-policy --policy " + policy + " --jwks j.json").exit_code, 2);
  EXPECT_EQ(Exec("release-policy --policy " + policy + " --token t.jwt --jwks j.json").exit_code, 2);
}

TEST(SkrCliTest, RealAkvResponse) {
  const auto dir = MaaReal();
  if (!dir) GTEST_SKIP() << "../shared/testdata/maa-real is absent (skip)";
  const RealRun d{dir->string()};
  const std::string response =
      "release-response --response " + d.Path("thomvanl-cvm-skr/akv_release_key_response_2022-12.json");
  const CliRun ok = Exec(response + " --vault skr-kvq6srllol2jntw.vault.azure.net --at 2022-12-24T00:00:00Z");
  EXPECT_EQ(ok.exit_code, 0) << ok.out;
  EXPECT_TRUE(Has(ok, "PASS  response.signature    RS256 by x5c[0] (RSA-2048)")) << ok.out;
  EXPECT_TRUE(Has(ok, "kid: TpmEphemeralEncryptionKey"));
  EXPECT_TRUE(Has(ok, "ciphertext: 2640 bytes (not shown)"));
  EXPECT_FALSE(Has(ok, "RftxvrWt7bWjt9HZhyGmtiszXT")) << "wrapped key material printed";
  const CliRun expired = Exec(response + " --vault skr-kvq6srllol2jntw.vault.azure.net --at 2023-09-19T00:00:00Z");
  EXPECT_EQ(expired.exit_code, 1) << expired.out;
  EXPECT_TRUE(Has(expired, "FAIL  response.chain")) << expired.out;
  const CliRun other_vault = Exec(response + " --vault other.vault.azure.net --at 2022-12-24T00:00:00Z");
  EXPECT_EQ(other_vault.exit_code, 1);
  EXPECT_TRUE(Has(other_vault, "FAIL  response.request_kid"));
  EXPECT_EQ(Exec(response + " --vault https://skr-kvq6srllol2jntw.vault.azure.net --at 2022-12-24T00:00:00Z").exit_code,
            2);
  // --root replaces the pinned root: a foreign root rejects the real chain.
  const CliRun foreign =
      Exec(response + " --vault skr-kvq6srllol2jntw.vault.azure.net --at 2022-12-24T00:00:00Z --root " +
           std::string(KEYATTEST_REPO_TESTDATA) + "/../certs/google-hawksbill-root-v1-prod.pem");
  EXPECT_EQ(foreign.exit_code, 1) << foreign.out;
  EXPECT_EQ(
      Exec(response + " --vault skr-kvq6srllol2jntw.vault.azure.net --root " + WriteTemp("notpem", "x")).exit_code, 2);
}

TEST(SkrCliTest, MalformedResponseExitsThree) {
  const CliRun r =
      Exec("release-response --vault v.vault.azure.net --response " + WriteTemp("resp", "{\"value\": \"a.b\"}"));
  EXPECT_EQ(r.exit_code, 3) << r.out;
  EXPECT_TRUE(Has(r, "response.format")) << r.out;
}

}  // namespace
}  // namespace keyattest
