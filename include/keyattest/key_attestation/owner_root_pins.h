// Owner root pins: --owner-root (an SPKI SHA-256 in hex or a PEM
// certificate) and --owner-roots files holding several (docs/checks.md,
// owner_root.pin). Parsed from text the caller read; never from a path.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keyattest/core/bytes.h"
#include "keyattest/x509/certificate.h"

namespace keyattest {

struct OwnerRootPin {
  Bytes spki_sha256;
  std::optional<Certificate> certificate;  // when given as PEM
};

/// 64 hex digits of an SPKI SHA-256, colons allowed between them (as the
/// report prints pins); nullopt for anything else.
std::optional<Bytes> ParseSpkiPinHex(std::string_view text);

/// A certificate as a pin: its SPKI SHA-256, and itself as an anchor.
OwnerRootPin OwnerRootPinOf(Certificate certificate);

/// Exactly one PEM certificate: its SPKI SHA-256 and the certificate.
/// Throws what ParseSinglePemCertificate throws.
OwnerRootPin OwnerRootPinFromPem(ByteSpan pem);

/// Parses the text of an --owner-roots file: each line is blank, a comment
/// ('#' to the end of the line), 64 hex digits of an SPKI SHA-256 (colons
/// allowed), or part of a PEM certificate block. Strict: anything else, an
/// unterminated block or a file without a pin throws UsageError naming the
/// file and the line.
std::vector<OwnerRootPin> ParseOwnerRoots(std::string_view text, const std::string& name);

}  // namespace keyattest
