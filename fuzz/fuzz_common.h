// Shared by the libFuzzer targets: invariant checks that abort with a message
// (libFuzzer then keeps the input as a crash artifact), and the report of an
// exception that escaped a function whose contract names the one exception
// type it may throw.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <typeinfo>

namespace keyattest::fuzz {

[[noreturn]] inline void Breach(const char* file, int line, const char* condition, const std::string& detail) {
  std::fprintf(stderr, "\n==keyattest-fuzz== INVARIANT BREACHED at %s:%d: %s\n==keyattest-fuzz== %s\n", file, line,
               condition, detail.c_str());
  std::fflush(stderr);
  std::abort();
}

/// Aborts with `detail` (a std::string) when `condition` does not hold.
#define KEYATTEST_FUZZ_CHECK(condition, detail)                                            \
  do {                                                                                     \
    if (!(condition)) ::keyattest::fuzz::Breach(__FILE__, __LINE__, #condition, (detail)); \
  } while (0)

/// Call only from a catch block: the exception being handled broke the
/// contract of `where`, so this aborts.
[[noreturn]] inline void UnexpectedException(const char* where) {
  try {
    throw;
  } catch (const std::exception& e) {
    Breach(__FILE__, __LINE__, where,
           std::string("unexpected exception ") + typeid(e).name() + " escaped: " + e.what());
  } catch (...) {
    Breach(__FILE__, __LINE__, where, "unexpected non-std exception escaped");
  }
}

}  // namespace keyattest::fuzz
