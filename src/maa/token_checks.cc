#include "src/maa/token_checks.h"

namespace keyattest::maa {

std::string TokenChecks::IdOf(const std::string& id) const {
  if (prefix_.empty()) return id;
  if (id.starts_with("token.")) return prefix_ + id.substr(6);
  return prefix_ + id;
}

CheckName TokenChecks::Prefixed(const CheckName& check) const {
  if (prefix_.empty()) return check;
  return CheckName(IdOf(std::string(check.id.view())), check.title);
}

void TokenChecks::Pass(const CheckName& check, std::string detail) { report_.Pass(Prefixed(check), std::move(detail)); }

void TokenChecks::Warn(const CheckName& check, std::string detail) { report_.Warn(Prefixed(check), std::move(detail)); }

void TokenChecks::Fail(const CheckName& check, std::string detail) {
  all_passed_ = false;
  report_.Fail(Prefixed(check), std::move(detail));
}

void TokenChecks::Skip(const CheckName& check, std::string detail) {
  all_passed_ = false;
  report_.Skip(Prefixed(check), std::move(detail));
}

void TokenChecks::FailMalformed(const CheckName& check, std::string detail) {
  all_passed_ = false;
  report_.FailMalformed(Prefixed(check), std::move(detail));
}

void TokenChecks::FailTrust(const CheckName& check, std::string detail) {
  all_passed_ = false;
  report_.FailTrust(Prefixed(check), std::move(detail));
}

void TokenChecks::Result(const CheckName& check, bool ok, std::string detail) {
  if (ok) {
    Pass(check, std::move(detail));
  } else {
    Fail(check, std::move(detail));
  }
}

}  // namespace keyattest::maa
