// End-to-end runs of what issue 16 asks of the default command: output that
// fits 80 columns, the common options, several owner pools, --expect-key,
// and errors a user can act on (exact text and exit code).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "tests/support/cli_run.h"
#include "tests/support/test_paths.h"

namespace keyattest {
namespace {

using testing::CliRun;

constexpr char kJsPin[] = "236a9a4ee9170a7195003abf962f547e55c7640ec517d07f956ad5e8e870f9fe";
constexpr char kNetPin[] = "aced85b90132629ebcee035b3b08d59b5cb890ff2cb5fa659545dd58845bc123";
constexpr char kJsName[] = "keyAttestation";
constexpr char kJsVersion[] = "677135ee91e64cdf1576e341c7168f54";

CliRun Exec(const std::string& args) { return testing::RunBinary(KEYATTEST_BINARY, args); }

std::string Sample(const std::string& name) { return testing::RepoSample(name); }

std::string Temp(const std::string& name, const std::string& content) {
  return testing::WriteTempFile("ux_e2e_" + name, content);
}

std::size_t WidestLine(const std::string& text) {
  std::size_t widest = 0;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::size_t columns = 0;
    for (char c : line) columns += (static_cast<unsigned char>(c) & 0xC0U) == 0x80U ? 0 : 1;
    widest = std::max(widest, columns);
  }
  return widest;
}

/// Runs the binary on an 80-column terminal made by script(1), in the
/// repository's testdata directory: the report's heading names the file as
/// given, so samples passed as `azure/<name>/attestation.json` keep the
/// width independent of where the checkout lives.
CliRun OnEightyColumnTerminal(const std::string& args) {
  const std::string inner = "cd " + std::string(KEYATTEST_REPO_TESTDATA) +
                            " && stty cols 80 rows 50; COLUMNS=80 NO_COLOR=1 " + std::string(KEYATTEST_BINARY) + " " +
                            args;
  return testing::RunShell("script -qec '" + inner + "' /dev/null 2>&1");
}

// ---- 80 columns ---------------------------------------------------------------------------------

TEST(CliUxE2eTest, DefaultReportOfARealSampleFitsEightyColumnsOnATerminal) {
  if (testing::RunShell("command -v script >/dev/null && echo yes").out != "yes\n") {
    GTEST_SKIP() << "script(1) (util-linux) is not installed";
  }
  for (const char* sample : {"azure-sdk-js-rsa2048", "azure-cli-rsa2048", "azure-sdk-net-ec-p256"}) {
    const CliRun r = OnEightyColumnTerminal("-af azure/" + std::string(sample) + "/attestation.json");
    EXPECT_NE(r.out.find("Result: "), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("| OBJ_ATTR_ID"), std::string::npos) << r.out;
    EXPECT_LE(WidestLine(r.out), 80U) << sample << "\n" << r.out;
  }
  // The same report piped keeps one record per line: the table's ID row
  // and each check stay whole.
  const CliRun piped = Exec("-af " + Sample("azure-sdk-js-rsa2048"));
  EXPECT_NE(piped.out.find(std::string("| /keys/") + kJsName + "/" + kJsVersion + " |"), std::string::npos);
  EXPECT_NE(piped.out.find("pin this pool's root next time with --owner-root " + std::string(kJsPin) + "\n"),
            std::string::npos);
  EXPECT_GT(WidestLine(piped.out), 80U);
  // --wide on a terminal: as piped.
  EXPECT_GT(WidestLine(OnEightyColumnTerminal("--wide -af " + Sample("azure-sdk-js-rsa2048")).out), 80U);
}

TEST(CliUxE2eTest, EveryCommandsHelpFitsEightyColumns) {
  for (const char* command : {"", "maa", "maa-policy", "release-policy", "release-response", "snp", "roots"}) {
    const CliRun r = Exec(std::string(command) + " --help");
    EXPECT_EQ(r.exit_code, 0) << command;
    EXPECT_NE(r.out.find("Usage: validate_attestation"), std::string::npos) << command;
    EXPECT_LE(WidestLine(r.out), 80U) << "validate_attestation " << command << " --help:\n" << r.out;
  }
  // The command list keeps its columns; long summaries wrap under themselves.
  const std::string help = Exec("--help").out;
  EXPECT_NE(help.find("\n  release-response  verify a Key Vault key release response (RS256, TLS chain,\n"
                      "                    host, key, policy)\n"),
            std::string::npos)
      << help;
}

// ---- Common options on the default command -------------------------------------------------------

TEST(CliUxE2eTest, QuietPrintsOnlyFailuresAndTheResult) {
  const CliRun good = Exec("-q -af " + Sample("azure-sdk-js-rsa2048"));
  EXPECT_EQ(good.exit_code, 0);
  EXPECT_EQ(good.out, "== " + Sample("azure-sdk-js-rsa2048") + " ==\nResult: VERIFIED for key '" + kJsName +
                          "' version '" + kJsVersion +
                          "' with 2 warnings - the attested key lives in a Marvell LiquidSecurity HSM (exit 0)\n");
  const CliRun bad = Exec("--quiet -af " + Sample("azure-cli-rsa2048"));
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_EQ(bad.out.find("PASS"), std::string::npos) << bad.out;
  EXPECT_NE(bad.out.find("  FAIL  binding.key_id         kid key name 'key1-000003' differs"), std::string::npos)
      << bad.out;
  // A batch: only the files that did not verify, then the summary repeats them.
  const CliRun batch = Exec("-q " + Sample("azure-sdk-js-rsa2048") + " " + Sample("azure-cli-rsa2048"));
  EXPECT_EQ(batch.exit_code, 1);
  EXPECT_EQ(batch.out.find("VERIFIED"), std::string::npos) << batch.out;
  EXPECT_NE(batch.out.find("2 files: 1 verified, 1 failed, 0 unreadable in "), std::string::npos) << batch.out;
  EXPECT_NE(batch.out.find("; 4 warnings\nNot verified:\n  FAILED      " + Sample("azure-cli-rsa2048")),
            std::string::npos)
      << batch.out;
}

TEST(CliUxE2eTest, OneFileIsOneFile) {
  const CliRun r = Exec("--files-from " + Temp("one.txt", Sample("azure-sdk-js-rsa2048") + "\n"));
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("\n1 file: 1 verified, 0 failed, 0 unreadable in "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("; 2 warnings\n"), std::string::npos) << r.out;
}

TEST(CliUxE2eTest, ColorAlwaysNeverAndNoColor) {
  const std::string af = " -af " + Sample("azure-sdk-js-rsa2048");
  EXPECT_NE(Exec("--color always" + af).out.find("\033[32mResult: VERIFIED\033[0m"), std::string::npos);
  EXPECT_EQ(Exec("--color never" + af).out.find('\033'), std::string::npos);
  // auto: not a terminal here, so no colour.
  EXPECT_EQ(Exec(af).out.find('\033'), std::string::npos);
  const CliRun bad = Exec("--color sometimes" + af);
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.out.find("--color: sometimes not in {auto,always,never}"), std::string::npos) << bad.out;
}

TEST(CliUxE2eTest, JsonLinesAreOneObjectPerFile) {
  const CliRun r = Exec("-o jsonl " + Sample("azure-sdk-js-rsa2048") + " " + Sample("azure-cli-rsa2048") + " " +
                        Sample("azure-sdk-net-ec-p256") + " 2>/dev/null");
  EXPECT_EQ(r.exit_code, 1);
  std::istringstream in(r.out);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  ASSERT_EQ(lines.size(), 3U) << r.out;
  EXPECT_NE(lines[0].find(R"("verdict":"verified")"), std::string::npos) << lines[0];
  EXPECT_NE(lines[1].find(R"("verdict":"failed")"), std::string::npos) << lines[1];
  EXPECT_NE(lines[2].find("azure-sdk-net-ec-p256"), std::string::npos) << lines[2];
  for (const auto& line : lines) EXPECT_EQ(line.front(), '{');
}

TEST(CliUxE2eTest, JunitHasATestCasePerFileAndCheck) {
  const CliRun r = Exec("--output junit " + Sample("azure-sdk-js-rsa2048") + " " + Sample("azure-cli-rsa2048"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites", 0), 0U) << r.out;
  EXPECT_NE(r.out.find("<testcase classname=\"key-attestation\" name=\"binding.key_id\">\n      <failure"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("<failure"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("</testsuites>\n"), std::string::npos);
  std::size_t suites = 0;
  for (std::size_t at = r.out.find("<testsuite "); at != std::string::npos; at = r.out.find("<testsuite ", at + 1)) {
    ++suites;
  }
  EXPECT_EQ(suites, 2U) << r.out;
}

TEST(CliUxE2eTest, JobsMustBeANumber) {
  const CliRun r = Exec("--jobs=abc -af " + Sample("azure-sdk-js-rsa2048"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("--jobs: 'abc' is not a number (files verified at once, 1 to 1024)"), std::string::npos)
      << r.out;
  EXPECT_EQ(Exec("-j 0 -af " + Sample("azure-sdk-js-rsa2048")).exit_code, 2);
  EXPECT_EQ(Exec("-j 2 -af " + Sample("azure-sdk-js-rsa2048")).exit_code, 0);
}

// ---- Several pools ------------------------------------------------------------------------------

TEST(CliUxE2eTest, OwnerRootIsRepeatableAndAnyPinMatches) {
  const std::string js = " -af " + Sample("azure-sdk-js-rsa2048");
  const CliRun both = Exec("--owner-root " + std::string(kNetPin) + " --owner-root " + kJsPin + js);
  EXPECT_EQ(both.exit_code, 0) << both.out;
  EXPECT_NE(both.out.find("PASS  owner_root.pin         owner root 'acavalari-sdkhsm' SPKI SHA-256 " +
                          std::string(kJsPin) + " is pinned"),
            std::string::npos)
      << both.out;
  EXPECT_EQ(both.out.find("At Most"), std::string::npos);
  const CliRun neither = Exec("--owner-root " + std::string(kNetPin) + " --owner-root " + std::string(64, 'a') + js);
  EXPECT_EQ(neither.exit_code, 1) << neither.out;
  EXPECT_NE(neither.out.find("is not any of the 2 pinned " + std::string(kNetPin) + ", " + std::string(64, 'a')),
            std::string::npos)
      << neither.out;
}

TEST(CliUxE2eTest, OwnerRootsFileTakesPinsAndPemWithComments) {
  const std::string js = " -af " + Sample("azure-sdk-js-rsa2048");
  const std::string file =
      Temp("pools.txt", "# our pools\n\n" + std::string(kNetPin) + "  # pool one\n" + std::string(kJsPin) + "\n");
  EXPECT_EQ(Exec("--owner-roots " + file + js).exit_code, 0);
  EXPECT_EQ(Exec("--owner-roots " + file + " -af " + Sample("azure-sdk-net-ec-p256")).exit_code, 0);
  const std::string other = Temp("other.txt", std::string(kNetPin) + "\n");
  const CliRun wrong = Exec("--owner-roots " + other + js);
  EXPECT_EQ(wrong.exit_code, 1) << wrong.out;
  EXPECT_NE(wrong.out.find("is not the pinned " + std::string(kNetPin)), std::string::npos) << wrong.out;
  // A PEM certificate block is a pin too (its SPKI SHA-256).
  const std::string pem = testing::ReadFileText(std::string(KEYATTEST_REPO_TESTDATA) + "/roots/marvell-ls2-2024.pem");
  const CliRun pem_pin = Exec("--owner-roots " + Temp("pem.txt", "# a root\n" + pem + std::string(kJsPin) + "\n") + js);
  EXPECT_EQ(pem_pin.exit_code, 0) << pem_pin.out;
  EXPECT_NE(pem_pin.out.find("is pinned"), std::string::npos);
}

TEST(CliUxE2eTest, OwnerRootsFileIsStrict) {
  const std::string js = " -af " + Sample("azure-sdk-js-rsa2048");
  const std::string bad = Temp("bad.txt", "# pools\n" + std::string(kJsPin) + "\nnot-a-pin\n");
  const CliRun r = Exec("--owner-roots " + bad + js);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "validate_attestation: --owner-roots " + bad +
                       " line 3: 'not-a-pin' is neither 64 hex digits of an SPKI SHA-256 nor a -----BEGIN "
                       "CERTIFICATE----- line\n");
  const std::string short_pin = Temp("short.txt", std::string(kJsPin).substr(1) + "\n");
  EXPECT_NE(Exec("--owner-roots " + short_pin + js).out.find(" line 1: '"), std::string::npos);
  const std::string open_block = Temp("open.txt", "-----BEGIN CERTIFICATE-----\nMIIB\n");
  const CliRun open = Exec("--owner-roots " + open_block + js);
  EXPECT_EQ(open.exit_code, 2);
  EXPECT_NE(open.out.find(" line 1: the PEM certificate starting here has no -----END CERTIFICATE----- line"),
            std::string::npos)
      << open.out;
  const std::string garbage_block =
      Temp("garbage.txt", "\n-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
  const CliRun garbage = Exec("--owner-roots " + garbage_block + js);
  EXPECT_EQ(garbage.exit_code, 2);
  EXPECT_NE(garbage.out.find(" line 2: the PEM certificate starting here does not parse"), std::string::npos)
      << garbage.out;
  const CliRun comments_only = Exec("--owner-roots " + Temp("none.txt", "# nothing\n\n") + js);
  EXPECT_EQ(comments_only.exit_code, 2);
  EXPECT_NE(comments_only.out.find("no pin in the file"), std::string::npos) << comments_only.out;
  EXPECT_EQ(Exec("--owner-roots /nonexistent/pools.txt" + js).exit_code, 2);
  EXPECT_EQ(Exec("--owner-roots ''" + js).exit_code, 2);
}

// ---- --expect-key -------------------------------------------------------------------------------

TEST(CliUxE2eTest, ExpectKeyNamesTheSignedKey) {
  const std::string js = " -af " + Sample("azure-sdk-js-rsa2048");
  const CliRun name = Exec("--expect-key " + std::string(kJsName) + js);
  EXPECT_EQ(name.exit_code, 0) << name.out;
  EXPECT_NE(name.out.find("PASS  binding.expected_key   the signed ID names key '" + std::string(kJsName) +
                          "' version '" + kJsVersion + "'"),
            std::string::npos)
      << name.out;
  EXPECT_EQ(Exec("--expect-key " + std::string(kJsName) + "/" + kJsVersion + js).exit_code, 0);
  // A genuine attestation of another key (a swapped file) fails.
  const CliRun swapped = Exec("--expect-key 415960149 " + js);
  EXPECT_EQ(swapped.exit_code, 1) << swapped.out;
  EXPECT_NE(swapped.out.find("FAIL  binding.expected_key   the signed ID names key '" + std::string(kJsName) +
                             "' version '" + kJsVersion + "', not the expected '415960149'"),
            std::string::npos)
      << swapped.out;
  const CliRun version = Exec("--expect-key " + std::string(kJsName) + "/8072dc2365e306109ecd7c202ff169b7" + js);
  EXPECT_EQ(version.exit_code, 1) << version.out;
  EXPECT_NE(version.out.find("the signed ID names version '" + std::string(kJsVersion) + "' of key '" + kJsName +
                             "', not the expected version '8072dc2365e306109ecd7c202ff169b7'"),
            std::string::npos)
      << version.out;
  // The other sample, under its own name.
  EXPECT_EQ(Exec("--expect-key 415960149 -af " + Sample("azure-sdk-net-ec-p256")).exit_code, 0);
  // The name is compared exactly.
  EXPECT_EQ(Exec("--expect-key keyattestation" + js).exit_code, 1);
  EXPECT_EQ(Exec("--expect-key keyAttestation2" + js).exit_code, 1);
}

TEST(CliUxE2eTest, ExpectKeyIsSkippedWhenTheBlobIsNotAttestedAndTheRunFails) {
  // The right name in a tampered blob: the name is not attested, so the
  // check is skipped and the verdict fails through the signature.
  std::string text = testing::ReadFileText(Sample("azure-sdk-js-rsa2048"));
  const auto pos = text.find("\"privateKeyAttestation\":\"") + 25 + 1500;
  text[pos] = text[pos] == 'A' ? 'B' : 'A';
  const CliRun r = Exec("--expect-key " + std::string(kJsName) + " -af " + Temp("tampered.json", text));
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("SKIP  binding.expected_key   needs a verified private key attestation"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("Result: FAILED"), std::string::npos);
}

TEST(CliUxE2eTest, ExpectKeyMalformedValuesAreUsageErrors) {
  const std::string js = " -af " + Sample("azure-sdk-js-rsa2048");
  const std::string shape = "; expected NAME or NAME/VERSION (e.g. mykey or mykey/0123abcd...)";
  const struct {
    const char* value;
    std::string message;
  } cases[] = {
      {"''", "--expect-key: an empty value is not allowed" + shape},
      {"keyAttestation/", "--expect-key: 'keyAttestation/' has an empty version after '/'" + shape},
      {"/keyAttestation", "--expect-key: '/keyAttestation' has an empty key name" + shape},
      {"a/b/c", "--expect-key: 'a/b/c' has too many '/'-separated parts" + shape},
  };
  for (const auto& c : cases) {
    const CliRun r = Exec(std::string("--expect-key ") + c.value + js);
    EXPECT_EQ(r.exit_code, 2) << c.value;
    EXPECT_NE(r.out.find(c.message), std::string::npos) << c.value << "\n" << r.out;
  }
}

// ---- Errors a user can act on -------------------------------------------------------------------

/// The one "error:" line of an unreadable file's report.
std::string ErrorLine(const CliRun& r) {
  const std::size_t at = r.out.find("error: ");
  if (at == std::string::npos) return "(no error line) " + r.out;
  return r.out.substr(at, r.out.find('\n', at) - at);
}

TEST(CliUxE2eTest, EmptyFileSaysTheAzCommandFailed) {
  const CliRun r = Exec("-af " + Temp("empty.json", ""));
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(ErrorLine(r), "error: empty file (did the az command fail? its error went to stderr)");
}

TEST(CliUxE2eTest, AzureErrorBodyShowsCodeAndMessageEscaped) {
  const CliRun r = Exec(
      "-af " + Temp("error.json", R"({"error":{"code":"Forbidden","message":"Caller is not authorized\u001b[2J"}})"));
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(ErrorLine(r),
            "error: the file holds an Azure error response, not an attestation: code 'Forbidden', message 'Caller "
            "is not authorized\\x1b[2J'");
}

TEST(CliUxE2eTest, KeyWithoutAttestationNamesTheEndpoint) {
  const CliRun r = Exec("-af " + Temp("key.json", R"({"key":{"kid":"https://p.managedhsm.azure.net/keys/k/v"},)"
                                                  R"("attributes":{"enabled":true}})"));
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(ErrorLine(r),
            "error: required field 'attributes.attestation' is missing: this is a key without its attestation (GET "
            "/keys/<name> answers so); the attestation comes from GET "
            "/keys/<name>/attestation?api-version=7.6-preview.1 or az keyvault key get-attestation");
}

TEST(CliUxE2eTest, Utf16IsNamedWithHowToResave) {
  const std::string expected =
      "error: the file is UTF-16 text (what Windows PowerShell's '>' writes), not UTF-8 JSON; save it as UTF-8, "
      "e.g. Get-Content in.json | Set-Content -Encoding utf8 out.json, or let az write it with --file / "
      "--output-file";
  const std::string ascii = R"({"a":1})";
  std::string le_bom = "\xFF\xFE";
  std::string be_bom = "\xFE\xFF";
  std::string le;
  std::string be;
  for (char c : ascii) {
    le += std::string{c, '\0'};
    be += std::string{'\0', c};
  }
  for (const auto& [name, text] : std::vector<std::pair<std::string, std::string>>{
           {"le_bom", le_bom + le}, {"be_bom", be_bom + be}, {"le", le}, {"be", be}}) {
    const CliRun r = Exec("-af " + Temp("utf16_" + name + ".json", text));
    EXPECT_EQ(r.exit_code, 3) << name;
    EXPECT_EQ(ErrorLine(r), expected) << name;
  }
}

TEST(CliUxE2eTest, Utf8WithABomIsAccepted) {
  const std::string text = testing::ReadFileText(Sample("azure-sdk-js-rsa2048"));
  const CliRun r = Exec("-af " + Temp("bom.json", "\xEF\xBB\xBF" + text));
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("Result: VERIFIED"), std::string::npos);
}

TEST(CliUxE2eTest, JsonSyntaxErrorsGiveLineAndColumn) {
  const CliRun syntax = Exec("-af " + Temp("syntax.json", "{\n  \"a\": 1,\n}\n"));
  EXPECT_EQ(syntax.exit_code, 3);
  EXPECT_EQ(ErrorLine(syntax), "error: not valid JSON at line 3, column 1 (byte 13)");
  const std::string text = testing::ReadFileText(Sample("azure-sdk-js-rsa2048"));
  const CliRun cut = Exec("-af " + Temp("cut.json", text.substr(0, 600)));
  EXPECT_EQ(cut.exit_code, 3);
  EXPECT_EQ(ErrorLine(cut),
            "error: not valid JSON: the text ends after byte 600 before the document is complete (a truncated file?)");
  const CliRun trailing = Exec("-af " + Temp("trailing.json", "{\"a\": 1}\n{\"b\": 2}\n"));
  EXPECT_EQ(trailing.exit_code, 3);
  EXPECT_EQ(ErrorLine(trailing), "error: trailing data after the JSON document at line 2, column 1 (byte 10)");
}

TEST(CliUxE2eTest, BlobGivenJsonSuggestsAf) {
  const CliRun r = Exec("--blob " + Sample("azure-sdk-js-rsa2048"));
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(ErrorLine(r),
            "error: the blob is a JSON document, not a raw attestation blob; give it with -af instead of --blob");
}

TEST(CliUxE2eTest, ManPageDocumentsTheNewOptions) {
  const std::string man =
      testing::ReadFileText(std::string(KEYATTEST_REPO_TESTDATA) + "/../docs/man/validate_attestation.1");
  for (const char* option : {"owner\\-roots", "expect\\-key", "\\-\\-wide", "\\-\\-quiet", "\\-\\-color", "jsonl",
                             "junit", "binding.expected_key"}) {
    EXPECT_NE(man.find(option), std::string::npos) << option;
  }
}

}  // namespace
}  // namespace keyattest
