// The one time a run checks against (docs/architecture.md "Time and trust
// are values"). Nothing else in the library asks the clock.
#pragma once

#include <cstdint>
#include <ctime>
#include <optional>
#include <string>

namespace keyattest {

struct CheckTime {
  std::time_t at = 0;
  /// Seconds of tolerance granted to time windows that allow it (tokens);
  /// certificate validity never uses it.
  std::int64_t skew_seconds = 0;
  /// True when `at` was taken from the clock rather than given with --at.
  bool from_clock = true;

  /// Now, from the system clock.
  static CheckTime Now();
  /// A given time (as --at gives it), no skew.
  static CheckTime At(std::time_t at);
  /// `--at` (RFC 3339, or now when absent) and `--skew` in seconds (0 to
  /// 86400). Throws UsageError naming the option and the accepted form.
  static CheckTime FromOptions(const std::optional<std::string>& at_rfc3339, std::int64_t skew_seconds = 0);

  std::string Rfc3339() const;
};

}  // namespace keyattest
