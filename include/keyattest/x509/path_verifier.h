// The one X.509 path check every chain uses (docs/architecture.md "Time and
// trust are values"): explicit anchors (the only trusted certificates), explicit
// untrusted certificates, the run's check time, an optional purpose and
// host name, and at most one tolerated OpenSSL error scoped to one
// certificate at one depth. Chains decide their shape (which certificate
// plays which role) before calling it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <ctime>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "keyattest/x509/algorithm_policy.h"
#include "keyattest/x509/certificate.h"

namespace keyattest {

/// An error X509_verify_cert reports that a chain accepts, for exactly one
/// certificate at exactly one depth (and, when given, one X.509 version):
/// e.g. X509_V_ERR_INVALID_CA for the X.509 v1 Marvell card certificate.
struct ToleratedError {
  int error = 0;                             // X509_V_ERR_...
  const Certificate* certificate = nullptr;  // the one certificate it may concern
  int depth = 0;                             // its position in the built path
  std::optional<long> x509_version;          // X509_VERSION_1 ...; unset = any
  std::string_view note;                     // the --verbose log line saying what was accepted
};

struct PathRequest {
  const Certificate* leaf = nullptr;
  std::vector<const Certificate*> anchors;    // the only trusted certificates
  std::vector<const Certificate*> untrusted;  // intermediates offered to the path builder
  std::time_t at = 0;                         // the check time (CheckTime::at)
  unsigned long flags = 0;                    // X509_V_FLAG_... beyond the defaults
  std::optional<ToleratedError> tolerated;
  /// X509_PURPOSE_... the whole path must serve (X509_PURPOSE_SSL_SERVER
  /// for a TLS server); 0 = no purpose check.
  int purpose = 0;
  /// When not empty, a DNS subjectAltName of the leaf must cover this host:
  /// a wildcard only as the whole left-most label, the subject CN never
  /// used. Checked whether or not the path verifies, so a result says both.
  std::string host;
};

struct PathResult {
  bool ok = false;         // the path verified and, when asked, the host matched
  bool path_ok = false;    // X509_verify_cert accepted the path
  bool tolerated = false;  // ... after accepting the tolerated error
  std::string detail;      // on failure: the OpenSSL error, depth and subject, else the host
  // The first error X509_verify_cert reported (X509_V_OK when the path
  // verified), for chains that word their own detail.
  int error = 0;
  int error_depth = -1;
  std::string error_subject;
  /// With a host: whether the leaf covers it, and the subjectAltName that did.
  bool host_ok = false;
  std::string matched_host;
  std::size_t length = 0;  // certificates in the built path (leaf .. anchor)
  /// Certificate signatures checked with prepared keys instead of
  /// X509_verify (certificate_signature.h); 0 when OpenSSL checked them.
  std::size_t prepared_signatures = 0;
  /// The built path, leaf first (shared references; valid after the call).
  std::vector<X509Ptr> path;
};

/// Runs X509_verify_cert for `request`. Never throws for an invalid path
/// (that is `ok == false` with a reason); throws CryptoError when OpenSSL
/// itself fails.
PathResult VerifyPath(const PathRequest& request);

/// Empty when every (certificate, role) pair satisfies `policy`; otherwise
/// the first reason, naming the role.
std::string CheckPathAlgorithms(std::initializer_list<std::pair<const Certificate*, const char*>> certificates,
                                const AlgorithmPolicy& policy);

/// basicConstraints cA of `certificate`; nullopt when it has no such
/// extension (or it does not decode).
std::optional<bool> BasicConstraintsCa(const Certificate& certificate);

/// keyUsage bits (KU_...); nullopt when the certificate has no keyUsage.
std::optional<std::uint32_t> KeyUsageBits(const Certificate& certificate);

}  // namespace keyattest
