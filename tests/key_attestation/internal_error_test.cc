// An unexpected exception while verifying one file is that file's internal
// error (exit 5): never "verification failed", never the end of the batch.
#include <gtest/gtest.h>

#include <stdexcept>

#include "keyattest/core/rfc3339.h"
#include "keyattest/io/json_reader.h"
#include "keyattest/report/json_renderer.h"
#include "keyattest/run/batch.h"
#include "tests/support/attestation_files.h"
#include "tests/support/test_paths.h"

namespace keyattest {
namespace {

using namespace keyattest::testing;

VerifyOptions OptionsThatFailOn(const std::string& path) {
  VerifyOptions options = DefaultVerifyOptions();
  options.check_time = keyattest::CheckTime::At(*ParseRfc3339("2026-06-01T00:00:00Z"));
  options.fault_for_tests = [path](const std::string& source, const AttestationDocument&) {
    if (source == path) throw std::logic_error("injected fault");
  };
  return options;
}

TEST(InternalErrorTest, UnexpectedExceptionIsExitFiveForThatFile) {
  const std::string path = RepoSample("azure-sdk-js-rsa2048");
  const Report r = VerifyAttestationFile(path, OptionsThatFailOn(path));
  EXPECT_EQ(r.verdict(), Verdict::kInternalError);
  EXPECT_EQ(r.exit_code(), ExitCode::kInternalError);
  ASSERT_TRUE(r.internal_error.has_value());
  EXPECT_EQ(*r.internal_error, "injected fault");
  EXPECT_EQ(r.source, path);
  EXPECT_EQ(r.checked_at, "2026-06-01T00:00:00Z");
  EXPECT_TRUE(r.checks.empty());  // nothing is claimed to have passed
}

TEST(InternalErrorTest, SameFileWithoutTheFaultVerifies) {
  const std::string path = RepoSample("azure-sdk-js-rsa2048");
  const Report r = VerifyAttestationFile(path, OptionsThatFailOn("/some/other/file"));
  EXPECT_EQ(r.exit_code(), ExitCode::kVerified);
  EXPECT_FALSE(r.internal_error.has_value());
}

TEST(InternalErrorTest, UnreadableInputStaysExitThree) {
  const Report r = VerifyAttestationFile("/nonexistent/attestation.json", OptionsThatFailOn("/nonexistent/x"));
  EXPECT_EQ(r.exit_code(), ExitCode::kUnreadable);
  EXPECT_FALSE(r.internal_error.has_value());
}

TEST(InternalErrorTest, BatchGoesOnAndEndsWithExitFive) {
  const std::vector<std::string> paths = {RepoSample("azure-sdk-js-rsa2048"), RepoSample("azure-sdk-net-oct-aes256"),
                                          RepoSample("azure-sdk-net-ec-p256")};
  const VerifyOptions options = OptionsThatFailOn(paths[1]);
  std::vector<ExitCode> codes;
  BatchSummary summary = VerifyBatch(paths, AttestationFiles(options), 2,
                                     [&](std::size_t, const Report& r) { codes.push_back(r.exit_code()); });
  ASSERT_EQ(codes.size(), 3u);
  EXPECT_EQ(codes[0], ExitCode::kVerified);
  EXPECT_EQ(codes[1], ExitCode::kInternalError);
  EXPECT_EQ(codes[2], ExitCode::kVerified);
  EXPECT_EQ(summary.files, 3u);
  EXPECT_EQ(summary.exit_code, ExitCode::kInternalError);
}

TEST(InternalErrorTest, JsonNamesTheVerdictAndTheError) {
  const std::string path = RepoSample("azure-sdk-js-rsa2048");
  const Report r = VerifyAttestationFile(path, OptionsThatFailOn(path));
  const nlohmann::json j = ParseStrictJson(RenderJsonLine(r), 64);
  EXPECT_EQ(j.at("verdict"), "internal-error");
  EXPECT_EQ(j.at("exit_code"), 5);
  EXPECT_EQ(j.at("error"), "internal error: injected fault");
}

}  // namespace
}  // namespace keyattest
