#include "keyattest/core/check_time.h"

#include "keyattest/core/errors.h"
#include "keyattest/core/rfc3339.h"

namespace keyattest {

namespace {
constexpr std::int64_t kMaxSkewSeconds = 86400;
}

CheckTime CheckTime::Now() {
  CheckTime t;
  t.at = std::time(nullptr);
  t.from_clock = true;
  return t;
}

CheckTime CheckTime::At(std::time_t at) {
  CheckTime t;
  t.at = at;
  t.from_clock = false;
  return t;
}

CheckTime CheckTime::FromOptions(const std::optional<std::string>& at_rfc3339, std::int64_t skew_seconds) {
  CheckTime t = Now();
  if (at_rfc3339) {
    const std::optional<std::time_t> parsed = ParseRfc3339(*at_rfc3339);
    if (!parsed) {
      throw UsageError("--at: '" + *at_rfc3339 + "' is not an RFC 3339 time (example: 2030-01-01T00:00:00Z)");
    }
    t.at = *parsed;
    t.from_clock = false;
  }
  if (skew_seconds < 0 || skew_seconds > kMaxSkewSeconds) {
    throw UsageError("--skew: " + std::to_string(skew_seconds) + " is outside 0 to " + std::to_string(kMaxSkewSeconds) +
                     " seconds");
  }
  t.skew_seconds = skew_seconds;
  return t;
}

std::string CheckTime::Rfc3339() const { return FormatRfc3339(at); }

}  // namespace keyattest
