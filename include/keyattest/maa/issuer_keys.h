// An MAA issuer's signing keys parsed once from its JWKS text (the body of
// GET <issuer>/certs), so that a consumer verifying many tokens of one issuer
// does not decode the keys' x5c certificates for every token (docs/maa.md
// "Verifying many tokens").
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "keyattest/jose/jwks.h"

namespace keyattest::maa {

/// Immutable after construction. Copies share the parsed set, so copying is
/// cheap and one set may verify tokens on several threads at once.
///
/// A JWKS that cannot be used is not an exception here: the set remembers
/// why, and every token verified with it fails jwks.key with that reason
/// (FailTrust, exit 2) at the point in the checks where the text overloads
/// of VerifyMaaToken report it. So a set made from bad text gives exactly the
/// report the text gives.
class IssuerKeys {
 public:
  /// Parses `jwks_text` with jose::ParseJwks (every check of docs/maa.md
  /// "JWKS"). Only jose::JwksError is kept as the reason; anything else
  /// (an OpenSSL failure, no memory) propagates as it would mid-verification.
  explicit IssuerKeys(std::string_view jwks_text);

  /// The JWKS parsed and passed every check of jose::ParseJwks.
  bool usable() const { return jwks_ != nullptr; }
  /// Why the JWKS is unusable (the jwks.key detail); "" when usable().
  const std::string& error() const { return error_; }
  /// The parsed set; an empty set when !usable().
  const jose::Jwks& jwks() const;

 private:
  std::shared_ptr<const jose::Jwks> jwks_;
  std::string error_;
};

}  // namespace keyattest::maa
