// Verification of one Azure Managed HSM key attestation document.
#pragma once

#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include "keyattest/attestation_document.h"
#include "keyattest/certificate.h"
#include "keyattest/report.h"

namespace keyattest {

struct VerifyOptions {
  /// Time at which certificate validity is checked; now when unset.
  std::optional<std::time_t> at;
  /// The only manufacturer trust anchors. DefaultVerifyOptions() fills in
  /// the built-in pinned roots; --marvell-root replaces them.
  std::vector<Certificate> marvell_roots;
};

VerifyOptions DefaultVerifyOptions();

/// Runs every check on `doc` and returns the report. Checks, in order
/// (ids are stable and appear in the text and JSON output):
///   document.version            version is "MRVL-1"
///   certificates.bundle         strict PEM bundle parse
///   chain.manufacturer          pinned Marvell root -> card -> partition
///   chain.owner                 self-signed owner root -> partition key
///   certificates.all_used       no certificate is left without a role
///   <blob>.structure            layout A or B detected strictly
///   <blob>.attributes           every attribute value valid
///   <blob>.signature            layout's scheme, full EM comparison
///   <blob>.object_class         private: one CKO_PRIVATE/SECRET_KEY object;
///                               public: one CKO_PUBLIC_KEY object
///   blobs.same_key              private and public blobs describe one key
/// where <blob> is "private" or "public". A check whose prerequisite failed
/// is reported as skipped; the verdict then fails through the prerequisite.
Report VerifyAzureAttestation(const AttestationDocument& doc, const VerifyOptions& options);

/// Reads, decodes and verifies one file ("-" = stdin). An unreadable input
/// yields a report with input_error set (exit code 3); never throws for bad
/// input.
Report VerifyAttestationFile(const std::string& path, const VerifyOptions& options);

}  // namespace keyattest
