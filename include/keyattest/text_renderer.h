// Human-readable rendering of a Report.
#pragma once

#include <string>

#include "keyattest/report.h"

namespace keyattest {

struct TextOptions {
  bool verbose = false;  // every attribute, every certificate's details
  bool color = false;    // ANSI colours (only on a terminal, never with NO_COLOR)
  bool quiet = false;    // only failed checks and the result line
};

std::string RenderText(const Report& report, const TextOptions& options);

}  // namespace keyattest
