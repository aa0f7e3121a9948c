// Private to src/x509: the fresh re-encoding of a tbsCertificate, for the
// canonical-DER check in certificate.cc.
#pragma once

#include <string>

#include "keyattest/core/bytes.h"

namespace keyattest::x509_internal {

/// Why `tbs` (one tbsCertificate, RFC 5280 §4.1) is not canonical DER as
/// OpenSSL decodes it, or "" when it is. Two rules, in this order:
/// - decoding it and encoding it again from the decoded values (the
///   encoding `i2d_re_X509_tbs` writes for a freshly decoded certificate,
///   obtained without decoding the whole certificate again) must give
///   exactly these bytes;
/// - no DEFAULT value is encoded (X.690 §11.5): an explicit `version
///   v1(0)`, an extension's explicit `critical FALSE`, or one inside the
///   extension values that have a DEFAULT (extension_defaults.h). OpenSSL
///   keeps these as received and writes them again, so the first rule
///   cannot see them (docs/checks.md `certificates.bundle`).
/// The reason is a phrase to follow "is not canonical DER: ".
std::string TbsEncodingProblem(ByteSpan tbs);

}  // namespace keyattest::x509_internal
