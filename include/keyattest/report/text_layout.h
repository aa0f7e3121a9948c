// The text report's layout tools, shared by the generic renderer and the
// verifiers that render their own facts: options, colours, wrapping and the
// grid table.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace keyattest {

struct TextOptions {
  bool verbose = false;  // every attribute, every certificate's details
  bool color = false;    // ANSI colours (only on a terminal, never with NO_COLOR)
  bool quiet = false;    // only failed checks and the result line
  /// Columns to fit (a terminal's width); 0 = no wrapping, one record per
  /// line (piped output, --wide, --verbose).
  std::size_t width = 0;
};

inline constexpr const char* kAnsiRed = "\033[31m";
inline constexpr const char* kAnsiGreen = "\033[32m";
inline constexpr const char* kAnsiYellow = "\033[33m";
inline constexpr const char* kAnsiDim = "\033[2m";
inline constexpr const char* kAnsiBold = "\033[1m";

/// `text` in the ANSI style `code` when `color`, else `text` as it is.
std::string Paint(const std::string& text, const char* code, bool color);

/// Columns a UTF-8 string takes (continuation bytes take none).
std::size_t DisplayWidth(std::string_view text);

/// `text` padded with spaces to `width` columns.
std::string PadRight(const std::string& text, std::size_t width);

/// Splits `text` at spaces into lines of at most `width` columns (UTF-8
/// characters); a word longer than `width` is broken after its last '/' or
/// '-' that fits, else at `width`. width 0: one line. Never returns an
/// empty vector.
std::vector<std::string> WrapWords(std::string_view text, std::size_t width);

/// `text` wrapped to `width` columns, the first line after `first_prefix`
/// and the others indented to its length; each line ends in "\n".
std::string WrapWithHangingIndent(const std::string& first_prefix, std::string_view text, std::size_t width);

/// A plain 3-column grid table whose first row is the header; within
/// `width` columns (0: no limit) cells wrap onto more lines. The cells are
/// printed as given (escape input first).
std::string Grid(const std::vector<std::array<std::string, 3>>& rows, std::size_t width);

}  // namespace keyattest
