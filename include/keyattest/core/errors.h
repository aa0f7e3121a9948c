// The two input failures every verifier shares, each with its exit code
// (docs/exit-codes.md). Verifiers report check failures in their Report;
// these exceptions are for inputs that cannot be used at all.
#pragma once

#include <stdexcept>

namespace keyattest {

/// The input is not readable evidence (exit code 3): missing, special or
/// oversized file, not JSON, a required field missing or of the wrong type,
/// bytes that do not decode.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A usage error or an unusable trust input (exit code 2): a bad option
/// value, an unreadable pin or root, a trust list (JWKS) that is malformed.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace keyattest
