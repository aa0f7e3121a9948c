// Internal to src/maa: appends the MAA token checks to a report under an
// optional id prefix and remembers whether every one of them passed.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "keyattest/jose/jwks.h"
#include "keyattest/jose/jws.h"
#include "keyattest/maa/issuer_keys.h"
#include "keyattest/maa/maa_token.h"
#include "keyattest/report/report.h"

namespace keyattest::maa {

class TokenChecks {
 public:
  TokenChecks(Report& report, std::string prefix) : report_(report), prefix_(std::move(prefix)) {}

  /// The check's id under the prefix: "token.alg" -> "result_token.alg",
  /// "jwks.key" -> "result_token.jwks.key".
  std::string IdOf(const std::string& id) const;

  void Pass(const CheckName& check, std::string detail);
  void Warn(const CheckName& check, std::string detail);
  void Fail(const CheckName& check, std::string detail);
  void Skip(const CheckName& check, std::string detail);
  void FailMalformed(const CheckName& check, std::string detail);
  void FailTrust(const CheckName& check, std::string detail);
  /// Pass or Fail.
  void Result(const CheckName& check, bool ok, std::string detail);

  /// Every check added so far passed or warned.
  bool all_passed() const { return all_passed_; }

 private:
  /// `check` under the prefix (an owned id); `check` itself when there is
  /// no prefix.
  CheckName Prefixed(const CheckName& check) const;

  Report& report_;
  std::string prefix_;
  bool all_passed_ = true;
};

/// What the checks found so far; later checks read it.
struct TokenState {
  std::optional<jose::CompactJws> jws;
  bool header_ok = false;
  bool claims_ok = false;
  nlohmann::ordered_json claims;
  const jose::Jwks* jwks = nullptr;  // the issuer's keys, when usable
  const jose::Jwk* jwk = nullptr;    // the entry token.kid selected
  bool key_usable = false;           // signing_key.size passed or warned
};

/// Throws UsageError when options.issuer is empty (maa_token.cc).
void RequireIssuer(const MaaTokenOptions& options);
/// jwks.key, token.kid and signing_key.size (key_checks.cc).
void CheckJwksAndKid(const IssuerKeys& keys, MaaTokenResult& result, TokenState& state, TokenChecks& checks);
/// token.signature (key_checks.cc).
void CheckSignature(const TokenState& state, TokenChecks& checks);
/// token.issuer, token.time and claim.<path> (claim_checks.cc).
void CheckIssuerTimeAndClaims(const TokenState& state, const MaaTokenOptions& options, TokenChecks& checks);

}  // namespace keyattest::maa
