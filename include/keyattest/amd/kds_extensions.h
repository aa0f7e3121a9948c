// The AMD Key Distribution Service extensions of a VCEK or VLEK certificate
// (docs/snp.md "VCEK extensions"), read in exact DER.
#pragma once

#include <openssl/x509.h>

#include <array>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

#include "keyattest/amd/product.h"
#include "keyattest/core/bytes.h"

namespace keyattest::amd {

/// The arc every KDS extension lives under.
inline constexpr const char* kKdsOidPrefix = "1.3.6.1.4.1.3704.1.";

enum class EndorsementKind { kVcek, kVlek };

struct KdsExtensions {
  std::uint8_t struct_version = 0;       // .1   INTEGER
  std::string product_name;              // .2   IA5String, "Milan-B0"
  Product product = Product::kMilan;     // from product_name
  std::uint8_t boot_loader = 0;          // .3.1 blSPL
  std::uint8_t tee = 0;                  // .3.2 teeSPL
  std::uint8_t snp = 0;                  // .3.3 snpSPL
  std::array<std::uint8_t, 4> spl4_7{};  // .3.4-.3.7 (reserved TCB bytes)
  std::uint8_t microcode = 0;            // .3.8 ucodeSPL
  std::optional<std::uint8_t> fmc;       // .3.9 fmcSPL (Turin)
  Bytes hwid;                            // .4   raw bytes (VCEK)
  std::string csp_id;                    // .5   IA5String (VLEK)
  /// The TCB_VERSION these SPLs make in the product's layout.
  std::uint64_t tcb = 0;
};

class KdsExtensionError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Reads the KDS extensions of `cert`: every extension is a KDS one or the
/// authority key identifier, each KDS extension at most once; the required
/// set for `kind` and the product is present; integers are exactly
/// `02 01 xx` (xx < 0x80) or `02 02 00 xx` (xx >= 0x80); productName is an
/// IA5String naming Milan, Genoa or Turin (optionally "-<stepping>"); hwID
/// is 64 raw bytes (8 on Turin). Throws KdsExtensionError naming the OID.
KdsExtensions ParseKdsExtensions(const X509* cert, EndorsementKind kind);

}  // namespace keyattest::amd
