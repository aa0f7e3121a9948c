// Text from untrusted input made safe to print on a terminal.
#pragma once

#include <string>
#include <string_view>

namespace keyattest {

/// Escapes what could make a terminal lie: C0 controls (except none: tab and
/// newline are escaped too, so one value stays one line), DEL, C1 controls
/// (U+0080-U+009F), and the bidirectional overrides and isolates
/// (U+202A-U+202E, U+2066-U+2069). Each becomes a visible escape such as
/// "\x1b" or "\u202e"; invalid UTF-8 bytes become "\xNN". Everything else,
/// printable ASCII and valid UTF-8, is kept as it is. A backslash is doubled
/// where it could be read as the start of an escape (before '\\', 'x', 'u',
/// or a character that is escaped or not ASCII), so the output reads back to
/// exactly the text.
std::string EscapeForTerminal(std::string_view text);

}  // namespace keyattest
