// ATTESTATION_REPORT parsing and format validation (docs/snp.md "Report
// layout", "Format rules").
#include "keyattest/amd/snp_report.h"

#include <stdexcept>
#include <string_view>

#include "keyattest/core/byte_reader.h"
#include "keyattest/io/json_reader.h"

namespace keyattest::amd {

namespace {

Bytes Copy(ByteReader& r, std::size_t n, const char* field) {
  ByteSpan s = r.Take(n, field);
  return Bytes(s.begin(), s.end());
}

std::string Hex(std::uint64_t v) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  do {
    out.insert(out.begin(), kDigits[v & 0xf]);
    v >>= 4;
  } while (v != 0);
  return "0x" + out;
}

/// The first non-zero byte of raw[lo, hi), reported with its offset.
void MustBeZero(const SnpReport& report, std::size_t lo, std::size_t hi, const char* name,
                std::vector<std::string>& problems) {
  for (std::size_t i = lo; i < hi; ++i) {
    if (report.raw[i] != 0) {
      problems.push_back(std::string(name) + " (" + Hex(lo) + "-" + Hex(hi - 1) + ") must be zero; byte at " + Hex(i) +
                         " is " + Hex(report.raw[i]));
      return;
    }
  }
}

void ValidatePolicy(std::uint64_t policy, std::vector<std::string>& problems) {
  if ((policy & (std::uint64_t{1} << 17)) == 0) {
    problems.push_back("policy (0x008) bit 17 is reserved and must be 1; policy is " + Hex(policy));
  }
  if ((policy >> 26) != 0) {
    problems.push_back("policy (0x008) bits 63:26 are reserved and must be 0; policy is " + Hex(policy));
  }
}

void ValidateSignerInfo(const SnpReport& report, std::vector<std::string>& problems) {
  if ((report.signer_info >> 5) != 0) {
    problems.push_back("signer info (0x048) bits 31:5 are reserved and must be 0; signer info is " +
                       Hex(report.signer_info));
  }
  const std::uint32_t key = report.signing_key();
  if (key != kSigningKeyVcek && key != kSigningKeyVlek && key != kSigningKeyNone) {
    problems.push_back("signer info (0x048) SIGNING_KEY " + std::to_string(key) +
                       " is reserved (0 VCEK, 1 VLEK, 7 none)");
  }
}

void ValidatePlatformInfo(std::uint64_t info, std::vector<std::string>& problems) {
  // Bits 0-5 and 7 are defined (SMT, TSME, ECC, RAPL disabled, ciphertext
  // hiding, alias check, TIO); bit 6 and bits 63:8 are reserved.
  constexpr std::uint64_t kReserved = ~std::uint64_t{0xBF};
  if ((info & kReserved) != 0) {
    problems.push_back("platform info (0x040) reserved bits (6, 63:8) must be 0; platform info is " + Hex(info));
  }
}

}  // namespace

SnpReport ParseSnpReport(ByteSpan bytes) {
  if (bytes.size() != kSnpReportSize) {
    throw ParseError(0, "report",
                     "an SNP attestation report is exactly " + std::to_string(kSnpReportSize) +
                         " bytes; this input is " + std::to_string(bytes.size()));
  }
  ByteReader r(bytes);
  SnpReport out;
  out.version = r.U32le("VERSION");
  out.guest_svn = r.U32le("GUEST_SVN");
  out.policy = r.U64le("POLICY");
  out.family_id = Copy(r, 16, "FAMILY_ID");
  out.image_id = Copy(r, 16, "IMAGE_ID");
  out.vmpl = r.U32le("VMPL");
  out.signature_algo = r.U32le("SIGNATURE_ALGO");
  out.current_tcb = r.U64le("CURRENT_TCB");
  out.platform_info = r.U64le("PLATFORM_INFO");
  out.signer_info = r.U32le("SIGNER_INFO");
  out.reserved_04c = r.U32le("reserved 0x04C");
  out.report_data = Copy(r, 64, "REPORT_DATA");
  out.measurement = Copy(r, 48, "MEASUREMENT");
  out.host_data = Copy(r, 32, "HOST_DATA");
  out.id_key_digest = Copy(r, 48, "ID_KEY_DIGEST");
  out.author_key_digest = Copy(r, 48, "AUTHOR_KEY_DIGEST");
  out.report_id = Copy(r, 32, "REPORT_ID");
  out.report_id_ma = Copy(r, 32, "REPORT_ID_MA");
  out.reported_tcb = r.U64le("REPORTED_TCB");
  out.cpuid_fam_id = r.U8("CPUID_FAM_ID");
  out.cpuid_mod_id = r.U8("CPUID_MOD_ID");
  out.cpuid_step = r.U8("CPUID_STEP");
  out.reserved_18b = Copy(r, 0x1A0 - 0x18B, "reserved 0x18B");
  out.chip_id = Copy(r, 64, "CHIP_ID");
  out.committed_tcb = r.U64le("COMMITTED_TCB");
  out.current_build = r.U8("CURRENT_BUILD");
  out.current_minor = r.U8("CURRENT_MINOR");
  out.current_major = r.U8("CURRENT_MAJOR");
  out.reserved_1eb = r.U8("reserved 0x1EB");
  out.committed_build = r.U8("COMMITTED_BUILD");
  out.committed_minor = r.U8("COMMITTED_MINOR");
  out.committed_major = r.U8("COMMITTED_MAJOR");
  out.reserved_1ef = r.U8("reserved 0x1EF");
  out.launch_tcb = r.U64le("LAUNCH_TCB");
  out.launch_mit_vector = r.U64le("LAUNCH_MIT_VECTOR");
  out.current_mit_vector = r.U64le("CURRENT_MIT_VECTOR");
  out.reserved_208 = Copy(r, kSnpSignedSize - 0x208, "reserved 0x208");
  out.signature_r = Copy(r, kEcdsaComponentSize, "SIGNATURE.R");
  out.signature_s = Copy(r, kEcdsaComponentSize, "SIGNATURE.S");
  out.signature_reserved = Copy(r, kSnpReportSize - 0x330, "SIGNATURE reserved");
  if (!r.empty()) throw ParseError(r.absolute_position(), "report", "trailing bytes");
  out.raw.assign(bytes.begin(), bytes.end());
  return out;
}

std::vector<std::string> ValidateSnpReportFormat(const SnpReport& report) {
  std::vector<std::string> problems;
  if (report.version < kMinReportVersion || report.version > kMaxReportVersion) {
    problems.push_back("version (0x000) is " + std::to_string(report.version) + "; supported versions are " +
                       std::to_string(kMinReportVersion) + " to " + std::to_string(kMaxReportVersion));
  }
  ValidatePolicy(report.policy, problems);
  ValidatePlatformInfo(report.platform_info, problems);
  ValidateSignerInfo(report, problems);
  MustBeZero(report, 0x04C, 0x050, "reserved", problems);
  // CPUID_FAM_ID, CPUID_MOD_ID and CPUID_STEP exist from version 3 on.
  MustBeZero(report, report.version >= 3 ? 0x18B : 0x188, 0x1A0, "reserved", problems);
  MustBeZero(report, 0x1EB, 0x1EC, "reserved", problems);
  MustBeZero(report, 0x1EF, 0x1F0, "reserved", problems);
  // The mitigation vectors exist from version 5 on.
  MustBeZero(report, report.version >= 5 ? 0x208 : 0x1F8, kSnpSignedSize, "reserved", problems);
  MustBeZero(report, 0x330, kSnpReportSize, "signature reserved bytes after r and s", problems);
  return problems;
}

Bytes DecodeSnpReportInput(ByteSpan input) {
  const bool json = !input.empty() && (input[0] == '{' || input[0] == ' ' || input[0] == '\t' || input[0] == '\n' ||
                                       input[0] == '\r' || input[0] == 0xEF);
  if (!json) return Bytes(input.begin(), input.end());
  const std::string_view text(reinterpret_cast<const char*>(input.data()), input.size());
  nlohmann::json doc;
  try {
    doc = ParseStrictJson(text, 4);
  } catch (const JsonSyntaxError& e) {
    throw std::invalid_argument(std::string("the report JSON does not parse: ") + e.what());
  }
  if (!doc.is_object() || doc.size() != 1 || !doc.contains("report") || !doc["report"].is_string()) {
    throw std::invalid_argument(R"(the report JSON must be exactly {"report": "<hex>"})");
  }
  const std::string& hex = doc["report"].get_ref<const std::string&>();
  std::optional<Bytes> bytes = HexDecode(hex);
  if (!bytes) {
    throw std::invalid_argument("the report JSON member \"report\" is not hex (" + std::to_string(hex.size()) +
                                " characters; an even number of 0-9a-fA-F is required)");
  }
  return *bytes;
}

}  // namespace keyattest::amd
