// Saturating arithmetic on 64-bit times and durations. Times in tokens and
// reports are hostile (a signed claim can hold any int64): a sum or
// difference that would overflow clamps to the nearest bound instead, so
// that a time far in the future never wraps round into the past.
#pragma once

#include <cstdint>
#include <limits>

namespace keyattest {

inline std::int64_t SaturatingAdd(std::int64_t a, std::int64_t b) {
  std::int64_t out = 0;
  if (__builtin_add_overflow(a, b, &out)) {
    return b > 0 ? std::numeric_limits<std::int64_t>::max() : std::numeric_limits<std::int64_t>::min();
  }
  return out;
}

inline std::int64_t SaturatingSub(std::int64_t a, std::int64_t b) {
  std::int64_t out = 0;
  if (__builtin_sub_overflow(a, b, &out)) {
    return b < 0 ? std::numeric_limits<std::int64_t>::max() : std::numeric_limits<std::int64_t>::min();
  }
  return out;
}

}  // namespace keyattest
