// The AMD SEV-SNP ATTESTATION_REPORT structure (docs/snp.md "Report
// layout"): parsed into a plain struct in spec order, then validated
// separately against the must-be-zero rules of each report version.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "keyattest/core/bytes.h"

namespace keyattest::amd {

inline constexpr std::size_t kSnpReportSize = 0x4A0;  // 1184 bytes
/// The signature covers bytes 0x000-0x29F (docs/snp.md "Signature").
inline constexpr std::size_t kSnpSignedSize = 0x2A0;
inline constexpr std::size_t kEcdsaComponentSize = 72;  // r and s, little-endian
inline constexpr std::uint32_t kMinReportVersion = 2;
inline constexpr std::uint32_t kMaxReportVersion = 5;
inline constexpr std::uint32_t kSignatureAlgoEcdsaP384Sha384 = 1;

/// SIGNER_INFO.SIGNING_KEY values (docs/snp.md "Signer info").
inline constexpr std::uint32_t kSigningKeyVcek = 0;
inline constexpr std::uint32_t kSigningKeyVlek = 1;
inline constexpr std::uint32_t kSigningKeyNone = 7;

/// One field per row of the ABI table, in spec order; offsets in the
/// comments are byte offsets from the start of the report. Integers are
/// little-endian in the report and host-order here.
struct SnpReport {
  std::uint32_t version = 0;             // 0x000 VERSION (2..5)
  std::uint32_t guest_svn = 0;           // 0x004 GUEST_SVN
  std::uint64_t policy = 0;              // 0x008 POLICY (docs/snp.md "Guest policy")
  Bytes family_id;                       // 0x010 FAMILY_ID[16]
  Bytes image_id;                        // 0x020 IMAGE_ID[16]
  std::uint32_t vmpl = 0;                // 0x030 VMPL
  std::uint32_t signature_algo = 0;      // 0x034 SIGNATURE_ALGO (1 = ECDSA P-384 SHA-384)
  std::uint64_t current_tcb = 0;         // 0x038 CURRENT_TCB (docs/snp.md "TCB_VERSION")
  std::uint64_t platform_info = 0;       // 0x040 PLATFORM_INFO
  std::uint32_t signer_info = 0;         // 0x048 AUTHOR_KEY_EN, MASK_CHIP_KEY, SIGNING_KEY
  std::uint32_t reserved_04c = 0;        // 0x04C reserved, must be zero
  Bytes report_data;                     // 0x050 REPORT_DATA[64]
  Bytes measurement;                     // 0x090 MEASUREMENT[48]
  Bytes host_data;                       // 0x0C0 HOST_DATA[32]
  Bytes id_key_digest;                   // 0x0E0 ID_KEY_DIGEST[48]
  Bytes author_key_digest;               // 0x110 AUTHOR_KEY_DIGEST[48]
  Bytes report_id;                       // 0x140 REPORT_ID[32]
  Bytes report_id_ma;                    // 0x160 REPORT_ID_MA[32]
  std::uint64_t reported_tcb = 0;        // 0x180 REPORTED_TCB
  std::uint8_t cpuid_fam_id = 0;         // 0x188 CPUID_FAM_ID (version 3+; reserved in 2)
  std::uint8_t cpuid_mod_id = 0;         // 0x189 CPUID_MOD_ID (version 3+)
  std::uint8_t cpuid_step = 0;           // 0x18A CPUID_STEP (version 3+)
  Bytes reserved_18b;                    // 0x18B reserved[21], must be zero
  Bytes chip_id;                         // 0x1A0 CHIP_ID[64]
  std::uint64_t committed_tcb = 0;       // 0x1E0 COMMITTED_TCB
  std::uint8_t current_build = 0;        // 0x1E8 CURRENT_BUILD
  std::uint8_t current_minor = 0;        // 0x1E9 CURRENT_MINOR
  std::uint8_t current_major = 0;        // 0x1EA CURRENT_MAJOR
  std::uint8_t reserved_1eb = 0;         // 0x1EB reserved, must be zero
  std::uint8_t committed_build = 0;      // 0x1EC COMMITTED_BUILD
  std::uint8_t committed_minor = 0;      // 0x1ED COMMITTED_MINOR
  std::uint8_t committed_major = 0;      // 0x1EE COMMITTED_MAJOR
  std::uint8_t reserved_1ef = 0;         // 0x1EF reserved, must be zero
  std::uint64_t launch_tcb = 0;          // 0x1F0 LAUNCH_TCB
  std::uint64_t launch_mit_vector = 0;   // 0x1F8 LAUNCH_MIT_VECTOR (version 5; reserved before)
  std::uint64_t current_mit_vector = 0;  // 0x200 CURRENT_MIT_VECTOR (version 5; reserved before)
  Bytes reserved_208;                    // 0x208 reserved[0x98], must be zero
  Bytes signature_r;                     // 0x2A0 SIGNATURE.R[72], little-endian
  Bytes signature_s;                     // 0x2E8 SIGNATURE.S[72], little-endian
  Bytes signature_reserved;              // 0x330 SIGNATURE reserved[368], must be zero
  Bytes raw;                             // all 1184 bytes as read

  ByteSpan signed_bytes() const { return ByteSpan(raw).first(kSnpSignedSize); }
  std::uint32_t signing_key() const { return (signer_info >> 2) & 7U; }
  bool mask_chip_key() const { return (signer_info & 2U) != 0; }
  bool author_key_en() const { return (signer_info & 1U) != 0; }
};

/// Structural parse: exactly kSnpReportSize bytes, read field by field with
/// the bounds-checked reader. Throws ParseError (field and offset) for any
/// other size. Says nothing about whether the values are allowed.
SnpReport ParseSnpReport(ByteSpan bytes);

/// The format rules of docs/snp.md "Format rules": version 2..5, policy bit
/// 17 set and bits 63:26 clear, signer-info reserved bits and reserved
/// signing keys, platform-info reserved bits, every must-be-zero range of
/// the report's version, and the signature's bytes after r and s. Returns
/// one message per violation (empty = well formed), each naming the offset.
std::vector<std::string> ValidateSnpReportFormat(const SnpReport& report);

/// The `attest/raw` report input: the binary report, or JSON
/// {"report": "<hex>"} (the only member; even-length hex digits). An input
/// whose first byte is '{', whitespace or a UTF-8 BOM is the JSON form (a
/// binary report starts with its version, 02..05). Throws
/// std::invalid_argument with the reason when the JSON form is malformed.
Bytes DecodeSnpReportInput(ByteSpan input);

}  // namespace keyattest::amd
