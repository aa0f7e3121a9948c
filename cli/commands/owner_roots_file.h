// --owner-roots FILE: several owner root pins, one per line or PEM block
// (docs/checks.md, owner_root.pin).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "keyattest/core/bytes.h"
#include "keyattest/x509/certificate.h"

namespace keyattest::cli {

struct OwnerRootPin {
  Bytes spki_sha256;
  std::optional<Certificate> certificate;  // when given as PEM
};

/// Parses the text of an --owner-roots file: each line is blank, a comment
/// ('#' to the end of the line), 64 hex digits of an SPKI SHA-256 (colons
/// allowed), or part of a PEM certificate block. Strict: anything else, an
/// unterminated block or a file without a pin throws UsageError naming the
/// file and the line.
std::vector<OwnerRootPin> ParseOwnerRoots(const std::string& text, const std::string& name);

/// Reads the file (the one file reader) and parses it; an unreadable file is
/// a usage error too (it is trust input).
std::vector<OwnerRootPin> ReadOwnerRootsFile(const std::string& path);

}  // namespace keyattest::cli
