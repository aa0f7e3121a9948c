#pragma once

// The version comes from project() in CMakeLists.txt, the one place it is set.
#ifndef KEYATTEST_VERSION
#error "KEYATTEST_VERSION is defined by CMakeLists.txt (project VERSION)"
#endif

namespace keyattest {
inline constexpr char kVersion[] = KEYATTEST_VERSION;
}  // namespace keyattest
