// Shared by the libFuzzer targets: invariant checks that abort with a message
// (libFuzzer then keeps the input as a crash artifact), and the classification
// of exceptions that escape a function whose contract names the one exception
// type it may throw.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>
#include <typeinfo>

#include "keyattest/openssl_ptr.h"

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

/// KEYATTEST_FUZZ_TOLERATE_KNOWN_BUGS=1 lets a run continue past the open
/// library bugs that KnownBug() recognises (fuzz/README.md lists them), so
/// that a campaign can look for new ones. Off by default: a known bug is
/// still a crash.
inline bool TolerateKnownBugs() {
  static const bool tolerate = [] {
    const char* v = std::getenv("KEYATTEST_FUZZ_TOLERATE_KNOWN_BUGS");
    return v != nullptr && std::string_view(v) == "1";
  }();
  return tolerate;
}

/// How often a run tolerated each known bug; printed when the process exits
/// (libFuzzer exits normally at the end of a run).
struct KnownBugCounts {
  long k1 = 0;
  long k2 = 0;
  ~KnownBugCounts() {
    if (k1 + k2 > 0) std::fprintf(stderr, "==keyattest-fuzz== tolerated known bugs: K1 x %ld, K2 x %ld\n", k1, k2);
  }
};

inline KnownBugCounts& Tolerated() {
  static KnownBugCounts counts;
  return counts;
}

/// The open bugs, each recognised as narrowly as possible. Returns its
/// counter, or null for anything else.
inline long* KnownBug(const std::exception& e) {
  // K1: ParseAttestationDocument lets nlohmann's out_of_range.406 ("number
  // overflow parsing '1e999'") escape instead of an InputError.
  if (const auto* j = dynamic_cast<const nlohmann::json::out_of_range*>(&e); j != nullptr && j->id == 406) {
    return &Tolerated().k1;
  }
  // K2: ParsePemBundle lets the Certificate constructor's CryptoError escape
  // for a certificate whose public key OpenSSL cannot decode.
  if (dynamic_cast<const CryptoError*>(&e) != nullptr &&
      std::string_view(e.what()).rfind("X509_get0_pubkey failed", 0) == 0) {
    return &Tolerated().k2;
  }
  return nullptr;
}

/// Call only from a catch block: the exception being handled broke the
/// contract of `where`. Aborts, unless it is a known bug and the run
/// tolerates those.
inline void UnexpectedException(const char* where) {
  try {
    throw;
  } catch (const std::exception& e) {
    if (long* count = KnownBug(e); count != nullptr && TolerateKnownBugs()) {
      ++*count;
      return;
    }
    Breach(__FILE__, __LINE__, where,
           std::string("unexpected exception ") + typeid(e).name() + " escaped: " + e.what());
  } catch (...) {
    Breach(__FILE__, __LINE__, where, "unexpected non-std exception escaped");
  }
}

}  // namespace keyattest::fuzz
