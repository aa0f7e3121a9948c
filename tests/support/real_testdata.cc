#include "tests/support/real_testdata.h"

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <system_error>

#ifndef KEYATTEST_SHARED_DIR
#define KEYATTEST_SHARED_DIR "../shared"  // relative to the working directory
#endif

namespace keyattest::testing {

std::optional<std::filesystem::path> RealTestdataDir() {
  const char* env = std::getenv("KEYATTEST_REAL_TESTDATA");
  std::filesystem::path dir = env != nullptr && *env != '\0'
                                  ? std::filesystem::path(env)
                                  : std::filesystem::path(KEYATTEST_SHARED_DIR) / "testdata/real";
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return std::nullopt;
  return dir;
}

std::optional<std::filesystem::path> SharedTestdataDir(const std::string& name) {
  const char* env = std::getenv("KEYATTEST_SHARED_TESTDATA");
  std::filesystem::path dir = env != nullptr && *env != '\0' ? std::filesystem::path(env)
                                                             : std::filesystem::path(KEYATTEST_SHARED_DIR) / "testdata";
  dir /= name;
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return std::nullopt;
  return dir;
}

std::string ReadFileText(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path.string());
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace keyattest::testing
