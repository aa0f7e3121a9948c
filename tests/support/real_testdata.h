// Locates the real attestations in ../shared/testdata/real (see its README);
// they stay outside the repository, so tests must skip when absent.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace keyattest::testing {

/// The shared real-data folder, or nullopt when it does not exist. The
/// environment variable KEYATTEST_REAL_TESTDATA overrides the built-in path.
std::optional<std::filesystem::path> RealTestdataDir();

/// A folder of the shared corpus (../shared/testdata/<name>), or nullopt when
/// it does not exist. KEYATTEST_SHARED_TESTDATA overrides ../shared/testdata.
std::optional<std::filesystem::path> SharedTestdataDir(const std::string& name);

/// The whole file; throws std::runtime_error when it cannot be read.
std::string ReadFileText(const std::filesystem::path& path);

}  // namespace keyattest::testing
