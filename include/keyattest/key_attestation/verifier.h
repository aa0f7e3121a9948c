// Verification of one Azure Managed HSM key attestation document.
#pragma once

#include <ctime>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keyattest/core/check_time.h"
#include "keyattest/key_attestation/attestation_document.h"
#include "keyattest/key_attestation/chain_cache.h"
#include "keyattest/key_attestation/expected_key.h"
#include "keyattest/key_attestation/owner_root_pins.h"
#include "keyattest/key_attestation/policy.h"
#include "keyattest/report/report.h"
#include "keyattest/x509/certificate.h"
#include "keyattest/x509/trust_anchors.h"

namespace keyattest {

struct VerifyOptions {
  /// The one time certificate validity is checked at: the run's --at, or
  /// the clock read once when the options were made.
  CheckTime check_time = CheckTime::Now();
  /// The only manufacturer trust anchors. DefaultVerifyOptions() fills in
  /// the built-in pinned roots; --marvell-root replaces them.
  std::vector<TrustAnchor> marvell_roots;
  /// --owner-root (repeatable) and --owner-roots: the pool owners' roots.
  /// Empty: an Azure owner chain is reported as unpinned (a warning) and a
  /// Google one is pinned by `google_roots`. Otherwise the owner root must
  /// match one of the pins (several pools), and the pins given as
  /// certificates replace `google_roots` as the Google-style anchors.
  std::vector<OwnerRootPin> owner_roots;
  /// --expect-key NAME[/VERSION]: the signed ID must name this key (and
  /// this version when given); check binding.expected_key.
  std::optional<std::string> expected_key_name;
  std::optional<std::string> expected_key_version;
  /// Pinned Google Cloud HSM owner roots; DefaultVerifyOptions() fills in
  /// the built-in `Hawksbill Root v1 prod`.
  std::vector<TrustAnchor> google_roots;
  /// --key: the expected key, overriding the document's JWK.
  std::shared_ptr<const ExpectedKey> expected_key;
  /// --require: key policy.
  std::vector<Requirement> requirements;
  /// Shared cache of bundle verifications (batch runs); null = no cache.
  std::shared_ptr<ChainCache> chain_cache;
  /// Shared cache of parsed certificates (by exact DER); null = parse anew.
  /// Trust is never cached here: chains and signatures are still verified.
  std::shared_ptr<CertificateCache> certificate_cache;
  /// Tests only: called with each loaded document before it is verified, so
  /// a test can make verification throw and see the report become an
  /// internal error (exit 5). Never set outside tests.
  std::function<void(const std::string& source, const AttestationDocument&)> fault_for_tests;
};

VerifyOptions DefaultVerifyOptions();

/// The owner chain style `doc` requires: Azure for an MRVL-1 document,
/// Google for a gcloud key version, and for a raw blob the style of the
/// layout its header announces (A: Google, B: Azure). Never the bundle.
OwnerChainStyle RequiredOwnerChainStyle(const AttestationDocument& doc);

/// Runs every check on `doc` (Azure, Google or raw) and returns the report.
/// Checks, in order
/// (ids are stable and appear in the text and JSON output):
///   document.version            Azure: version is "MRVL-1"
///   document.format             Google: a known CAVIUM_V*_COMPRESSED format
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
///   owner_root.pin              owner root SPKI equals --owner-root (warns
///                               when unpinned)
///   binding.key_material        JWK / --key equals the attested key
///   binding.check_value         KCV / EKCV recomputed from its SPKI
///   binding.key_id              kid name/version equal the signed ID
///   binding.expected_key        --expect-key names the signed ID's key
///   owner.pool_name             owner root CN equals the kid's pool (warn)
///   policy.<requirement>        one per --require entry
/// where <blob> is "private" or "public". A check whose prerequisite failed
/// is reported as skipped; the verdict then fails through the prerequisite.
Report VerifyAzureAttestation(const AttestationDocument& doc, const VerifyOptions& options);

/// Decodes and verifies one attestation document's bytes (Azure or Google
/// JSON), as read by the caller; `source` names it in the report. Malformed
/// input yields a report with input_error set (exit code 3); an unexpected
/// failure inside the verifier yields an internal error (exit 5); never
/// throws for bad input.
Report VerifyAttestationDocument(const std::string& source, std::string_view json_text, const VerifyOptions& options);

/// A raw blob (gzip or not, as Google or Marvell tools deliver it) and an
/// optional PEM bundle, as read by the caller. Malformed input yields
/// input_error.
Report VerifyRawAttestation(const std::string& source, ByteSpan blob, std::optional<Bytes> certificate_pem,
                            const VerifyOptions& options);

}  // namespace keyattest
