// Synthetic SEV-SNP evidence for tests (docs/snp.md): a report builder that
// signs with a test VCEK, and a test ARK/ASK/VCEK chain shaped like AMD's
// (RSA-4096 RSASSA-PSS certificates with AMD's exact AlgorithmIdentifier,
// a P-384 VCEK with KDS extensions), made in-process with fixed dates and
// the fixed keys of test_keys.h.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "keyattest/core/bytes.h"
#include "keyattest/crypto/openssl_ptr.h"
#include "tests/support/test_pki.h"

namespace keyattest::testing {

/// TEST-ONLY P-384 keys (PKCS#8 PEM, checked in): the VCEK, and another.
EvpPkeyPtr LoadSnpVcekKey();
EvpPkeyPtr LoadSnpOtherP384Key();

/// The test chip id (64 bytes), the VCEK's hwID by default.
Bytes TestChipId();
/// The default TCB of the test report and VCEK: Milan layout BL 3, TEE 0,
/// SNP 8, UCODE 115 (the real report's).
inline constexpr std::uint64_t kTestTcb = 0x7308000000000003ULL;

/// KDS extension values by OID suffix under 1.3.6.1.4.1.3704.1. ("1",
/// "3.1", ...), as raw extnValue bytes.
using KdsExtensionMap = std::map<std::string, Bytes>;
/// The extensions of a Milan/Genoa VCEK at `tcb` with `hwid`, or of a Turin
/// one (FMC from byte 0, no SPL 4-7) when product is "Turin".
KdsExtensionMap DefaultKdsExtensions(const std::string& product_name, std::uint64_t tcb, const Bytes& hwid);
/// DER INTEGER of 0..255 in minimal form.
Bytes DerU8(std::uint8_t v);

struct SnpPkiOptions {
  std::string product = "Milan";  // CNs ARK-<p>, SEV-<p>
  bool vlek = false;              // ASVK "SEV-VLEK-<p>" and leaf "SEV-VLEK"
  Validity ark_validity = {Utc(2020, 10, 22), Utc(2045, 10, 22)};
  Validity ask_validity = {Utc(2020, 10, 22), Utc(2045, 10, 22)};
  Validity vcek_validity = {Utc(2022, 11, 29), Utc(2029, 11, 29)};
  /// false: OpenSSL's own PSS encoding (trailer field omitted), which AMD
  /// never writes.
  bool amd_pss_identifier = true;
  /// Sign the VCEK with RSA PKCS#1 v1.5 SHA-384 instead of RSASSA-PSS.
  bool vcek_pkcs1 = false;
  bool vcek_akid = false;                          // AMD's VCEKs have none
  bool ask_akid = true;                            // AMD's ASKs have one
  std::optional<KdsExtensionMap> vcek_extensions;  // nullopt = DefaultKdsExtensions
  std::string vcek_product_name;                   // "" = "<product>-B0"
  std::uint64_t vcek_tcb = kTestTcb;
  bool vcek_rsa = false;  // an RSA-4096 VCEK key instead of P-384
  /// The VCEK's first extension encodes `critical FALSE` explicitly (not
  /// DER), re-signed by the ASK: only the encoding is wrong.
  bool vcek_explicit_critical_false = false;
};

struct SnpTestPki {
  EvpPkeyPtr ark_key, ask_key, vcek_key;
  X509Ptr ark, ask, vcek;

  std::string ArkPem() const;
  /// VCEK, ASK, ARK.
  std::string BundlePem() const;
  /// The THIM form: {"vcekCert", "certificateChain" (ASK, ARK), "tcbm", "cacheControl"}.
  std::string ThimJson(std::uint64_t tcbm = kTestTcb) const;
};

SnpTestPki MakeSnpTestPki(const SnpPkiOptions& options = {});

/// An ARK with the test ARK's name but another key (a forged root).
X509Ptr MakeLookAlikeArk(const std::string& product = "Milan");

/// Builds a 1184-byte report. The defaults make a valid version-2 report
/// like the real one: policy 0x3001f, VMPL 0, algorithm 1, signed by the
/// VCEK, every TCB kTestTcb, firmware 1.52 build 4, chip id TestChipId().
class SnpReportBuilder {
 public:
  SnpReportBuilder();
  SnpReportBuilder& U8(std::size_t offset, std::uint8_t v);
  SnpReportBuilder& U32(std::size_t offset, std::uint32_t v);
  SnpReportBuilder& U64(std::size_t offset, std::uint64_t v);
  SnpReportBuilder& Put(std::size_t offset, ByteSpan bytes);

  SnpReportBuilder& Version(std::uint32_t v) { return U32(0x000, v); }
  SnpReportBuilder& Policy(std::uint64_t v) { return U64(0x008, v); }
  SnpReportBuilder& Vmpl(std::uint32_t v) { return U32(0x030, v); }
  SnpReportBuilder& SignatureAlgo(std::uint32_t v) { return U32(0x034, v); }
  SnpReportBuilder& CurrentTcb(std::uint64_t v) { return U64(0x038, v); }
  SnpReportBuilder& SignerInfo(std::uint32_t v) { return U32(0x048, v); }
  SnpReportBuilder& ReportData(ByteSpan v) { return Put(0x050, v); }
  SnpReportBuilder& HostData(ByteSpan v) { return Put(0x0C0, v); }
  SnpReportBuilder& ReportedTcb(std::uint64_t v) { return U64(0x180, v); }
  SnpReportBuilder& Cpuid(std::uint8_t family, std::uint8_t model, std::uint8_t stepping);
  SnpReportBuilder& ChipId(ByteSpan v) { return Put(0x1A0, v); }
  SnpReportBuilder& CommittedTcb(std::uint64_t v) { return U64(0x1E0, v); }
  SnpReportBuilder& LaunchTcb(std::uint64_t v) { return U64(0x1F0, v); }
  /// Every TCB field (current, reported, committed, launch).
  SnpReportBuilder& AllTcbs(std::uint64_t v);

  /// The report with the signature field as it is (zero by default).
  Bytes Unsigned() const { return bytes_; }
  /// Signs bytes 0x000-0x29F with `key` (P-384) and writes r and s.
  Bytes SignedWith(EVP_PKEY* key) const;

 private:
  Bytes bytes_;
};

/// Writes r and s (big-endian inputs, at most 72 bytes) little-endian into
/// the report's signature field.
void PutSignature(Bytes& report, const Bytes& r_big_endian, const Bytes& s_big_endian);

}  // namespace keyattest::testing
