// Private to src/x509: the fresh re-encoding of a tbsCertificate, for the
// canonical-DER check in certificate.cc.
#pragma once

#include "keyattest/core/bytes.h"

namespace keyattest::x509_internal {

/// Whether OpenSSL, decoding `tbs` (one tbsCertificate, RFC 5280 §4.1) and
/// encoding it again from the decoded values, writes exactly these bytes.
/// This is the encoding `i2d_re_X509_tbs` writes for a freshly decoded
/// certificate, obtained without decoding the whole certificate again.
bool TbsReEncodesToItself(ByteSpan tbs);

}  // namespace keyattest::x509_internal
