#include "src/maa/token_checks.h"

namespace keyattest::maa {

std::string TokenChecks::IdOf(const std::string& id) const {
  if (prefix_.empty()) return id;
  if (id.starts_with("token.")) return prefix_ + id.substr(6);
  return prefix_ + id;
}

CheckDefinition TokenChecks::Prefixed(const CheckDefinition& check, std::string& storage) const {
  storage = IdOf(check.id);
  return CheckDefinition{storage.c_str(), check.title};
}

void TokenChecks::Pass(const CheckDefinition& check, std::string detail) {
  std::string id;
  report_.Pass(Prefixed(check, id), std::move(detail));
}

void TokenChecks::Warn(const CheckDefinition& check, std::string detail) {
  std::string id;
  report_.Warn(Prefixed(check, id), std::move(detail));
}

void TokenChecks::Fail(const CheckDefinition& check, std::string detail) {
  std::string id;
  all_passed_ = false;
  report_.Fail(Prefixed(check, id), std::move(detail));
}

void TokenChecks::Skip(const CheckDefinition& check, std::string detail) {
  std::string id;
  all_passed_ = false;
  report_.Skip(Prefixed(check, id), std::move(detail));
}

void TokenChecks::FailMalformed(const CheckDefinition& check, std::string detail) {
  std::string id;
  all_passed_ = false;
  report_.FailMalformed(Prefixed(check, id), std::move(detail));
}

void TokenChecks::FailTrust(const CheckDefinition& check, std::string detail) {
  std::string id;
  all_passed_ = false;
  report_.FailTrust(Prefixed(check, id), std::move(detail));
}

void TokenChecks::Result(const CheckDefinition& check, bool ok, std::string detail) {
  if (ok) {
    Pass(check, std::move(detail));
  } else {
    Fail(check, std::move(detail));
  }
}

}  // namespace keyattest::maa
