// The verification report: an ordered list of named checks plus the parsed
// facts. Text and JSON output are renderings of this one structure.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keyattest/report/report_facts.h"

namespace keyattest {

enum class CheckStatus { kPass, kFail, kSkip, kWarn };
const char* CheckStatusName(CheckStatus status);  // "pass", "fail", ...

/// A check as a verifier declares it, once, in its table of checks: the id
/// users and tests refer to, and the one title it has in every report.
struct CheckDefinition {
  const char* id;
  const char* title;
};

struct CheckResult {
  std::string id;     // stable, e.g. "chain.manufacturer"
  std::string title;  // short human title
  CheckStatus status = CheckStatus::kFail;
  std::string detail;  // what was seen, or exactly what was wrong
};

enum class Verdict { kVerified, kFailed, kUnreadable, kUnusableTrust, kInternalError };

/// The one name of each verdict, as the JSON output and summaries print it:
/// "verified", "failed", "unreadable", "unusable-trust-input",
/// "internal-error".
const char* VerdictName(Verdict verdict);

/// Exit codes are a contract (README "Exit codes"): 0 verified, 1 a check
/// failed, 2 usage error or unusable trust input, 3 input unreadable or
/// malformed, 4 the report could not be written, 5 internal error.
enum class ExitCode : int {
  kVerified = 0,
  kVerificationFailed = 1,
  kUsage = 2,
  kUnreadable = 3,
  kOutputError = 4,
  kInternalError = 5,
};

struct Report {
  /// Which verifier made it: "key-attestation", "maa", "snp", ...
  std::string kind;
  std::string source;                      // path as given, "-" for stdin
  std::optional<std::string> input_error;  // set => unreadable (exit 3)
  std::optional<std::string> trust_error;  // set => unusable trust input (exit 2)
  /// Set => the verifier itself failed on this input (an unexpected
  /// exception, a bug): exit 5 for this file, never "verification failed".
  std::optional<std::string> internal_error;
  std::string checked_at;  // RFC 3339 time used for validity
  std::vector<CheckResult> checks;
  /// The verifier's parsed facts, in the order they are shown: renderers
  /// print them generically (text: an indented tree; JSON: the "facts"
  /// object as it is), unless `verifier_facts` is set.
  nlohmann::ordered_json facts = nlohmann::ordered_json::object();
  /// Facts that render themselves (report_facts.h), for a verifier whose
  /// output has its own shape (key attestation); null: `facts` is shown.
  /// Copies of the report share them.
  std::shared_ptr<ReportFacts> verifier_facts;
  /// What VERIFIED means for this kind, for the text Result line
  /// ("the token was signed by the issuer's key and is valid").
  std::string verified_meaning;

  void Add(std::string id, std::string title, CheckStatus status, std::string detail);
  void Set(const CheckDefinition& check, CheckStatus status, std::string detail);
  void Pass(const CheckDefinition& check, std::string detail) { Set(check, CheckStatus::kPass, std::move(detail)); }
  void Fail(const CheckDefinition& check, std::string detail) { Set(check, CheckStatus::kFail, std::move(detail)); }
  void Warn(const CheckDefinition& check, std::string detail) { Set(check, CheckStatus::kWarn, std::move(detail)); }
  void Skip(const CheckDefinition& check, std::string detail) { Set(check, CheckStatus::kSkip, std::move(detail)); }
  /// Fails `check` because the input is malformed: the report becomes
  /// unreadable (exit 3), with the check named in the error.
  void FailMalformed(const CheckDefinition& check, std::string detail);
  /// Fails `check` because a trust input is unusable (exit 2).
  void FailTrust(const CheckDefinition& check, std::string detail);
  /// Records that verifying this input hit an internal error (exit 5).
  void FailInternal(std::string detail);
  /// Verified only if readable, at least one check ran, and none failed
  /// (warnings do not fail; a report with no checks fails closed).
  Verdict verdict() const;
  ExitCode exit_code() const;
  const CheckResult* Find(std::string_view id) const;
};

/// The worst exit code of several reports (5 over 4 over 3 over 2 over 1
/// over 0).
ExitCode WorstExitCode(ExitCode a, ExitCode b);

}  // namespace keyattest
