#pragma once

namespace keyattest {
inline constexpr char kVersion[] = "0.1.0";
}  // namespace keyattest
