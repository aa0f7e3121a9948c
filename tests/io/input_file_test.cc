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
#include <utility>
#include <vector>

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

// ---- ReadInputFileInto: one buffer reused from file to file ----------------------------------

std::string ErrorInto(const std::string& path, std::size_t max_bytes, std::string& buffer) {
  try {
    ReadInputFileInto(path, max_bytes, "a test file", buffer);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(read)";
}

TEST(InputFileIntoTest, ABigFileThenASmallOneLeavesExactlyTheSmallOneInTheSameStorage) {
  const std::string big = WriteFile("into_big.bin", std::string(20000, 'B'));
  const std::string small = WriteFile("into_small.bin", "small");
  std::string buffer;
  ReadInputFileInto(big, 1 << 20, "a test file", buffer);
  EXPECT_EQ(buffer, std::string(20000, 'B'));
  const char* storage = buffer.data();
  ReadInputFileInto(small, 1 << 20, "a test file", buffer);
  EXPECT_EQ(buffer, "small");
  EXPECT_EQ(buffer.data(), storage);  // reused, not allocated again
  // The twin: a fresh buffer reads the same bytes.
  EXPECT_EQ(ReadInputFile(small, 1 << 20, "a test file"), "small");
}

TEST(InputFileIntoTest, AnEmptyFileAfterABigOneIsEmpty) {
  const std::string big = WriteFile("into_big2.bin", std::string(5000, 'B'));
  const std::string empty = WriteFile("into_empty.bin", "");
  std::string buffer;
  ReadInputFileInto(big, 1 << 20, "a test file", buffer);
  ReadInputFileInto(empty, 1 << 20, "a test file", buffer);
  EXPECT_EQ(buffer, "");
}

TEST(InputFileIntoTest, EveryRefusalLeavesTheBufferEmptyWithTheSameMessage) {
  const std::string big = WriteFile("into_big3.bin", std::string(3000, 'B'));
  const std::string over = WriteFile("into_over.bin", std::string(2000, 'x'));
  const std::string missing = ::testing::TempDir() + "/into-no-such-file.json";
  const std::string dir = ::testing::TempDir();
  for (const auto& [path, limit] : std::vector<std::pair<std::string, std::size_t>>{
           {over, 1024}, {missing, 1024}, {dir, 1024}, {"/dev/null", 1024}, {"/proc/self/status", 16}}) {
    std::string buffer;
    ReadInputFileInto(big, 1 << 20, "a test file", buffer);
    ASSERT_EQ(buffer.size(), 3000u);
    EXPECT_EQ(ErrorInto(path, limit, buffer), ErrorOf(path, limit)) << path;
    EXPECT_NE(ErrorInto(path, limit, buffer), "(read)") << path;
    EXPECT_TRUE(buffer.empty()) << path;  // no stale bytes of the big file, nor part of this one
  }
}

TEST(InputFileIntoTest, APseudoFileIsReadWholeIntoAReusedBuffer) {
  const std::string big = WriteFile("into_big4.bin", std::string(100000, '\x01'));
  std::string buffer;
  ReadInputFileInto(big, 1 << 20, "a test file", buffer);
  ReadInputFileInto("/proc/self/status", 1 << 20, "a test file", buffer);
  EXPECT_EQ(buffer.rfind("Name:", 0), 0u) << buffer;
  EXPECT_EQ(buffer.find('\x01'), std::string::npos);  // nothing of the earlier file
  EXPECT_EQ(buffer.back(), '\n');
}

}  // namespace
}  // namespace keyattest
