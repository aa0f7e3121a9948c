// Human-readable rendering of a Report.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "keyattest/report/report.h"

namespace keyattest {

struct TextOptions {
  bool verbose = false;  // every attribute, every certificate's details
  bool color = false;    // ANSI colours (only on a terminal, never with NO_COLOR)
  bool quiet = false;    // only failed checks and the result line
  /// Columns to fit (a terminal's width); 0 = no wrapping, one record per
  /// line (piped output, --wide, --verbose).
  std::size_t width = 0;
};

/// Splits `text` at spaces into lines of at most `width` columns (UTF-8
/// characters); a word longer than `width` is broken after its last '/' or
/// '-' that fits, else at `width`. width 0: one line. Never returns an
/// empty vector.
std::vector<std::string> WrapWords(std::string_view text, std::size_t width);

/// `text` wrapped to `width` columns, the first line after `first_prefix`
/// and the others indented to its length; each line ends in "\n".
std::string WrapWithHangingIndent(const std::string& first_prefix, std::string_view text, std::size_t width);

std::string RenderText(const Report& report, const TextOptions& options);

/// " for key 'NAME' version 'VERSION'" for a key-attestation report, escaped
/// for the terminal, with " (as claimed by the unsigned kid; not attested)"
/// when the name is not from a verified blob; "" when the report names no
/// key. Shared by the Result line and the batch line.
std::string KeyAttestationKeyPhrase(const Report& report);

}  // namespace keyattest
