// Key policy (--require): parsing and evaluation of named requirements on the attested private (or secret) key
// object, each reported as its own check (docs/marvell-format.md §8.3).
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "keyattest/marvell/attributes.h"
#include "keyattest/report/report.h"
#include "keyattest/x509/certificate.h"

namespace keyattest {

struct Requirement {
  enum class Kind { kGenerated, kNonExportable, kSensitive, kFips, kAttribute };
  Kind kind = Kind::kAttribute;
  std::string text;              // as the user wrote it
  std::uint32_t attribute = 0;   // kAttribute only
  std::string expected;          // kAttribute only: the value as written
  marvell::RequiredValue value;  // kAttribute only: parsed against the attribute's type
};

/// A --require value could not be understood (exit code 2).
class PolicyError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// Parses --require values: each may hold several comma-separated entries of
/// `generated`, `non-exportable`, `sensitive`, `fips` or `ATTRIBUTE=VALUE`,
/// where ATTRIBUTE is a known attribute and VALUE one its type can take
/// (marvell::ParseRequiredValue). Throws PolicyError naming the value and
/// what is accepted.
std::vector<Requirement> ParseRequirements(const std::vector<std::string>& specs);

/// Evaluates the requirements: one policy.<requirement> check each (§8.3).
/// Fails closed when the attested private key object is not available.
void AddPolicyChecks(const std::vector<Requirement>& requirements, const marvell::AttestedKey* attested,
                     const Certificate* card, const Certificate* partition, Report& report);

}  // namespace keyattest
