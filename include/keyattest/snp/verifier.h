// The SEV-SNP report verifier (docs/snp.md): a raw attestation report and
// its AMD certificates in, a Report of named checks and decoded facts out.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "keyattest/core/bytes.h"
#include "keyattest/core/check_time.h"
#include "keyattest/report/report.h"
#include "keyattest/x509/certificate.h"
#include "keyattest/x509/trust_anchors.h"

namespace keyattest::snp {

inline constexpr const char* kSnpKind = "snp";

/// --min-tcb BL.TEE.SNP.UCODE: the lowest security patch levels accepted
/// in REPORTED_TCB.
struct MinimumTcb {
  std::uint8_t boot_loader = 0;
  std::uint8_t tee = 0;
  std::uint8_t snp = 0;
  std::uint8_t microcode = 0;
};

struct SnpOptions {
  CheckTime check_time;
  /// The ARKs trusted; empty = the compiled-in, SPKI-pinned ARK-Milan,
  /// ARK-Genoa and ARK-Turin.
  std::vector<TrustAnchor> amd_roots;
  std::uint32_t vmpl = 0;
  bool allow_debug = false;
  /// The sidecar's runtime data: REPORT_DATA must be SHA-256 of it
  /// followed by 32 zero bytes.
  std::optional<Bytes> runtime_data;
  /// HOST_DATA expected (32 bytes) and where it came from, for messages.
  std::optional<Bytes> host_data;
  std::string host_data_source;
  std::optional<MinimumTcb> min_tcb;
  std::string report_source;  // path as given, for the report
  std::string certs_source;
  /// Optional parse cache shared by many verifications (a service checking
  /// reports from the same machines): a certificate whose exact DER was
  /// parsed before is not decoded again. Parsing only: the chain, the
  /// extensions and the signature are checked for every report.
  std::shared_ptr<CertificateCache> certificate_cache;
};

/// Verifies an SNP attestation report (binary, or {"report": "<hex>"}) with
/// its certificates (PEM bundle or THIM JSON). Checks, in order:
///   report.format          exact size, version 2-5, reserved bits and ranges (malformed: exit 3)
///   report.signature_algo  SIGNATURE_ALGO is 1 (ECDSA P-384 with SHA-384)
///   report.signing_key     SIGNING_KEY names the chain's key kind (VCEK 0, VLEK 1)
///   certs.chain            leaf <- ASK/ASVK <- pinned ARK of the same product, strict, at the check time
///   vcek.extensions        KDS extensions in exact DER, product agrees with the chain (and CPUID)
///   report.signature       ECDSA signature over 0x000-0x29F with the leaf's key
///   report.tcb             REPORTED == leaf SPLs, CURRENT >= REPORTED, COMMITTED == CURRENT, --min-tcb
///   report.chip_id         CHIP_ID == the VCEK's hwID (masked chip id: warning)
///   report.vmpl            VMPL == --vmpl
///   report.policy          debug refused unless allowed; other bits shown
///   report.report_data     SHA-256(runtime data) || 0^32, when given
///   report.host_data       the expected HOST_DATA, when given
/// Throws CryptoError only for internal OpenSSL failures.
Report VerifySnpReport(ByteSpan report_input, ByteSpan certs_input, const SnpOptions& options);

/// HOST_DATA of a security policy: SHA-256 of the Rego text as given.
Bytes HostDataOfPolicyText(ByteSpan rego);
/// HOST_DATA of the ARM template's ccePolicy: SHA-256 of its base64
/// decoding (standard alphabet; one trailing newline allowed). Throws
/// UsageError when the text is not base64.
Bytes HostDataOfPolicyBase64(ByteSpan base64_text);
/// --host-data: exactly 64 hex digits. Throws UsageError.
Bytes ParseHostDataHex(const std::string& hex);
/// --min-tcb BL.TEE.SNP.UCODE, each 0-255 in decimal. Throws UsageError.
MinimumTcb ParseMinimumTcb(const std::string& text);

}  // namespace keyattest::snp
