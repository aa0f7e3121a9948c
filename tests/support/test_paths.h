// Paths to the fixtures bundled in the repository.
#pragma once

#include <string>

#include "tests/support/real_testdata.h"

namespace keyattest::testing {

inline std::string RepoSample(const std::string& name) {
  return std::string(KEYATTEST_REPO_TESTDATA) + "/azure/" + name + "/attestation.json";
}

inline std::string ReadRepoSample(const std::string& name) { return ReadFileText(RepoSample(name)); }

}  // namespace keyattest::testing
