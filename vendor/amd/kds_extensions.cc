// KDS certificate extensions in exact DER (docs/snp.md "VCEK extensions").
#include "keyattest/amd/kds_extensions.h"

#include <openssl/objects.h>

#include <map>
#include <string_view>

#include "keyattest/crypto/openssl_ptr.h"

namespace keyattest::amd {

namespace {

constexpr const char* kAuthorityKeyIdentifier = "2.5.29.35";

/// The KDS arc suffixes this parser knows ("1", "3.1", ...).
bool IsKnownSuffix(std::string_view s) {
  static constexpr std::string_view kKnown[] = {"1",   "2",   "3.1", "3.2", "3.3", "3.4", "3.5",
                                                "3.6", "3.7", "3.8", "3.9", "4",   "5"};
  for (std::string_view k : kKnown) {
    if (s == k) return true;
  }
  return false;
}

std::string OidText(const ASN1_OBJECT* obj) {
  char buf[128];
  const int n = OBJ_obj2txt(buf, sizeof(buf), obj, 1);
  if (n <= 0 || static_cast<std::size_t>(n) >= sizeof(buf)) return "(unprintable OID)";
  return std::string(buf, static_cast<std::size_t>(n));
}

using ExtensionValues = std::map<std::string, Bytes>;  // KDS suffix -> extnValue octets

ExtensionValues CollectKdsExtensions(const X509* cert) {
  ExtensionValues out;
  const std::string prefix = kKdsOidPrefix;
  for (int i = 0; i < X509_get_ext_count(cert); ++i) {
    X509_EXTENSION* ext = X509_get_ext(cert, i);
    const std::string oid = OidText(X509_EXTENSION_get_object(ext));
    if (oid == kAuthorityKeyIdentifier) continue;
    if (oid.rfind(prefix, 0) != 0 || !IsKnownSuffix(std::string_view(oid).substr(prefix.size()))) {
      throw KdsExtensionError("unexpected extension " + oid +
                              " (only the KDS extensions and the authority key "
                              "identifier may appear)");
    }
    const std::string suffix = oid.substr(prefix.size());
    const ASN1_OCTET_STRING* data = X509_EXTENSION_get_data(ext);
    const unsigned char* p = ASN1_STRING_get0_data(data);
    Bytes value(p, p + ASN1_STRING_length(data));
    if (!out.emplace(suffix, std::move(value)).second) {
      throw KdsExtensionError("extension " + oid + " appears more than once");
    }
  }
  return out;
}

std::string Name(const std::string& suffix) { return std::string(kKdsOidPrefix) + suffix; }

const Bytes* Find(const ExtensionValues& values, const std::string& suffix) {
  auto it = values.find(suffix);
  return it == values.end() ? nullptr : &it->second;
}

const Bytes& Require(const ExtensionValues& values, const std::string& suffix, const char* what) {
  const Bytes* v = Find(values, suffix);
  if (v == nullptr) throw KdsExtensionError(std::string("missing extension ") + Name(suffix) + " (" + what + ")");
  return *v;
}

/// 0..255 as DER INTEGER in its one minimal form.
std::uint8_t ExactU8(const Bytes& v, const std::string& suffix) {
  if (v.size() == 3 && v[0] == 0x02 && v[1] == 0x01 && v[2] < 0x80) return v[2];
  if (v.size() == 4 && v[0] == 0x02 && v[1] == 0x02 && v[2] == 0x00 && v[3] >= 0x80) return v[3];
  throw KdsExtensionError("extension " + Name(suffix) + " is not an INTEGER 0-255 in minimal DER (02 01 xx or " +
                          "02 02 00 xx): " + HexEncode(v));
}

std::string ExactIa5(const Bytes& v, const std::string& suffix) {
  if (v.size() < 2 || v[0] != 0x16 || v[1] >= 0x80 || v.size() != 2U + v[1]) {
    throw KdsExtensionError("extension " + Name(suffix) + " is not a DER IA5String: " + HexEncode(v));
  }
  std::string s(v.begin() + 2, v.end());
  for (char c : s) {
    if (c < 0x20 || c > 0x7e) throw KdsExtensionError("extension " + Name(suffix) + " has a non-printable character");
  }
  return s;
}

Product ProductOfName(const std::string& name) {
  const std::size_t dash = name.find('-');
  std::optional<Product> p = ProductFromName(std::string_view(name).substr(0, dash));
  const bool stepping_ok =
      dash == std::string::npos || (name.size() == dash + 3 && name[dash + 1] >= 'A' && name[dash + 1] <= 'Z' &&
                                    name[dash + 2] >= '0' && name[dash + 2] <= '9');
  if (!p || !stepping_ok) {
    throw KdsExtensionError("productName \"" + name + "\" is not Milan, Genoa or Turin (optionally -<stepping>)");
  }
  return *p;
}

void ReadSpls(const ExtensionValues& values, KdsExtensions& out) {
  out.boot_loader = ExactU8(Require(values, "3.1", "blSPL"), "3.1");
  out.tee = ExactU8(Require(values, "3.2", "teeSPL"), "3.2");
  out.snp = ExactU8(Require(values, "3.3", "snpSPL"), "3.3");
  out.microcode = ExactU8(Require(values, "3.8", "ucodeSPL"), "3.8");
  const bool turin = out.product == Product::kTurin;
  for (int i = 0; i < 4; ++i) {
    const std::string suffix = "3." + std::to_string(4 + i);
    const Bytes* v = Find(values, suffix);
    // Milan and Genoa VCEKs carry SPL 4-7 for the reserved TCB bytes.
    if (v == nullptr && !turin)
      throw KdsExtensionError("missing extension " + Name(suffix) + " (SPL " + std::to_string(4 + i) + ")");
    if (v != nullptr) out.spl4_7[static_cast<std::size_t>(i)] = ExactU8(*v, suffix);
  }
  const Bytes* fmc = Find(values, "3.9");
  if (turin) {
    out.fmc = ExactU8(Require(values, "3.9", "fmcSPL, required on Turin"), "3.9");
  } else if (fmc != nullptr) {
    throw KdsExtensionError("extension " + Name("3.9") + " (fmcSPL) exists only on Turin, not " +
                            ProductName(out.product));
  }
}

void ReadIdentity(const ExtensionValues& values, EndorsementKind kind, KdsExtensions& out) {
  const Bytes* hwid = Find(values, "4");
  const Bytes* csp = Find(values, "5");
  if (kind == EndorsementKind::kVcek) {
    if (csp != nullptr) throw KdsExtensionError("a VCEK must not carry cspID (" + Name("5") + ")");
    const Bytes& id = Require(values, "4", "hwID");
    const bool size_ok = id.size() == 64 || (out.product == Product::kTurin && id.size() == 8);
    if (!size_ok) {
      throw KdsExtensionError("hwID (" + Name("4") + ") is " + std::to_string(id.size()) +
                              " bytes; a VCEK's is 64 raw bytes (8 on Turin)");
    }
    out.hwid = id;
  } else {
    if (hwid != nullptr) throw KdsExtensionError("a VLEK must not carry hwID (" + Name("4") + ")");
    out.csp_id = ExactIa5(Require(values, "5", "cspID"), "5");
  }
}

}  // namespace

KdsExtensions ParseKdsExtensions(const X509* cert, EndorsementKind kind) {
  const ExtensionValues values = CollectKdsExtensions(cert);
  KdsExtensions out;
  out.struct_version = ExactU8(Require(values, "1", "structVersion"), "1");
  out.product_name = ExactIa5(Require(values, "2", "productName"), "2");
  out.product = ProductOfName(out.product_name);
  ReadSpls(values, out);
  ReadIdentity(values, kind, out);
  TcbParts parts;
  parts.fmc = out.fmc;
  parts.boot_loader = out.boot_loader;
  parts.tee = out.tee;
  parts.snp = out.snp;
  parts.microcode = out.microcode;
  parts.reserved = out.spl4_7;
  out.tcb = EncodeTcb(parts, out.product);
  return out;
}

}  // namespace keyattest::amd
