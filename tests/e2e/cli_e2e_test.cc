// End-to-end runs of the built validate_attestation binary: exit codes and
// what a user sees.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "keyattest/io/base64.h"
#include "keyattest/version.h"
#include "keyattest/x509/trust_anchors.h"
#include "tests/support/cli_run.h"
#include "tests/support/real_testdata.h"
#include "tests/support/test_paths.h"

namespace keyattest {
namespace {

using testing::CliRun;

CliRun Exec(const std::string& args, const std::string& env = "NO_COLOR=1") {
  return testing::RunShell(env + " " + std::string(KEYATTEST_BINARY) + " " + args + " 2>&1");
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
  std::string bad = WriteTemp("e2e-bad.json", "{}");
  CliRun r = Exec("-af " + Sample("azure-sdk-js-rsa2048") + " -af " + bad + " -af " + Sample("azure-cli-rsa2048"));
  EXPECT_EQ(r.exit_code, 3);
  // One line per file, in input order, then the summary.
  std::size_t js = r.out.find("VERIFIED    " + Sample("azure-sdk-js-rsa2048"));
  std::size_t unreadable = r.out.find("UNREADABLE  " + bad + "  not an attestation document");
  std::size_t cli = r.out.find("FAILED      " + Sample("azure-cli-rsa2048") +
                               "  key 'key1-hnhgsllilfcl3pdtpld' version '7071fabc480c0ca186f786a9b78c9456'  "
                               "binding.key_id: kid key name 'key1-000003' differs");
  ASSERT_NE(js, std::string::npos) << r.out;
  ASSERT_NE(unreadable, std::string::npos) << r.out;
  ASSERT_NE(cli, std::string::npos) << r.out;
  EXPECT_LT(js, unreadable);
  EXPECT_LT(unreadable, cli);
  EXPECT_NE(r.out.find("3 files: 1 verified, 1 failed, 1 unreadable in "), std::string::npos) << r.out;
  // A short run in milliseconds ("in 3.5 ms (857 files/s)"), not "0.00 s".
  const std::size_t at = r.out.find("unreadable in ");
  ASSERT_NE(at, std::string::npos) << r.out;
  const std::string rest = r.out.substr(at + 14, r.out.find('\n', at) - at - 14);
  const std::size_t ms = rest.find(" ms (");
  ASSERT_NE(ms, std::string::npos) << rest;
  EXPECT_EQ(rest.find_first_not_of("0123456789."), ms) << rest;
  EXPECT_NE(rest.find(" files/s)", ms), std::string::npos) << rest;
}

TEST(CliE2eTest, BatchOrderIsInputOrderWithManyJobs) {
  std::string args = "--jobs 4";
  std::vector<std::string> expected;
  for (int i = 0; i < 12; ++i) {
    std::string s = i % 2 ? Sample("azure-sdk-net-ec-p256") : Sample("azure-sdk-net-oct-aes256");
    args += " " + s;
    expected.push_back(s);
  }
  CliRun r = Exec(args);
  EXPECT_EQ(r.exit_code, 0) << r.out;
  std::size_t pos = 0;
  for (const auto& s : expected) {
    pos = r.out.find("VERIFIED    " + s, pos);
    ASSERT_NE(pos, std::string::npos);
    ++pos;
  }
  // EC and AES samples come from two partitions: two bundles, verified once each.
  EXPECT_NE(r.out.find("certificate chains verified 2x, reused 10x"), std::string::npos) << r.out;
  CliRun uncached = Exec(args + " --no-chain-cache");
  EXPECT_EQ(uncached.out.find("reused"), std::string::npos);
}

TEST(CliE2eTest, DirectoryInputSkipsNonJsonFiles) {
  std::string dir = ::testing::TempDir() + "e2e-dir";
  std::string mk = "rm -rf " + dir + " && mkdir -p " + dir + " && cp " + Sample("azure-sdk-net-ec-p256") + " " + dir +
                   "/ec.json && cp " + Sample("azure-sdk-js-rsa2048") + " " + dir + "/rsa.json && echo hi > " + dir +
                   "/notes.txt";
  ASSERT_EQ(std::system(mk.c_str()), 0);
  CliRun r = Exec(dir);
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("2 files: 2 verified, 0 failed, 0 unreadable"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("notes.txt"), std::string::npos);
  ASSERT_EQ(std::system(("rm -f " + dir + "/*.json").c_str()), 0);
  CliRun empty = Exec(dir);
  EXPECT_EQ(empty.exit_code, 3);
  EXPECT_NE(empty.out.find("holds no *.json file"), std::string::npos);
}

TEST(CliE2eTest, FilesFromStdin) {
  std::string list =
      WriteTemp("e2e-list.txt", Sample("azure-sdk-net-ec-p256") + "\n\n" + Sample("azure-cli-rsa2048") + "\n");
  CliRun r = Exec("--files-from - < " + list);
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("2 files: 1 verified, 1 failed"), std::string::npos) << r.out;
  CliRun json = Exec("--files-from " + list + " --output json");
  auto doc = nlohmann::json::parse(json.out);
  EXPECT_EQ(doc["summary"]["files"], 2);
  EXPECT_EQ(doc["files"][1]["source"], Sample("azure-cli-rsa2048"));
  EXPECT_EQ(Exec("--files-from - -af - < " + list).exit_code, 2);
}

TEST(CliE2eTest, FilesFromExpandsAListedDirectoryLikeAnArgument) {
  // A listed directory is expanded as on the command line (its *.json
  // files, sorted), not read as a file; a listed directory with no *.json
  // file stops the run before any file is verified (exit 3).
  const std::string dir = ::testing::TempDir() + "e2e-listed-dir";
  const std::string mk = "rm -rf " + dir + " && mkdir -p " + dir + "/d " + dir + "/empty.json && cp " +
                         Sample("azure-sdk-net-ec-p256") + " " + dir + "/d/b.json && cp " +
                         Sample("azure-sdk-js-rsa2048") + " " + dir + "/d/a.json";
  ASSERT_EQ(std::system(mk.c_str()), 0);
  CliRun r = Exec("--files-from " + WriteTemp("e2e-listed-dir.txt", dir + "/d\n" + Sample("azure-sdk-net-ec-p256")));
  EXPECT_EQ(r.exit_code, 0) << r.out;
  const std::size_t a = r.out.find("VERIFIED    " + dir + "/d/a.json");
  const std::size_t b = r.out.find("VERIFIED    " + dir + "/d/b.json");
  ASSERT_NE(a, std::string::npos) << r.out;
  ASSERT_NE(b, std::string::npos) << r.out;
  EXPECT_LT(a, b);
  EXPECT_NE(r.out.find("3 files: 3 verified, 0 failed, 0 unreadable"), std::string::npos) << r.out;
  CliRun empty = Exec("--files-from " + WriteTemp("e2e-listed-empty.txt",
                                                  Sample("azure-sdk-net-ec-p256") + "\n" + dir + "/empty.json\n"));
  EXPECT_EQ(empty.exit_code, 3) << empty.out;
  EXPECT_NE(empty.out.find("directory '" + dir + "/empty.json' holds no *.json file"), std::string::npos) << empty.out;
  EXPECT_EQ(empty.out.find("VERIFIED"), std::string::npos) << empty.out;
}

// Enough paths of one directory that it is read instead of examined path by
// path: a listed subdirectory (named *.json) is still expanded in its place.
TEST(CliE2eTest, ListedDirectoryAmongManyFilesOfOneDirectoryIsExpanded) {
  const std::string dir = ::testing::TempDir() + "e2e-many-listed";
  std::string mk = "rm -rf " + dir + " && mkdir -p " + dir + "/z.json";
  std::string list;
  for (int i = 0; i < 20; ++i) {
    const std::string file = dir + "/k" + std::to_string(10 + i) + ".json";
    mk += " && cp " + Sample("azure-sdk-net-ec-p256") + " " + file;
    list += file + "\n";
    if (i == 9) list += dir + "/z.json\n";
  }
  mk += " && cp " + Sample("azure-sdk-js-rsa2048") + " " + dir + "/z.json/inner.json";
  ASSERT_EQ(std::system(mk.c_str()), 0);
  CliRun r = Exec("--files-from " + WriteTemp("e2e-many-listed.txt", list));
  EXPECT_EQ(r.exit_code, 0) << r.out;
  const std::size_t before = r.out.find("VERIFIED    " + dir + "/k19.json");
  const std::size_t inner = r.out.find("VERIFIED    " + dir + "/z.json/inner.json");
  const std::size_t after = r.out.find("VERIFIED    " + dir + "/k20.json");
  ASSERT_NE(inner, std::string::npos) << r.out;
  EXPECT_LT(before, inner);
  EXPECT_LT(inner, after);
  EXPECT_NE(r.out.find("21 files: 21 verified, 0 failed, 0 unreadable"), std::string::npos) << r.out;
}

// find -print0 output is one line of NUL-separated paths: refused, never
// read as its first path alone.
TEST(CliE2eTest, APathListWithANulByteIsRefused) {
  const std::string list = ::testing::TempDir() + "e2e-print0.txt";
  const std::string mk =
      "printf '%s\\0%s\\0' " + Sample("azure-sdk-net-ec-p256") + " " + Sample("azure-sdk-js-rsa2048") + " > " + list;
  ASSERT_EQ(std::system(mk.c_str()), 0);
  CliRun r = Exec("--files-from " + list);
  EXPECT_EQ(r.exit_code, 3) << r.out;
  EXPECT_NE(r.out.find("path list '" + list +
                       "' line 1 holds a NUL byte: give one path per line (find -print, not "
                       "-print0)"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("VERIFIED"), std::string::npos) << r.out;
}

TEST(CliE2eTest, VerboseBatchPrintsFullReports) {
  CliRun r = Exec("-v " + Sample("azure-sdk-net-ec-p256") + " " + Sample("azure-sdk-net-oct-aes256"));
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("Checks (certificate validity at"), std::string::npos);
  EXPECT_NE(r.out.find("2 files: 2 verified"), std::string::npos);
}

TEST(CliE2eTest, BadJobsAndNoInputAreUsageErrors) {
  EXPECT_EQ(Exec("--jobs 0 " + Sample("azure-sdk-net-ec-p256")).exit_code, 2);
  CliRun none = Exec("");
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.out.find("no attestation file given"), std::string::npos);
}

TEST(CliE2eTest, GoogleRawBlobWithCertificates) {
  auto dir = testing::RealTestdataDir();
  if (!dir) GTEST_SKIP() << "../shared/testdata/real is absent; skipping the Google Cloud HSM samples";
  std::string ec = (*dir / "google-cloud-hsm-ec-p256").string();
  CliRun r = Exec("--blob " + ec + "/attestation.dat.gz --certs " + ec + "/certificates.pem --require fips");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("pinned Google root 'Hawksbill Root v1 prod'"), std::string::npos) << r.out;
  CliRun imported = Exec("--blob " + (*dir / "google-cloud-hsm-rsa4096-imported/attestation.dat.gz").string() +
                         " --require generated --output json");
  EXPECT_EQ(imported.exit_code, 1);
  auto doc = nlohmann::json::parse(imported.out);
  EXPECT_EQ(doc["files"][0]["blobs"][0]["layout"], "A");
  EXPECT_EQ(doc["files"][0]["key"]["size_bits"], 4096);
}

TEST(CliE2eTest, BlobOptionUsageErrors) {
  EXPECT_EQ(Exec("--certs x.pem").exit_code, 2);
  EXPECT_EQ(Exec("--blob x.dat -af " + Sample("azure-sdk-js-rsa2048")).exit_code, 2);
  EXPECT_EQ(Exec("--blob /nonexistent.dat").exit_code, 3);
}

TEST(CliE2eTest, OptionsTakeOneValueAndFilesKeepTheirOrder) {
  // --require and --marvell-root never swallow the file that follows them.
  CliRun r = Exec("--require generated " + Sample("azure-sdk-js-rsa2048"));
  EXPECT_EQ(r.exit_code, 0) << r.out;
  // Plain arguments and -af interleave in the order given.
  CliRun mixed = Exec(Sample("azure-sdk-net-oct-aes256") + " -af " + Sample("azure-sdk-net-ec-p256") + " " +
                      Sample("azure-sdk-js-rsa2048"));
  std::size_t a = mixed.out.find(Sample("azure-sdk-net-oct-aes256"));
  std::size_t b = mixed.out.find(Sample("azure-sdk-net-ec-p256"));
  std::size_t c = mixed.out.find(Sample("azure-sdk-js-rsa2048"));
  ASSERT_NE(c, std::string::npos) << mixed.out;
  EXPECT_LT(a, b);
  EXPECT_LT(b, c);
}

TEST(CliE2eTest, VersionFlag) {
  CliRun r = Exec("--version");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out.rfind(std::string("validate_attestation ") + kVersion + "\n", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("\ncommit "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\nOpenSSL 3."), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(std::to_string(BuiltinPins().size()) + " compiled-in trust anchors"), std::string::npos)
      << r.out;
}

TEST(CliE2eTest, RootsListsEveryAnchorWithItsPin) {
  CliRun r = Exec("roots");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  for (const PinnedRoot& pin : BuiltinPins()) {
    EXPECT_NE(r.out.find(std::string(pin.name)), std::string::npos) << pin.name;
    EXPECT_NE(r.out.find("SPKI SHA-256: " + std::string(pin.spki_sha256_hex)), std::string::npos) << pin.name;
  }
}

TEST(CliE2eTest, RootsWritesThePemOfOnePurpose) {
  CliRun r = Exec("roots --output pem --purpose google-cloud-hsm-owner");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  const std::vector<PinnedRoot> google = BuiltinPins("google-cloud-hsm-owner");
  ASSERT_EQ(google.size(), 1u);
  EXPECT_EQ(r.out, std::string(google[0].pem));
}

TEST(CliE2eTest, RootsRejectsAnUnknownOrEmptyPurpose) {
  EXPECT_EQ(Exec("roots --purpose nothing").exit_code, 2);
  EXPECT_EQ(Exec("roots --purpose ''").exit_code, 2);
  EXPECT_EQ(Exec("roots --output xml").exit_code, 2);
}

TEST(CliE2eTest, PrintRootsFlagIsTheRootsCommand) {
  CliRun a = Exec("--print-roots");
  CliRun b = Exec("roots");
  EXPECT_EQ(a.exit_code, 0);
  EXPECT_EQ(a.out, b.out);
}

// ---- Issue 10: a pass means genuine, and the screen tells the truth ----------------------------

/// Runs `validate_attestation <tail>` with no redirection added: `tail`
/// chooses where stdout and stderr go.
CliRun ExecShell(const std::string& tail, const std::string& prefix = "") {
  return testing::RunShell("NO_COLOR=1 " + prefix + std::string(KEYATTEST_BINARY) + " " + tail);
}

TEST(CliE2eTest, EmptyOptionValuesAreUsageErrors) {
  const std::string sample = Sample("azure-sdk-js-rsa2048");
  for (const char* option :
       {"--owner-root", "--key", "--at", "--files-from", "--marvell-root", "--require", "--blob", "--certs", "-af"}) {
    CliRun r = Exec(std::string(option) + " '' " + sample);
    EXPECT_EQ(r.exit_code, 2) << option << ": " << r.out;
    EXPECT_NE(r.out.find("an empty value is not allowed"), std::string::npos) << option << ": " << r.out;
  }
  CliRun positional = Exec(sample + " ''");
  EXPECT_EQ(positional.exit_code, 2) << positional.out;
  // The twins: the same options with values.
  EXPECT_EQ(Exec("--at 2026-06-01T00:00:00Z --require EXTRACTABLE=0 -af " + sample).exit_code, 0);
  EXPECT_EQ(Exec("--owner-root " + std::string(64, '0') + " -af " + sample).exit_code, 1);
}

TEST(CliE2eTest, RequireValuesAreCheckedBeforeAnyFileIsRead) {
  for (const char* bad : {"EXTRACTABLE=4294967296", "EXTRACTABLE=maybe", "KEY_TYPE=RSA", "0x9999=1", "==0"}) {
    CliRun r = Exec(std::string("--require '") + bad + "' -af /nonexistent/attestation.json");
    EXPECT_EQ(r.exit_code, 2) << bad << ": " << r.out;
    EXPECT_NE(r.out.find("--require: "), std::string::npos) << r.out;
  }
  CliRun r = Exec("--require KEY_TYPE=RSA -af " + Sample("azure-sdk-js-rsa2048"));
  EXPECT_NE(r.out.find("validate_attestation: --require: 'KEY_TYPE=RSA': OBJ_ATTR_KEY_TYPE cannot be 'RSA'; it "
                       "accepts a key type name such as CKK_RSA"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(Exec("--require KEY_TYPE=CKK_RSA,EXTRACTABLE=0 -af " + Sample("azure-sdk-js-rsa2048")).exit_code, 0);
}

TEST(CliE2eTest, KeyFileWithTwoKeysIsAUsageError) {
  std::string jwk = nlohmann::json::parse(testing::ReadRepoSample("azure-sdk-js-rsa2048"))["key"].dump();
  EXPECT_EQ(Exec("--key " + WriteTemp("one.jwk", jwk) + " -af " + Sample("azure-sdk-js-rsa2048")).exit_code, 0);
  std::string duplicate = jwk;
  duplicate.insert(1, "\"n\":\"AQAB\",");
  CliRun r = Exec("--key " + WriteTemp("dup.jwk", duplicate) + " -af " + Sample("azure-sdk-js-rsa2048"));
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("is not a valid JWK: "), std::string::npos) << r.out;
}

/// The JS sample with its kid replaced (text as it appears in JSON).
std::string WithKid(const std::string& kid_json) {
  std::string text = testing::ReadRepoSample("azure-sdk-js-rsa2048");
  auto doc = nlohmann::json::parse(text);
  const std::string kid = doc["key"]["kid"].get<std::string>();
  const std::size_t at = text.find(kid);
  return text.replace(at, kid.size(), kid_json);
}

TEST(CliE2eTest, CraftedKidCannotRewriteTheResultLine) {
  const std::string evil =
      WriteTemp("evil-kid.json", WithKid("https://x.managedhsm.azure.net/keys/a\\u000d\\u001b[2KResult: VERIFIED "
                                         "(exit 0)\\u001b[8m/1"));
  ASSERT_NE(testing::ReadFileText(evil).find("\\u001b"), std::string::npos);
  for (const std::string& args : {"-af " + evil, "-af " + evil + " -af " + Sample("azure-sdk-net-ec-p256")}) {
    CliRun r = Exec(args);
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_EQ(r.out.find('\r'), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find('\x1b'), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("\\x1b[2KResult: VERIFIED"), std::string::npos) << r.out;
  }
  // The twin: the genuine kid prints as it is.
  CliRun good = Exec("-af " + Sample("azure-sdk-js-rsa2048"));
  EXPECT_NE(good.out.find("Result: VERIFIED for key 'keyAttestation' version '677135ee91e64cdf1576e341c7168f54'"),
            std::string::npos)
      << good.out;
}

TEST(CliE2eTest, ForgedNameInTheBlobIsNotCalledAttested) {
  // One flipped byte in the private blob's signed ID: keyAttestation ->
  // kdyAttestation. The structure still parses; the signature fails.
  std::string text = testing::ReadRepoSample("azure-sdk-js-rsa2048");
  auto doc = nlohmann::json::parse(text);
  const std::string field = doc["attributes"]["attestation"]["privateKeyAttestation"].get<std::string>();
  Bytes blob = DecodeBase64Any(field, nullptr).value();
  const std::string id = "/keys/keyAttestation/";
  auto at = std::search(blob.begin(), blob.end(), id.begin(), id.end());
  ASSERT_NE(at, blob.end());
  *(at + 7) = 'd';
  text.replace(text.find(field), field.size(), EncodeBase64Url(blob));
  const std::string forged = WriteTemp("forged-name.json", text);
  CliRun r = Exec("-af " + forged);
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("private.signature"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("key 'kdyAttestation'"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Unverified key attributes (signature or certificate chain not verified) for key "
                       "'keyAttestation' version '677135ee91e64cdf1576e341c7168f54' as claimed by the unsigned kid "
                       "(privateKeyAttestation, layout B)"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("Result: FAILED for key 'keyAttestation' version '677135ee91e64cdf1576e341c7168f54' (as "
                       "claimed by the unsigned kid; not attested)"),
            std::string::npos)
      << r.out;
  CliRun batch = Exec(forged + " " + Sample("azure-sdk-js-rsa2048"));
  EXPECT_NE(batch.out.find("key 'keyAttestation' version '677135ee91e64cdf1576e341c7168f54' (as claimed by the "
                           "unsigned kid; not attested)  private.signature: "),
            std::string::npos)
      << batch.out;
  auto json = nlohmann::json::parse(Exec("--output json -af " + forged).out);
  EXPECT_EQ(json["files"][0]["key"]["attested"], false);
  EXPECT_EQ(json["files"][0]["key"]["name"], "keyAttestation");
  EXPECT_EQ(json["files"][0]["blobs"][0]["attested"], false);
  // The twin: the genuine file is attested under its signed name.
  CliRun good = Exec("-af " + Sample("azure-sdk-js-rsa2048"));
  EXPECT_NE(good.out.find("Attested key attributes for key 'keyAttestation' with version "
                          "'677135ee91e64cdf1576e341c7168f54' (privateKeyAttestation, layout B)"),
            std::string::npos)
      << good.out;
  auto genuine = nlohmann::json::parse(Exec("--output json -af " + Sample("azure-sdk-js-rsa2048")).out);
  EXPECT_EQ(genuine["files"][0]["key"]["attested"], true);
  EXPECT_EQ(genuine["files"][0]["key"]["name"], "keyAttestation");
}

TEST(CliE2eTest, UnwritableOutputExitsFour) {
  if (access("/dev/full", W_OK) != 0) GTEST_SKIP() << "/dev/full is not available";
  const std::string sample = Sample("azure-sdk-js-rsa2048");
  for (const std::string& args : {"-af " + sample, "--output json -af " + sample,
                                  sample + " " + Sample("azure-sdk-net-ec-p256"), "-v -af " + sample}) {
    CliRun r = ExecShell(args + " 2>&1 >/dev/full");
    EXPECT_EQ(r.exit_code, 4) << args << ": " << r.out;
    EXPECT_NE(r.out.find("validate_attestation: the report could not be written to standard output"), std::string::npos)
        << r.out;
  }
  EXPECT_EQ(ExecShell("-af " + sample + " 2>&1 >/dev/null").exit_code, 0);
}

TEST(CliE2eTest, SpecialFilesNeverBlock) {
  const std::string dir = ::testing::TempDir() + "e2e-fifo";
  ASSERT_EQ(std::system(("rm -rf " + dir + " && mkdir -p " + dir + " && mkfifo " + dir + "/pipe.json").c_str()), 0);
  // A FIFO with no writer: before the fix, open(2) waited for one forever
  // (timeout ends such a run with 124).
  CliRun af = ExecShell("-af " + dir + "/pipe.json 2>&1", "timeout 20 ");
  EXPECT_EQ(af.exit_code, 3) << af.out;
  EXPECT_NE(af.out.find("is a FIFO, not a regular file"), std::string::npos) << af.out;
  CliRun list = ExecShell("--files-from " + dir + "/pipe.json 2>&1", "timeout 20 ");
  EXPECT_EQ(list.exit_code, 3) << list.out;
  CliRun key = ExecShell("--key " + dir + "/pipe.json -af " + Sample("azure-sdk-js-rsa2048") + " 2>&1", "timeout 20 ");
  EXPECT_EQ(key.exit_code, 2) << key.out;
  CliRun twice = Exec("-af - -af - < " + Sample("azure-sdk-js-rsa2048"));
  EXPECT_EQ(twice.exit_code, 2) << twice.out;
  EXPECT_NE(twice.out.find("standard input ('-') can be given only once"), std::string::npos) << twice.out;
  EXPECT_EQ(Exec("-af - < " + Sample("azure-sdk-js-rsa2048")).exit_code, 0);
}

TEST(CliE2eTest, DirectoryReportsBrokenLinksAndSkipsDotfiles) {
  const std::string dir = ::testing::TempDir() + "e2e-dir-rules";
  std::string mk = "rm -rf " + dir + " && mkdir -p " + dir + " && cp " + Sample("azure-sdk-net-ec-p256") + " " + dir +
                   "/EC.JSON && cp " + Sample("azure-sdk-js-rsa2048") + " " + dir + "/.hidden.json";
  ASSERT_EQ(std::system(mk.c_str()), 0);
  CliRun ok = Exec(dir);
  EXPECT_EQ(ok.exit_code, 0) << ok.out;
  EXPECT_NE(ok.out.find("EC.JSON"), std::string::npos) << ok.out;
  EXPECT_EQ(ok.out.find(".hidden.json"), std::string::npos) << ok.out;
  ASSERT_EQ(std::system(("ln -s " + dir + "/missing.json " + dir + "/dangling.json").c_str()), 0);
  CliRun broken = Exec(dir);
  EXPECT_EQ(broken.exit_code, 3) << broken.out;
  EXPECT_NE(broken.out.find("dangling.json': No such file or directory"), std::string::npos) << broken.out;
  EXPECT_NE(broken.out.find("2 files: 1 verified, 0 failed, 1 unreadable"), std::string::npos) << broken.out;
}

}  // namespace
}  // namespace keyattest
