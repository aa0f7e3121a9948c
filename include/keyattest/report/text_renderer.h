// Human-readable rendering of a Report.
#pragma once

#include <string>

#include "keyattest/report/report.h"

namespace keyattest {

struct TextOptions {
  bool verbose = false;  // every attribute, every certificate's details
  bool color = false;    // ANSI colours (only on a terminal, never with NO_COLOR)
  bool quiet = false;    // only failed checks and the result line
};

std::string RenderText(const Report& report, const TextOptions& options);

/// " for key 'NAME' version 'VERSION'" for a key-attestation report, escaped
/// for the terminal, with " (as claimed by the unsigned kid; not attested)"
/// when the name is not from a verified blob; "" when the report names no
/// key. Shared by the Result line and the batch line.
std::string KeyAttestationKeyPhrase(const Report& report);

}  // namespace keyattest
