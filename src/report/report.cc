#include "keyattest/report/report.h"

#include <ostream>

namespace keyattest {

CheckText::CheckText(std::string text) : owned_(std::make_shared<const std::string>(std::move(text))) {
  view_ = *owned_;
}

std::ostream& operator<<(std::ostream& out, const CheckText& text) { return out << text.view(); }

const char* CheckStatusName(CheckStatus status) {
  switch (status) {
    case CheckStatus::kPass:
      return "pass";
    case CheckStatus::kFail:
      return "fail";
    case CheckStatus::kSkip:
      return "skip";
    case CheckStatus::kWarn:
      return "warn";
  }
  return "fail";
}

void Report::Add(CheckText id, CheckText title, CheckStatus status, std::string detail) {
  checks.push_back(CheckResult{std::move(id), std::move(title), status, std::move(detail)});
}

void Report::Set(const CheckName& check, CheckStatus status, std::string detail) {
  checks.push_back(CheckResult{check.id, check.title, status, std::move(detail)});
}

void Report::FailMalformed(const CheckName& check, std::string detail) {
  if (!input_error) input_error = std::string(check.id.view()) + ": " + detail;
  Fail(check, std::move(detail));
}

void Report::FailTrust(const CheckName& check, std::string detail) {
  if (!trust_error) trust_error = std::string(check.id.view()) + ": " + detail;
  Fail(check, std::move(detail));
}

void Report::FailInternal(std::string detail) {
  if (!internal_error) internal_error = std::move(detail);
}

const char* VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kVerified:
      return "verified";
    case Verdict::kFailed:
      return "failed";
    case Verdict::kUnreadable:
      return "unreadable";
    case Verdict::kUnusableTrust:
      return "unusable-trust-input";
    case Verdict::kInternalError:
      return "internal-error";
  }
  return "failed";
}

Verdict Report::verdict() const {
  if (internal_error) return Verdict::kInternalError;
  if (input_error) return Verdict::kUnreadable;
  if (trust_error) return Verdict::kUnusableTrust;
  if (checks.empty()) return Verdict::kFailed;
  for (const auto& c : checks) {
    if (c.status == CheckStatus::kFail) return Verdict::kFailed;
  }
  return Verdict::kVerified;
}

ExitCode Report::exit_code() const {
  switch (verdict()) {
    case Verdict::kVerified:
      return ExitCode::kVerified;
    case Verdict::kFailed:
      return ExitCode::kVerificationFailed;
    case Verdict::kUnreadable:
      return ExitCode::kUnreadable;
    case Verdict::kUnusableTrust:
      return ExitCode::kUsage;
    case Verdict::kInternalError:
      return ExitCode::kInternalError;
  }
  return ExitCode::kVerificationFailed;
}

const CheckResult* Report::Find(std::string_view id) const {
  for (const auto& c : checks) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

ExitCode WorstExitCode(ExitCode a, ExitCode b) {
  auto rank = [](ExitCode c) {
    switch (c) {
      case ExitCode::kVerified:
        return 0;
      case ExitCode::kVerificationFailed:
        return 1;
      case ExitCode::kUnreadable:
        return 3;
      case ExitCode::kUsage:
        return 2;
      case ExitCode::kOutputError:
        return 4;
      case ExitCode::kInternalError:
        return 5;
    }
    return 1;
  };
  return rank(a) >= rank(b) ? a : b;
}

}  // namespace keyattest
