// ReadInputFile reads a regular file whole, in as few system calls as it
// can, and never returns part of a file: these tests pin what it returns at
// the edges (exact size, the limit, empty files, pseudo-files that report no
// size) and the exact messages of its refusals.
#include "keyattest/io/input_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "keyattest/core/errors.h"

namespace keyattest {
namespace {

std::string WriteFile(const std::string& name, const std::string& content) {
  const std::filesystem::path path = std::filesystem::path(::testing::TempDir()) / name;
  std::ofstream(path, std::ios::binary) << content;
  return path.string();
}

std::string ErrorOf(const std::string& path, std::size_t max_bytes) {
  try {
    (void)ReadInputFile(path, max_bytes, "a test file");
  } catch (const InputError& e) {
    return e.what();
  }
  return "(read)";
}

TEST(InputFileTest, ReadsARegularFileWhole) {
  std::string content;
  for (int i = 0; i < 5000; ++i) content += static_cast<char>('a' + i % 26);
  content += std::string(3, '\0');  // bytes after a NUL are kept
  const std::string path = WriteFile("whole.bin", content);
  EXPECT_EQ(ReadInputFile(path, 1 << 20, "a test file"), content);
}

TEST(InputFileTest, AFileOfExactlyTheLimitIsReadAndOneByteMoreIsRefused) {
  const std::string at_limit = WriteFile("at_limit.bin", std::string(1024, 'x'));
  EXPECT_EQ(ReadInputFile(at_limit, 1024, "a test file"), std::string(1024, 'x'));
  const std::string over = WriteFile("over_limit.bin", std::string(1025, 'x'));
  EXPECT_EQ(ErrorOf(over, 1024), "'" + over + "' is larger than the 1 KiB limit for a test file");
}

TEST(InputFileTest, AnEmptyFileIsEmptyNotAnError) {
  const std::string path = WriteFile("empty.bin", "");
  EXPECT_EQ(ReadInputFile(path, 1024, "a test file"), "");
}

TEST(InputFileTest, APseudoFileThatReportsNoSizeIsReadToItsEnd) {
  // /proc files are regular files whose fstat size is 0: the one-call fast
  // path must not apply, or the content would be lost.
  struct stat st {};
  ASSERT_EQ(::stat("/proc/self/status", &st), 0);
  ASSERT_EQ(st.st_size, 0);
  const std::string status = ReadInputFile("/proc/self/status", 1 << 20, "a test file");
  EXPECT_EQ(status.rfind("Name:", 0), 0u) << status;
  EXPECT_NE(status.find("\nPid:"), std::string::npos);
  EXPECT_EQ(status.back(), '\n');
}

TEST(InputFileTest, APseudoFileLargerThanTheLimitIsRefused) {
  EXPECT_EQ(ErrorOf("/proc/self/status", 16), "'/proc/self/status' is larger than the 16 bytes limit for a test file");
}

TEST(InputFileTest, AMissingFileNamesTheSystemError) {
  const std::string path = ::testing::TempDir() + "/no-such-file.json";
  EXPECT_EQ(ErrorOf(path, 1024), "cannot open '" + path + "': No such file or directory");
}

}  // namespace
}  // namespace keyattest
