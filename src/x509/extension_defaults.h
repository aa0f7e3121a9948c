// Private to src/x509: DEFAULT values written out inside the values of the
// RFC 5280 extensions that have one, for the canonical-DER check
// (tbs_reencoding.h, docs/checks.md `certificates.bundle`).
#pragma once

#include <openssl/asn1.h>

#include <string>

namespace keyattest::x509_internal {

/// Which DEFAULT value the value (extnValue contents) of an extension of
/// type `nid` encodes explicitly, as a phrase such as "cA FALSE", or "" when
/// none does. Looks at basicConstraints (cA BOOLEAN DEFAULT FALSE, RFC 5280
/// §4.2.1.9) and nameConstraints (GeneralSubtree minimum DEFAULT 0,
/// §4.2.1.10), the certificate extensions of RFC 5280 with a DEFAULT;
/// OpenSSL keeps every extnValue as received, so re-encoding never sees
/// them. A value that does not decode is left to the chain checks, which
/// refuse it.
std::string ExplicitDefaultInExtensionValue(int nid, const ASN1_OCTET_STRING& value);

}  // namespace keyattest::x509_internal
