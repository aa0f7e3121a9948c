// The test executables' main: OpenSSL set up exactly as the CLI sets it up
// (keyattest::InitializeCrypto), so the suite verifies under the same
// conditions as a real run.
#include <gtest/gtest.h>
#include <stdlib.h>  // mkdtemp, setenv

#include <filesystem>
#include <string>
#include <system_error>

#include "keyattest/crypto/crypto_init.h"

namespace {

/// ctest runs test processes in parallel (and other checkouts may run the
/// suite on the same machine): every process gets its own temporary folder,
/// so that ::testing::TempDir() (which reads TEST_TMPDIR) never hands two
/// processes the same file name with different contents.
std::string MakeProcessTempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "keyattest-tests-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) return {};
  setenv("TEST_TMPDIR", pattern.c_str(), 1);
  return pattern;
}

}  // namespace

int main(int argc, char** argv) {
  keyattest::InitializeCrypto();
  const std::string temp_dir = MakeProcessTempDir();
  ::testing::InitGoogleTest(&argc, argv);
  const int result = RUN_ALL_TESTS();
  if (!temp_dir.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(temp_dir, ignored);
  }
  return result;
}
