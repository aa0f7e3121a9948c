// Every key-attestation check has one id and one title, from one table
// (include/keyattest/key_attestation/checks.h), whatever the input: with a
// bundle, without one, malformed, with policy, in one JSON run.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "keyattest/core/rfc3339.h"
#include "keyattest/io/json_reader.h"
#include "keyattest/key_attestation/checks.h"
#include "keyattest/report/json_renderer.h"
#include "tests/support/attestation_files.h"
#include "tests/support/synthetic.h"
#include "tests/support/test_paths.h"

namespace keyattest {
namespace {

using namespace keyattest::testing;
namespace checks = key_attestation;

/// Reports of inputs that between them set every check of the table.
std::vector<Report> VariedReports() {
  Synthetic s;
  std::vector<Report> reports;
  reports.push_back(s.Verify());                                               // everything passes
  reports.push_back(s.Verify(s.Document(s.PrivateBlob(), std::nullopt, "")));  // no public blob
  AttestationDocument no_bundle = s.Document();
  no_bundle.certificate_pem.clear();  // no certificates at all
  reports.push_back(s.Verify(no_bundle));
  reports.push_back(s.Verify(s.Document(Bytes{0x01, 0x02, 0x03}, Bytes{0x04}, "")));  // malformed blobs
  reports.push_back(s.Verify(s.Document(s.PrivateBlob(), s.PublicBlob(), "-----BEGIN CERTIFICATE-----\nxx\n")));
  AttestationDocument bad_jwk = s.Document();
  bad_jwk.key = nlohmann::json{{"kty", "RSA"}, {"kid", "https://pool.managedhsm.azure.net/keys/synthkey/v"}};
  reports.push_back(s.Verify(bad_jwk));
  Synthetic with_policy;
  with_policy.options.requirements = ParseRequirements({"generated,fips", "OBJ_ATTR_EXTRACTABLE=0"});
  reports.push_back(with_policy.Verify());
  reports.push_back(with_policy.Verify(with_policy.Document(Bytes{0x00}, std::nullopt, "")));
  AttestationDocument google = s.Document();
  google.source = AttestationSource::kGoogle;
  google.google_format = "CAVIUM_V9_COMPRESSED";
  reports.push_back(s.Verify(google));
  VerifyOptions real = DefaultVerifyOptions();
  real.check_time = keyattest::CheckTime::At(*ParseRfc3339("2026-01-01T00:00:00Z"));
  for (const char* sample : {"azure-sdk-js-rsa2048", "azure-cli-rsa2048", "azure-sdk-net-ec-p256"}) {
    reports.push_back(VerifyAttestationFile(RepoSample(sample), real));
  }
  return reports;
}

TEST(CheckTableTest, EveryIdHasOneTitleInOneJsonRun) {
  const std::vector<Report> reports = VariedReports();
  const nlohmann::json document = ParseStrictJson(RenderJsonDocument(reports), 64);
  std::map<std::string, std::set<std::string>> titles;
  for (const auto& file : document.at("files")) {
    for (const auto& check : file.at("checks")) {
      titles[check.at("id").get<std::string>()].insert(check.at("title").get<std::string>());
    }
  }
  for (const CheckDefinition& id :
       {checks::kManufacturerChain, checks::kOwnerChain, checks::kAllUsed, checks::kBundle, checks::kOwnerRootPin}) {
    ASSERT_TRUE(titles.count(std::string(id.id))) << id.id.view() << " was never set";
  }
  for (const auto& [id, seen] : titles) {
    EXPECT_EQ(seen.size(), 1u) << id << " has " << seen.size() << " titles, first '" << *seen.begin() << "'";
  }
  EXPECT_EQ(*titles.at("chain.manufacturer").begin(), "Marvell manufacturer chain");
}

TEST(CheckTableTest, EverySetCheckIsDeclaredInTheTable) {
  std::map<std::string, std::string> declared;
  for (const CheckDefinition& c : checks::kAllChecks) {
    EXPECT_TRUE(declared.emplace(c.id, c.title).second) << c.id.view() << " is declared twice";
  }
  std::set<std::string> set_ids;
  for (const Report& r : VariedReports()) {
    for (const CheckResult& c : r.checks) {
      const std::string id(c.id.view());
      set_ids.insert(id);
      const std::string family(checks::kPolicyFamily.id);
      if (id.starts_with(family)) {
        EXPECT_EQ(c.title, std::string(checks::kPolicyFamily.title) + id.substr(family.size())) << c.id;
        continue;
      }
      auto it = declared.find(id);
      ASSERT_NE(it, declared.end()) << c.id << " is not in key_attestation/checks.h";
      EXPECT_EQ(c.title, it->second) << c.id;
    }
  }
  // The inputs above reach every declared check but the structure notes
  // (warnings of unusual but valid blobs), so the table has no dead rows.
  for (const auto& [id, title] : declared) {
    if (id.find(".structure.note") != std::string::npos) continue;
    EXPECT_TRUE(set_ids.count(id)) << id << " was never set";
  }
  EXPECT_TRUE(set_ids.count("policy.generated"));
  EXPECT_TRUE(set_ids.count("policy.OBJ_ATTR_EXTRACTABLE=0"));
}

TEST(CheckTableTest, NoBundleUsesTheTableTitles) {
  Synthetic s;
  AttestationDocument doc = s.Document();
  doc.certificate_pem.clear();
  const Report r = s.Verify(doc);
  ASSERT_NE(r.Find("chain.manufacturer"), nullptr);
  EXPECT_EQ(r.Find("chain.manufacturer")->title, "Marvell manufacturer chain");
  EXPECT_EQ(r.Find("chain.owner")->title, "Partition owner chain");
  EXPECT_EQ(r.Find("certificates.all_used")->title, "Every certificate has a role");
  EXPECT_EQ(r.Find("chain.manufacturer")->status, CheckStatus::kSkip);
  EXPECT_EQ(r.verdict(), Verdict::kFailed);
}

}  // namespace
}  // namespace keyattest
