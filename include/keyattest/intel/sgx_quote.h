// Strict structural parser of the SGX evidence MAA puts in its signing
// certificates: the Open Enclave report header followed by an SGX ECDSA quote
// version 3 (docs/sgx-evidence.md §2-§4). Structural only: fields are read in
// the order the format stores them, integers little-endian, every length
// checked against what remains, and missing or trailing bytes are malformed
// (ParseError naming the field and its offset). What the fields mean
// (signatures, bindings, the PCK chain) is decided in src/sgx_evidence/.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <stdexcept>

#include "keyattest/core/byte_reader.h"
#include "keyattest/core/bytes.h"

namespace keyattest::intel {

// Sizes fixed by the quote v3 format (docs/sgx-evidence.md §3).
inline constexpr std::size_t kOeReportHeaderSize = 16;
inline constexpr std::size_t kQuoteHeaderSize = 48;
inline constexpr std::size_t kReportBodySize = 384;
inline constexpr std::size_t kEcdsaP256SignatureSize = 64;
inline constexpr std::size_t kEcdsaP256PublicKeySize = 64;
/// The ISV report signature covers the quote header and the report body.
inline constexpr std::size_t kSignedQuotePrefixSize = kQuoteHeaderSize + kReportBodySize;
/// Upper bound for one quote: real ones are 4.6 KB, nearly all of it the PCK
/// chain; 64 KiB leaves room without letting a length field ask for more.
inline constexpr std::size_t kMaxQuoteSize = std::size_t{64} * 1024;

/// The values the parser requires (§2, §3.1, §4). Other values are not a
/// different layout this parser knows, so they are reported as unsupported.
inline constexpr std::uint32_t kOeReportHeaderVersion = 1;
inline constexpr std::uint32_t kOeReportTypeRemote = 2;  // OE_REPORT_TYPE_SGX_REMOTE
inline constexpr std::uint16_t kQuoteVersion3 = 3;
inline constexpr std::uint16_t kAttestationKeyEcdsaP256 = 2;
inline constexpr std::uint16_t kCertificationDataPckChain = 5;

/// SGX ATTRIBUTES.FLAGS bits (§3.2).
inline constexpr std::uint64_t kAttributeInit = 0x1;
inline constexpr std::uint64_t kAttributeDebug = 0x2;
inline constexpr std::uint64_t kAttributeMode64Bit = 0x4;

/// The Open Enclave report header (§2): 16 bytes, little-endian.
struct OeReportHeader {
  std::uint32_t version = 0;      // +0
  std::uint32_t report_type = 0;  // +4
  std::uint64_t report_size = 0;  // +8: bytes of the quote that follow
};

/// Quote header (§3.1): 48 bytes.
struct QuoteHeader {
  std::uint16_t version = 0;                    // +0
  std::uint16_t attestation_key_type = 0;       // +2
  std::uint32_t reserved = 0;                   // +4
  std::uint16_t qe_svn = 0;                     // +8
  std::uint16_t pce_svn = 0;                    // +10
  std::array<std::uint8_t, 16> qe_vendor_id{};  // +12
  std::array<std::uint8_t, 20> user_data{};     // +28
};

/// An SGX report body (§3.2): 384 bytes. Used twice: the ISV (application)
/// enclave's report and the quoting enclave's report.
struct ReportBody {
  std::array<std::uint8_t, 16> cpu_svn{};          // +0
  std::uint32_t misc_select = 0;                   // +16
  std::array<std::uint8_t, 12> reserved1{};        // +20
  std::array<std::uint8_t, 16> isv_ext_prod_id{};  // +32
  std::uint64_t attributes_flags = 0;              // +48: ATTRIBUTES.FLAGS
  std::uint64_t attributes_xfrm = 0;               // +56: ATTRIBUTES.XFRM
  std::array<std::uint8_t, 32> mr_enclave{};       // +64
  std::array<std::uint8_t, 32> reserved2{};        // +96
  std::array<std::uint8_t, 32> mr_signer{};        // +128
  std::array<std::uint8_t, 32> reserved3{};        // +160
  std::array<std::uint8_t, 64> config_id{};        // +192
  std::uint16_t isv_prod_id = 0;                   // +256
  std::uint16_t isv_svn = 0;                       // +258
  std::uint16_t config_svn = 0;                    // +260
  std::array<std::uint8_t, 42> reserved4{};        // +262
  std::array<std::uint8_t, 16> isv_family_id{};    // +304
  std::array<std::uint8_t, 64> report_data{};      // +320
  /// The 384 bytes as they were in the quote: what the QE signature covers.
  Bytes raw;

  bool debug() const { return (attributes_flags & kAttributeDebug) != 0; }
};

/// The ECDSA signature data (§3.4), after its 4-byte length.
struct SignatureData {
  std::array<std::uint8_t, 64> isv_signature{};    // +0: r || s, big-endian
  std::array<std::uint8_t, 64> attestation_key{};  // +64: x || y, big-endian
  ReportBody qe_report;                            // +128
  std::array<std::uint8_t, 64> qe_signature{};     // +512: r || s over qe_report
  Bytes qe_auth_data;                              // +578 (u16 length at +576)
  std::uint16_t certification_data_type = 0;       // u16 after the auth data
  Bytes certification_data;                        // u32 length, then the bytes
};

/// An SGX ECDSA quote, version 3 (§3).
struct Quote {
  QuoteHeader header;                       // +0
  ReportBody report_body;                   // +48: the ISV enclave
  std::uint32_t signature_data_length = 0;  // +432
  SignatureData signature_data;             // +436
  /// Quote header and report body as they were: what the ISV signature covers.
  Bytes signed_prefix;
};

/// Thrown for a quote that parses but is not the kind this parser supports
/// (another quote version, attestation key type, report type or
/// certification data type). Distinct from ParseError (malformed bytes).
class UnsupportedEvidence : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Parses exactly one quote v3 from `quote` (no bytes before or after).
/// `base_offset` is added to reported offsets. Throws ParseError for
/// missing, inconsistent or trailing bytes, UnsupportedEvidence for another
/// version, key type or certification data type.
Quote ParseQuoteV3(ByteSpan quote, std::size_t base_offset = 0);

/// The value of extension 1.3.6.1.4.1.311.105.1 (§2): the Open Enclave
/// report header, whose size must equal the bytes that follow, then the
/// quote.
struct OeEvidence {
  OeReportHeader header;
  Quote quote;
};
OeEvidence ParseOeEvidence(ByteSpan value);

/// The value of the 2020 extension 1.2.840.113556.10.1.1 (§2): one DER
/// OCTET STRING (definite length, minimal length octets) holding exactly the
/// bare quote.
Quote ParseWrappedQuote(ByteSpan value);

}  // namespace keyattest::intel
