// Text and JSON are two renderings of one report: the same checks, in the
// same order, and nothing printed that the JSON lacks.
#include <gtest/gtest.h>

#include "keyattest/key_attestation/verifier.h"
#include "keyattest/report/json_renderer.h"
#include "keyattest/report/text_renderer.h"
#include "tests/support/attestation_files.h"
#include "tests/support/test_paths.h"

namespace keyattest {
namespace {

TEST(JsonOutputTest, MirrorsTheReport) {
  Report r = VerifyAttestationFile(testing::RepoSample("azure-cli-rsa2048"), DefaultVerifyOptions());
  nlohmann::json doc = nlohmann::json::parse(RenderJsonDocument({r}));
  EXPECT_EQ(doc["tool"], "validate_attestation");
  EXPECT_EQ(doc["schema_version"], 2);
  EXPECT_EQ(doc["files"][0]["kind"], "key-attestation");
  const auto& file = doc["files"][0];
  EXPECT_EQ(file["verdict"], "failed");
  EXPECT_EQ(file["exit_code"], 1);
  ASSERT_EQ(file["checks"].size(), r.checks.size());
  std::string text = RenderText(r, TextOptions{true, false});
  for (std::size_t i = 0; i < r.checks.size(); ++i) {
    EXPECT_EQ(file["checks"][i]["id"], r.checks[i].id.view());
    EXPECT_EQ(file["checks"][i]["status"], CheckStatusName(r.checks[i].status));
    EXPECT_EQ(file["checks"][i]["detail"], r.checks[i].detail);
    EXPECT_NE(text.find(r.checks[i].id.view()), std::string::npos) << r.checks[i].id;
  }
  EXPECT_EQ(file["key"]["name"], "key1-hnhgsllilfcl3pdtpld");
  EXPECT_EQ(file["key"]["kid"],
            "https://clitesthsmkeyats000002.managedhsm.azure.net/keys/key1-000003/7071fabc480c0ca186f786a9b78c9456");
  EXPECT_EQ(file["key"]["type"], "RSA");
  EXPECT_EQ(file["blobs"][0]["layout"], "B");
  EXPECT_EQ(file["blobs"][0]["objects"][0]["attributes"].size(), 45u);
  EXPECT_EQ(file["blobs"][0]["objects"][0]["attributes"][0]["id"], "0x00000000");
  EXPECT_EQ(file["certificates"].size(), 5u);  // pinned root, card, partition, owner root, owner partition
  EXPECT_EQ(doc["summary"]["failed"], 1);
  EXPECT_EQ(doc["summary"]["exit_code"], 1);
  // Every certificate fingerprint the verbose text shows is in the JSON.
  for (const auto& c : file["certificates"]) EXPECT_NE(text.find(c["sha256"].get<std::string>()), std::string::npos);
}

TEST(JsonOutputTest, UnreadableInputHasErrorAndNoChecks) {
  Report r = VerifyAttestationFile("/nonexistent.json", DefaultVerifyOptions());
  nlohmann::json doc = nlohmann::json::parse(RenderJsonDocument({r}));
  EXPECT_EQ(doc["files"][0]["verdict"], "unreadable");
  EXPECT_EQ(doc["files"][0]["error"], "cannot open '/nonexistent.json': No such file or directory");
  EXPECT_TRUE(doc["files"][0]["checks"].empty());
  EXPECT_EQ(doc["summary"]["exit_code"], 3);
}

TEST(JsonOutputTest, InvalidUtf8InAttributesDoesNotBreakOutput) {
  Report r;
  r.source = "x";
  r.Add("a", "b", CheckStatus::kFail, std::string("bad \xff byte"));
  const nlohmann::json doc = nlohmann::json::parse(RenderJsonDocument({r}));
  EXPECT_EQ(doc["files"][0]["checks"][0]["detail"], "bad \xef\xbf\xbd byte");  // U+FFFD
}

}  // namespace
}  // namespace keyattest
