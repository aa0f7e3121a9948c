#include "keyattest/run/directory_types.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace keyattest {
namespace {

namespace fs = std::filesystem;

fs::path FreshDir(const std::string& name) {
  fs::path dir = fs::path(::testing::TempDir()) / ("keyattest_dirtypes_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

/// What one stat(2) per path says: the rule the directory read must match.
std::vector<bool> ByStat(const std::vector<std::string>& paths) {
  std::vector<bool> out;
  for (const std::string& p : paths) {
    struct stat st {};
    out.push_back(p != "-" && ::stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode));
  }
  return out;
}

/// A directory of every kind of entry a list may name, and the list: every
/// entry, names that are not there, a name twice, and enough regular files
/// that the directory is read.
std::vector<std::string> EveryKindOfEntry(const fs::path& dir) {
  std::vector<std::string> paths;
  for (int i = 0; i < 20; ++i) {
    const fs::path file = dir / ("key-" + std::to_string(i) + ".json");
    std::ofstream(file) << "{}";
    paths.push_back(file.string());
  }
  fs::create_directories(dir / "sub.json" / "inner");
  fs::create_directories(dir / "real");
  fs::create_directory_symlink(dir / "real", dir / "dirlink.json");
  fs::create_symlink(dir / "key-0.json", dir / "filelink.json");
  fs::create_symlink(dir / "nowhere", dir / "dangling.json");
  fs::create_symlink(dir / "looping.json", dir / "looping.json");
  EXPECT_EQ(::mkfifo((dir / "fifo.json").c_str(), 0600), 0);
  for (const char* name : {"sub.json", "real", "dirlink.json", "filelink.json", "dangling.json", "looping.json",
                           "fifo.json", "missing.json", "key-3.json", "sub.json/inner", "sub.json/", "real/.", ".."}) {
    paths.push_back((dir / name).string());
  }
  paths.emplace_back("-");
  return paths;
}

TEST(DirectoryTypesTest, ReadingTheDirectoryAnswersAsStatDoesForEveryKindOfEntry) {
  const fs::path dir = FreshDir("kinds");
  const std::vector<std::string> paths = EveryKindOfEntry(dir);
  const std::vector<bool> expected = ByStat(paths);
  // The directories among them, named: the comparison cannot pass by
  // answering false throughout.
  std::vector<std::string> directories;
  for (std::size_t i = 0; i < paths.size(); ++i) {
    if (expected[i]) directories.push_back(fs::path(paths[i]).lexically_relative(dir).string());
  }
  EXPECT_EQ(directories, (std::vector<std::string>{"sub.json", "real", "dirlink.json", "sub.json/inner", "sub.json/",
                                                   "real/.", ".."}));
  EXPECT_EQ(WhichAreDirectories(paths), expected);                    // the directory is read
  EXPECT_EQ(WhichAreDirectories(paths, 1), expected);                 // every directory is read
  EXPECT_EQ(WhichAreDirectories(paths, paths.size() + 1), expected);  // stat only
}

TEST(DirectoryTypesTest, BareNamesAreEntriesOfTheWorkingDirectory) {
  const fs::path dir = FreshDir("cwd");
  std::vector<std::string> names;
  for (int i = 0; i < 17; ++i) {
    std::ofstream(dir / ("f" + std::to_string(i) + ".json")) << "{}";
    names.push_back("f" + std::to_string(i) + ".json");
  }
  fs::create_directories(dir / "d.json");
  names.emplace_back("d.json");
  names.emplace_back("absent.json");
  const fs::path before = fs::current_path();
  fs::current_path(dir);
  const std::vector<bool> got = WhichAreDirectories(names, 1);
  const std::vector<bool> expected = ByStat(names);
  fs::current_path(before);
  EXPECT_EQ(got, expected);
  EXPECT_TRUE(got[17]);
  EXPECT_FALSE(got[0]);
}

TEST(DirectoryTypesTest, PathsThatCannotBeExaminedAreNotDirectories) {
  const std::vector<std::string> paths = {"", "-", "/nonexistent/dir/a.json", "/nonexistent/dir/b.json"};
  EXPECT_EQ(WhichAreDirectories(paths, 1), (std::vector<bool>{false, false, false, false}));
  EXPECT_EQ(WhichAreDirectories({"/"}, 1), std::vector<bool>{true});
}

TEST(DirectoryTypesTest, ADirectoryThatCannotBeSearchedIsLeftToStat) {
  if (::geteuid() == 0) GTEST_SKIP() << "root may search any directory";
  const fs::path dir = FreshDir("nosearch");
  std::vector<std::string> paths;
  for (int i = 0; i < 16; ++i) {
    std::ofstream(dir / ("f" + std::to_string(i) + ".json")) << "{}";
    paths.push_back((dir / ("f" + std::to_string(i) + ".json")).string());
  }
  fs::create_directories(dir / "d.json");
  paths.push_back((dir / "d.json").string());
  fs::permissions(dir, fs::perms::owner_read);  // readable, not searchable
  const std::vector<bool> got = WhichAreDirectories(paths, 1);
  fs::permissions(dir, fs::perms::owner_all);
  // stat cannot reach d.json: it is not expanded, and the file reader then
  // says why it cannot be read, as before.
  EXPECT_EQ(got, std::vector<bool>(paths.size(), false));
}

}  // namespace
}  // namespace keyattest
