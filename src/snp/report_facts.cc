// Decoded report fields for the output (docs/snp.md "Output").
#include "keyattest/snp/report_facts.h"

namespace keyattest::snp {

namespace {

std::string Hex64(std::uint64_t v) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out = "0x0000000000000000";
  for (std::size_t i = 0; i < 16; ++i) out[17 - i] = kDigits[(v >> (4 * i)) & 0xf];
  return out;
}

bool Bit(std::uint64_t v, int bit) { return ((v >> bit) & 1U) != 0; }

std::string FirmwareVersion(std::uint8_t major, std::uint8_t minor, std::uint8_t build) {
  return std::to_string(major) + "." + std::to_string(minor) + " build " + std::to_string(build);
}

const char* SigningKeyName(std::uint32_t key) {
  switch (key) {
    case amd::kSigningKeyVcek:
      return "VCEK";
    case amd::kSigningKeyVlek:
      return "VLEK";
    case amd::kSigningKeyNone:
      return "none (unsigned)";
    default:
      return "reserved";
  }
}

nlohmann::ordered_json PlatformInfoFacts(std::uint64_t info) {
  return {{"value", Hex64(info)},
          {"smt_enabled", Bit(info, 0)},
          {"tsme_enabled", Bit(info, 1)},
          {"ecc_enabled", Bit(info, 2)},
          {"rapl_disabled", Bit(info, 3)},
          {"ciphertext_hiding_enabled", Bit(info, 4)},
          {"alias_check_complete", Bit(info, 5)},
          {"tio_enabled", Bit(info, 7)}};
}

nlohmann::ordered_json SignerInfoFacts(const amd::SnpReport& r) {
  return {{"value",
           "0x" + HexEncode(Bytes{
                      static_cast<std::uint8_t>(r.signer_info >> 24), static_cast<std::uint8_t>(r.signer_info >> 16),
                      static_cast<std::uint8_t>(r.signer_info >> 8), static_cast<std::uint8_t>(r.signer_info)})},
          {"signing_key", SigningKeyName(r.signing_key())},
          {"mask_chip_key", r.mask_chip_key()},
          {"author_key_en", r.author_key_en()}};
}

/// r and s as big-endian hex (the usual way to write an integer).
std::string BigEndianHex(const Bytes& little_endian) {
  return HexEncode(Bytes(little_endian.rbegin(), little_endian.rend()));
}

}  // namespace

nlohmann::ordered_json PolicyFacts(std::uint64_t policy) {
  return {{"value", Hex64(policy)},
          {"abi_minimum", std::to_string((policy >> 8) & 0xff) + "." + std::to_string(policy & 0xff)},
          {"smt_allowed", Bit(policy, 16)},
          {"migration_agent_allowed", Bit(policy, 18)},
          {"debug_allowed", Bit(policy, 19)},
          {"single_socket_only", Bit(policy, 20)},
          {"cxl_allowed", Bit(policy, 21)},
          {"mem_aes_256_xts_required", Bit(policy, 22)},
          {"rapl_disabled_required", Bit(policy, 23)},
          {"ciphertext_hiding_required", Bit(policy, 24)},
          {"page_swap_disabled", Bit(policy, 25)}};
}

nlohmann::ordered_json TcbFacts(std::uint64_t tcb, std::optional<amd::Product> product) {
  nlohmann::ordered_json out = {{"value", Hex64(tcb)}};
  if (!product) return out;
  const amd::TcbParts p = amd::DecodeTcb(tcb, *product);
  if (p.fmc) out["fmc"] = *p.fmc;
  out["boot_loader"] = p.boot_loader;
  out["tee"] = p.tee;
  out["snp"] = p.snp;
  out["microcode"] = p.microcode;
  return out;
}

nlohmann::ordered_json SnpReportFacts(const amd::SnpReport& r, std::optional<amd::Product> product) {
  nlohmann::ordered_json f;
  f["version"] = r.version;
  f["guest_svn"] = r.guest_svn;
  f["policy"] = PolicyFacts(r.policy);
  f["family_id"] = HexEncode(r.family_id);
  f["image_id"] = HexEncode(r.image_id);
  f["vmpl"] = r.vmpl;
  f["signature_algo"] = r.signature_algo == amd::kSignatureAlgoEcdsaP384Sha384
                            ? "1 (ECDSA P-384 with SHA-384)"
                            : std::to_string(r.signature_algo) + " (unknown)";
  f["current_tcb"] = TcbFacts(r.current_tcb, product);
  f["platform_info"] = PlatformInfoFacts(r.platform_info);
  f["signer_info"] = SignerInfoFacts(r);
  f["report_data"] = HexEncode(r.report_data);
  f["measurement"] = HexEncode(r.measurement);
  f["host_data"] = HexEncode(r.host_data);
  f["id_key_digest"] = HexEncode(r.id_key_digest);
  f["author_key_digest"] = HexEncode(r.author_key_digest);
  f["report_id"] = HexEncode(r.report_id);
  f["report_id_ma"] = HexEncode(r.report_id_ma);
  f["reported_tcb"] = TcbFacts(r.reported_tcb, product);
  if (r.version >= 3) {
    f["cpuid"] = {{"family", r.cpuid_fam_id}, {"model", r.cpuid_mod_id}, {"stepping", r.cpuid_step}};
  }
  f["chip_id"] = HexEncode(r.chip_id);
  f["committed_tcb"] = TcbFacts(r.committed_tcb, product);
  f["current_firmware"] = FirmwareVersion(r.current_major, r.current_minor, r.current_build);
  f["committed_firmware"] = FirmwareVersion(r.committed_major, r.committed_minor, r.committed_build);
  f["launch_tcb"] = TcbFacts(r.launch_tcb, product);
  if (r.version >= 5) {
    f["launch_mit_vector"] = Hex64(r.launch_mit_vector);
    f["current_mit_vector"] = Hex64(r.current_mit_vector);
  }
  f["signature"] = {{"r", BigEndianHex(r.signature_r)}, {"s", BigEndianHex(r.signature_s)}};
  return f;
}

}  // namespace keyattest::snp
