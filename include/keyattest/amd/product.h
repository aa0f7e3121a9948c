// AMD EPYC product lines that sign SEV-SNP reports, and the TCB_VERSION
// layout of each (docs/snp.md "TCB_VERSION").
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace keyattest::amd {

enum class Product { kMilan, kGenoa, kTurin };

/// "Milan", "Genoa", "Turin": the names in ARK/ASK common names and KDS URLs.
const char* ProductName(Product product);
/// The product whose name is exactly `name` ("Milan"), or nullopt.
std::optional<Product> ProductFromName(std::string_view name);
/// The product of a report's CPUID family and model (report version 3+):
/// family 0x19 model 0x0X Milan, 0x19 model 0x1X Genoa, 0x1A model 0x0X Turin.
std::optional<Product> ProductFromCpuid(std::uint8_t family, std::uint8_t model);

/// A TCB_VERSION split into its components. Milan and Genoa: byte 0 boot
/// loader, 1 TEE, 2-5 reserved (the KDS calls them SPL 4-7), 6 SNP, 7
/// microcode. Turin: byte 0 FMC, 1 boot loader, 2 TEE, 3 SNP, 4-6 reserved,
/// 7 microcode.
struct TcbParts {
  std::optional<std::uint8_t> fmc;  // Turin only
  std::uint8_t boot_loader = 0;
  std::uint8_t tee = 0;
  std::uint8_t snp = 0;
  std::uint8_t microcode = 0;
  std::array<std::uint8_t, 4> reserved{};  // Milan/Genoa bytes 2-5; Turin bytes 4-6 (fourth unused)
};

TcbParts DecodeTcb(std::uint64_t tcb, Product product);
std::uint64_t EncodeTcb(const TcbParts& parts, Product product);
/// The byte of a TCB_VERSION at index `i` (0 = least significant).
inline std::uint8_t TcbByte(std::uint64_t tcb, int i) { return static_cast<std::uint8_t>(tcb >> (8 * i)); }
/// Every byte of `low` is <= the same byte of `high`: each byte is one
/// component's security patch level in every layout.
bool TcbAtMost(std::uint64_t low, std::uint64_t high);
/// "BL 3, TEE 0, SNP 8, UCODE 115" (Turin: "FMC n, BL ...").
std::string DescribeTcb(std::uint64_t tcb, Product product);

}  // namespace keyattest::amd
