// The verification report: an ordered list of named checks plus the parsed
// facts. Text and JSON output are renderings of this one structure.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "keyattest/core/static_text.h"
#include "keyattest/report/report_facts.h"

namespace keyattest {

enum class CheckStatus { kPass, kFail, kSkip, kWarn };
const char* CheckStatusName(CheckStatus status);  // "pass", "fail", ...

/// A check as a verifier declares it, once, in its table of checks: the id
/// users and tests refer to, and the one title it has in every report. Both
/// are static text (a definition cannot be built from a run-time string), so
/// reports record them as views, without a copy per check of every file.
struct CheckDefinition {
  StaticText id;
  StaticText title;
};

/// A check's id or title in a report: a view of static text (a
/// CheckDefinition's), or text made at run time (an id under a prefix, one
/// check per --require entry), owned and shared by every copy of the check.
/// Either way the view is valid as long as the CheckText, wherever it is
/// copied or moved: a batch moves reports to another thread, and the chain
/// cache copies one verification's checks into many reports.
class CheckText {
 public:
  CheckText() = default;
  /// A literal (consteval, as StaticText: run-time text does not compile).
  consteval CheckText(const char* text) : view_(text) {}  // NOLINT(google-explicit-constructor)
  explicit CheckText(StaticText text) : view_(text.view()) {}
  /// Owns the text (implicit, so a built id reads as itself at the call site).
  CheckText(std::string text);  // NOLINT(google-explicit-constructor)

  CheckText(const CheckText&) = default;
  CheckText& operator=(const CheckText&) = default;
  /// A moved-from CheckText is empty: it keeps no view of the text that its
  /// move target now owns (and may free).
  CheckText(CheckText&& other) noexcept
      : view_(std::exchange(other.view_, std::string_view())), owned_(std::move(other.owned_)) {}
  CheckText& operator=(CheckText&& other) noexcept {
    std::string_view view = std::exchange(other.view_, std::string_view());
    owned_ = std::move(other.owned_);
    view_ = view;
    return *this;
  }
  ~CheckText() = default;

  std::string_view view() const { return view_; }
  bool empty() const { return view_.empty(); }
  friend bool operator==(const CheckText& a, std::string_view b) { return a.view_ == b; }

 private:
  std::string_view view_;
  std::shared_ptr<const std::string> owned_;  // null for static text
};

/// Prints the text (test failure messages).
std::ostream& operator<<(std::ostream& out, const CheckText& text);

/// The id and title a report records for a check: a CheckDefinition's
/// (implicit: every table entry is one), or made at run time.
struct CheckName {
  CheckName(const CheckDefinition& check)  // NOLINT(google-explicit-constructor)
      : id(check.id), title(check.title) {}
  CheckName(CheckText check_id, CheckText check_title) : id(std::move(check_id)), title(std::move(check_title)) {}

  CheckText id;
  CheckText title;
};

struct CheckResult {
  CheckText id;     // stable, e.g. "chain.manufacturer"
  CheckText title;  // short human title
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

  void Add(CheckText id, CheckText title, CheckStatus status, std::string detail);
  void Set(const CheckName& check, CheckStatus status, std::string detail);
  void Pass(const CheckName& check, std::string detail) { Set(check, CheckStatus::kPass, std::move(detail)); }
  void Fail(const CheckName& check, std::string detail) { Set(check, CheckStatus::kFail, std::move(detail)); }
  void Warn(const CheckName& check, std::string detail) { Set(check, CheckStatus::kWarn, std::move(detail)); }
  void Skip(const CheckName& check, std::string detail) { Set(check, CheckStatus::kSkip, std::move(detail)); }
  /// Fails `check` because the input is malformed: the report becomes
  /// unreadable (exit 3), with the check named in the error.
  void FailMalformed(const CheckName& check, std::string detail);
  /// Fails `check` because a trust input is unusable (exit 2).
  void FailTrust(const CheckName& check, std::string detail);
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
