// Product lines and TCB_VERSION layouts (docs/snp.md "TCB_VERSION").
#include "keyattest/amd/product.h"

namespace keyattest::amd {

const char* ProductName(Product product) {
  switch (product) {
    case Product::kMilan:
      return "Milan";
    case Product::kGenoa:
      return "Genoa";
    case Product::kTurin:
      return "Turin";
  }
  return "unknown";
}

std::optional<Product> ProductFromName(std::string_view name) {
  for (Product p : {Product::kMilan, Product::kGenoa, Product::kTurin}) {
    if (name == ProductName(p)) return p;
  }
  return std::nullopt;
}

std::optional<Product> ProductFromCpuid(std::uint8_t family, std::uint8_t model) {
  if (family == 0x19 && (model >> 4) == 0x0) return Product::kMilan;
  if (family == 0x19 && (model >> 4) == 0x1) return Product::kGenoa;
  if (family == 0x1A && (model >> 4) == 0x0) return Product::kTurin;
  return std::nullopt;
}

TcbParts DecodeTcb(std::uint64_t tcb, Product product) {
  TcbParts p;
  if (product == Product::kTurin) {
    p.fmc = TcbByte(tcb, 0);
    p.boot_loader = TcbByte(tcb, 1);
    p.tee = TcbByte(tcb, 2);
    p.snp = TcbByte(tcb, 3);
    p.reserved = {TcbByte(tcb, 4), TcbByte(tcb, 5), TcbByte(tcb, 6), 0};
  } else {
    p.boot_loader = TcbByte(tcb, 0);
    p.tee = TcbByte(tcb, 1);
    p.reserved = {TcbByte(tcb, 2), TcbByte(tcb, 3), TcbByte(tcb, 4), TcbByte(tcb, 5)};
    p.snp = TcbByte(tcb, 6);
  }
  p.microcode = TcbByte(tcb, 7);
  return p;
}

std::uint64_t EncodeTcb(const TcbParts& parts, Product product) {
  auto at = [](std::uint8_t v, int i) { return static_cast<std::uint64_t>(v) << (8 * i); };
  std::uint64_t out = at(parts.microcode, 7);
  if (product == Product::kTurin) {
    out |= at(parts.fmc.value_or(0), 0) | at(parts.boot_loader, 1) | at(parts.tee, 2) | at(parts.snp, 3);
    for (int i = 0; i < 3; ++i) out |= at(parts.reserved[static_cast<std::size_t>(i)], 4 + i);
  } else {
    out |= at(parts.boot_loader, 0) | at(parts.tee, 1) | at(parts.snp, 6);
    for (int i = 0; i < 4; ++i) out |= at(parts.reserved[static_cast<std::size_t>(i)], 2 + i);
  }
  return out;
}

bool TcbAtMost(std::uint64_t low, std::uint64_t high) {
  for (int i = 0; i < 8; ++i) {
    if (TcbByte(low, i) > TcbByte(high, i)) return false;
  }
  return true;
}

std::string DescribeTcb(std::uint64_t tcb, Product product) {
  const TcbParts p = DecodeTcb(tcb, product);
  std::string out;
  if (p.fmc) out += "FMC " + std::to_string(*p.fmc) + ", ";
  out += "BL " + std::to_string(p.boot_loader) + ", TEE " + std::to_string(p.tee) + ", SNP " + std::to_string(p.snp) +
         ", UCODE " + std::to_string(p.microcode);
  return out;
}

}  // namespace keyattest::amd
