// Human-readable rendering of a Report: heading, the facts (as they render
// themselves), the checks and the Result line.
#pragma once

#include <string>

#include "keyattest/report/report.h"
#include "keyattest/report/text_layout.h"

namespace keyattest {

std::string RenderText(const Report& report, const TextOptions& options);

}  // namespace keyattest
