#include "keyattest/marvell/attributes.h"

#include <openssl/ec.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>

#include "keyattest/core/byte_reader.h"
#include "keyattest/crypto/curves.h"
#include "keyattest/crypto/openssl_ptr.h"

namespace keyattest::marvell {

namespace {

using EcGroupPtr = std::unique_ptr<EC_GROUP, OpenSslFree<EC_GROUP_free>>;
using EcPointPtr = std::unique_ptr<EC_POINT, OpenSslFree<EC_POINT_free>>;

enum class Kind {
  kClass,
  kKeyType,
  kFlag,   // security/usage boolean: length 1, value 0 or 1
  kToken,  // length 1, raw value exposed (2 is seen on Google, §7.1)
  kText,   // 128-byte NUL-padded text
  kU32,
  kModulus,
  kModulusBits,
  kExponent,
  kKcv,
  kEkcv,
  kRaw,  // named, meaning unknown: kept raw
};

struct AttributeInfo {
  // Table rows read (type, name, kind, meaning); members are ordered to pack.
  constexpr AttributeInfo(std::uint32_t t, const char* n, Kind k, const char* m)
      : name(n), meaning(m), type(t), kind(k) {}
  const char* name;
  const char* meaning;
  std::uint32_t type;
  Kind kind;
};

// §7.2. Names follow Marvell's OBJ_ATTR_* where one is known.
constexpr AttributeInfo kTable[] = {
    {attr::kClass, "OBJ_ATTR_CLASS", Kind::kClass, "Object class"},
    {attr::kToken, "OBJ_ATTR_TOKEN", Kind::kToken, "Token object (1) or session object (0)"},
    {attr::kPrivate, "OBJ_ATTR_PRIVATE", Kind::kFlag, "Requires login to access"},
    {attr::kLabel, "OBJ_ATTR_LABEL", Kind::kText, "Key label"},
    {attr::kTrusted, "OBJ_ATTR_TRUSTED", Kind::kFlag, "Key is trusted for wrapping"},
    {attr::kKeyType, "OBJ_ATTR_KEY_TYPE", Kind::kKeyType, "Key type"},
    {attr::kId, "OBJ_ATTR_ID", Kind::kText, "Key identifier (Azure: /keys/<name>/<version>; Google: hex)"},
    {attr::kSensitive, "OBJ_ATTR_SENSITIVE", Kind::kFlag, "Key material cannot be revealed in plaintext"},
    {attr::kEncrypt, "OBJ_ATTR_ENCRYPT", Kind::kFlag, "Key can encrypt"},
    {attr::kDecrypt, "OBJ_ATTR_DECRYPT", Kind::kFlag, "Key can decrypt"},
    {attr::kWrap, "OBJ_ATTR_WRAP", Kind::kFlag, "Key can wrap other keys"},
    {attr::kUnwrap, "OBJ_ATTR_UNWRAP", Kind::kFlag, "Key can unwrap other keys"},
    {attr::kSign, "OBJ_ATTR_SIGN", Kind::kFlag, "Key can sign"},
    {attr::kSignRecover, "OBJ_ATTR_SIGN_RECOVER", Kind::kFlag, "Key can sign with data recovery"},
    {attr::kVerify, "OBJ_ATTR_VERIFY", Kind::kFlag, "Key can verify signatures"},
    {attr::kVerifyRecover, "OBJ_ATTR_VERIFY_RECOVER", Kind::kFlag, "Key can verify with data recovery"},
    {attr::kDerive, "OBJ_ATTR_DERIVE", Kind::kFlag, "Key can derive other keys"},
    {attr::kModulus, "OBJ_ATTR_MODULUS", Kind::kModulus, "RSA modulus, or the EC public point 04||X||Y"},
    {attr::kModulusBits, "OBJ_ATTR_MODULUS_BITS", Kind::kModulusBits,
     "RSA modulus size in bits; for EC the curve's OpenSSL NID"},
    {attr::kPublicExponent, "OBJ_ATTR_PUBLIC_EXPONENT", Kind::kExponent, "RSA public exponent"},
    {attr::kValueLen, "OBJ_ATTR_VALUE_LEN", Kind::kU32, "Length of the key value in bytes"},
    {attr::kExtractable, "OBJ_ATTR_EXTRACTABLE", Kind::kFlag, "Key can be exported (wrapped) from the HSM"},
    {attr::kLocal, "OBJ_ATTR_LOCAL", Kind::kFlag, "Key was generated inside the HSM"},
    {attr::kNeverExtractable, "OBJ_ATTR_NEVER_EXTRACTABLE", Kind::kFlag, "Key has never been extractable"},
    {attr::kAlwaysSensitive, "OBJ_ATTR_ALWAYS_SENSITIVE", Kind::kFlag, "Key has always been sensitive"},
    {attr::kKeyGenMechanism, "OBJ_ATTR_KEY_GEN_MECHANISM", Kind::kU32,
     "Key generation mechanism (CKA_KEY_GEN_MECHANISM, inferred)"},
    {attr::kModifiable, "OBJ_ATTR_MODIFIABLE", Kind::kFlag, "Attributes can be modified"},
    {attr::kDestroyable, "OBJ_ATTR_DESTROYABLE", Kind::kFlag, "Object can be destroyed"},
    {attr::kKcv, "OBJ_ATTR_KCV", Kind::kKcv, "Key check value (asymmetric: SHA-1 of the SPKI, first 3 bytes)"},
    {attr::kAlwaysAuthenticate, "OBJ_ATTR_ALWAYS_AUTHENTICATE", Kind::kFlag,
     "Re-authentication required for each use (inferred)"},
    {attr::kWrapWithTrusted, "OBJ_ATTR_WRAP_WITH_TRUSTED", Kind::kFlag, "Key can only be wrapped with a trusted key"},
    {attr::kExtAttr1, "OBJ_EXT_ATTR1", Kind::kRaw, "Vendor extended attribute (meaning unknown)"},
    {attr::kEkcv, "OBJ_ATTR_EKCV", Kind::kEkcv, "Extended key check value: SHA-256 of the SPKI"},
    {attr::kVendorPrivateLength, "OBJ_ATTR_VENDOR_DEFINED", Kind::kU32,
     "Vendor-defined (inferred: length of the CRT private material)"},
    {attr::kSplittable, "OBJ_ATTR_SPLITTABLE", Kind::kFlag, "Key can be split"},
    {attr::kIsSplit, "OBJ_ATTR_IS_SPLIT", Kind::kFlag, "Key is split"},
    {0x80000174, "OBJ_ATTR_ENCRYPT_KEY_MECHANISMS", Kind::kRaw, "Allowed encrypt mechanisms (bitmap, unknown)"},
    {0x80000175, "OBJ_ATTR_DECRYPT_KEY_MECHANISMS", Kind::kRaw, "Allowed decrypt mechanisms (bitmap, unknown)"},
    {0x80000176, "OBJ_ATTR_SIGN_KEY_MECHANISMS", Kind::kRaw, "Allowed sign mechanisms (bitmap, unknown)"},
    {0x80000177, "OBJ_ATTR_VERIFY_KEY_MECHANISMS", Kind::kRaw, "Allowed verify mechanisms (bitmap, unknown)"},
    {0x80000178, "OBJ_ATTR_WRAP_KEY_MECHANISMS", Kind::kRaw, "Allowed wrap mechanisms (bitmap, unknown)"},
    {0x80000179, "OBJ_ATTR_UNWRAP_KEY_MECHANISMS", Kind::kRaw, "Allowed unwrap mechanisms (bitmap, unknown)"},
    {0x80000180, "OBJ_ATTR_DERIVE_KEY_MECHANISMS", Kind::kRaw, "Allowed derive mechanisms (bitmap, unknown)"},
};

/// kTable's rows by type, sorted at compile time: a blob's objects hold
/// hundreds of attributes, each looked up here.
struct TypeIndex {
  std::uint32_t type;
  std::size_t row;
};
constexpr std::size_t kTableRows = sizeof(kTable) / sizeof(kTable[0]);
constexpr std::array<TypeIndex, kTableRows> kByType = [] {
  std::array<TypeIndex, kTableRows> index{};
  for (std::size_t i = 0; i < kTableRows; ++i) index[i] = {kTable[i].type, i};
  std::sort(index.begin(), index.end(), [](const TypeIndex& a, const TypeIndex& b) { return a.type < b.type; });
  return index;
}();
static_assert(std::adjacent_find(kByType.begin(), kByType.end(),
                                 [](const TypeIndex& a, const TypeIndex& b) { return a.type == b.type; }) ==
                  kByType.end(),
              "one row per attribute type");

const AttributeInfo* FindInfo(std::uint32_t type) {
  const auto* it = std::lower_bound(kByType.begin(), kByType.end(), type,
                                    [](const TypeIndex& entry, std::uint32_t t) { return entry.type < t; });
  return it != kByType.end() && it->type == type ? &kTable[it->row] : nullptr;
}

std::uint64_t ReadEnum(const Attribute& a, const char* name) {
  // 1, 4 or 8-byte big-endian (§7.1 recommendation).
  if (a.value.size() != 1 && a.value.size() != 4 && a.value.size() != 8) {
    throw ParseError(a.offset, name, "has length " + std::to_string(a.value.size()) + ", expected 1, 4 or 8");
  }
  return ByteReader(a.value, a.offset).UBe(a.value.size(), name);
}

std::uint32_t ReadU32(const Attribute& a, const char* name) {
  if (a.value.size() != 4) {
    throw ParseError(a.offset, name, "has length " + std::to_string(a.value.size()) + ", expected 4");
  }
  return ByteReader(a.value, a.offset).U32(name);
}

/// Display-only check: valid UTF-8 without control characters. Invalid text
/// is reported as bytes rather than rejected (§13).
bool IsValidUtf8(const std::string& s) {
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    if (c < 0x80) {
      if (c < 0x20 || c == 0x7f) return false;
    } else if ((c & 0xe0) == 0xc0 && c >= 0xc2) {
      n = 1;
    } else if ((c & 0xf0) == 0xe0) {
      n = 2;
    } else if ((c & 0xf8) == 0xf0 && c <= 0xf4) {
      n = 3;
    } else {
      return false;
    }
    if (n > s.size() - i - 1) return false;
    for (std::size_t j = 1; j <= n; ++j) {
      if ((static_cast<unsigned char>(s[i + j]) & 0xc0) != 0x80) return false;
    }
    i += n + 1;
  }
  return true;
}

/// The text of a NUL-padded value: the bytes before its first NUL.
std::string_view TextBeforeNul(ByteSpan value) {
  const auto nul = std::find(value.begin(), value.end(), std::uint8_t{0});
  return {reinterpret_cast<const char*>(value.data()), static_cast<std::size_t>(nul - value.begin())};
}

/// 128-byte NUL-padded text: up to 128 bytes, nothing but NULs after the
/// first NUL, trailing NULs stripped (§7.1). Leading NULs are not stripped.
std::string ReadText(const Attribute& a, const char* name) {
  if (a.value.size() > 128) {
    throw ParseError(a.offset, name, "has length " + std::to_string(a.value.size()) + ", more than 128");
  }
  auto nul = std::find(a.value.begin(), a.value.end(), std::uint8_t{0});
  if (std::any_of(nul, a.value.end(), [](std::uint8_t b) { return b != 0; })) {
    throw ParseError(a.offset, name, "has non-NUL bytes after its terminating NUL");
  }
  return std::string(TextBeforeNul(a.value));
}

/// How a text value is shown: as is when it is valid UTF-8 without
/// control characters, otherwise as bytes (§13).
std::string TextDisplay(ByteSpan value) {
  const std::string text(TextBeforeNul(value));
  return IsValidUtf8(text) ? text : "(not text) 0x" + HexEncode(AsBytes(text));
}

std::string Abbreviate(ByteSpan b) {
  if (b.size() <= 16) return HexEncode(b);
  return HexEncode(b.first(8)) + "..." + HexEncode(b.last(8));
}

/// Offsets of the attributes a cross-attribute rule may blame.
struct KeyAttributeOffsets {
  std::size_t object = 0;
  std::size_t modulus_bits = 0;
  std::size_t public_exponent = 0;
};

void ValidateRsaModulus(const AttestedKey& key, const Attribute& a, const KeyAttributeOffsets& at) {
  const Bytes& n = *key.modulus;
  if (n.empty()) throw ParseError(a.offset, "OBJ_ATTR_MODULUS", "is empty");
  if (n[0] == 0) throw ParseError(a.offset, "OBJ_ATTR_MODULUS", "has a non-minimal leading zero byte");
  if (!key.modulus_bits) throw ParseError(at.object, "OBJ_ATTR_MODULUS_BITS", "is missing for an RSA key");
  std::size_t bits = n.size() * 8;
  for (std::uint8_t top = n[0]; (top & 0x80) == 0; top = static_cast<std::uint8_t>(top << 1)) --bits;
  if (*key.modulus_bits != bits) {
    throw ParseError(
        at.modulus_bits, "OBJ_ATTR_MODULUS_BITS",
        "is " + std::to_string(*key.modulus_bits) + " but the modulus has " + std::to_string(bits) + " bits");
  }
  if ((n.back() & 1) == 0) throw ParseError(a.offset, "OBJ_ATTR_MODULUS", "is even");
}

/// The group of a supported curve, built once per process: building one
/// costs as much as checking the point. A group is only read here, which
/// OpenSSL allows from several threads at once.
const EC_GROUP& CurveGroup(int nid) {
  static const std::vector<std::pair<int, EcGroupPtr>> kGroups = [] {
    std::vector<std::pair<int, EcGroupPtr>> groups;
    // MODULUS_BITS carries the OpenSSL NID for EC keys (§7.1, inferred).
    for (const EcCurve& c : SupportedCurves()) {
      const int curve_nid = c.nid;
      groups.emplace_back(
          curve_nid, EcGroupPtr(CheckNotNull(EC_GROUP_new_by_curve_name(curve_nid), "EC_GROUP_new_by_curve_name")));
    }
    return groups;
  }();
  for (const auto& [group_nid, group] : kGroups) {
    if (group_nid == nid) return *group;
  }
  throw CryptoError("no group for curve NID " + std::to_string(nid));
}

void ValidateEcPoint(const AttestedKey& key, const Attribute& a, const KeyAttributeOffsets& at) {
  const Bytes& point = *key.modulus;
  if (!key.modulus_bits) throw ParseError(at.object, "OBJ_ATTR_MODULUS_BITS", "is missing for an EC key");
  std::string curve = CurveNameForNid(*key.modulus_bits);
  if (curve.empty()) {
    throw ParseError(at.modulus_bits, "OBJ_ATTR_MODULUS_BITS",
                     std::to_string(*key.modulus_bits) + " is not the NID of a supported curve");
  }
  const EC_GROUP* group = &CurveGroup(static_cast<int>(*key.modulus_bits));
  std::size_t field = (static_cast<std::size_t>(EC_GROUP_get_degree(group)) + 7) / 8;
  if (point.empty() || point[0] != 0x04) {
    throw ParseError(a.offset, "OBJ_ATTR_MODULUS", "EC point is not in uncompressed form (must start with 04)");
  }
  if (point.size() != 1 + 2 * field) {
    throw ParseError(a.offset, "OBJ_ATTR_MODULUS",
                     "EC point is " + std::to_string(point.size()) + " bytes, expected " +
                         std::to_string(1 + 2 * field) + " for " + curve);
  }
  EcPointPtr p(CheckNotNull(EC_POINT_new(group), "EC_POINT_new"));
  bool on_curve = EC_POINT_oct2point(group, p.get(), point.data(), point.size(), nullptr) == 1 &&
                  EC_POINT_is_on_curve(group, p.get(), nullptr) == 1;
  ClearOpenSslErrors();
  if (!on_curve) throw ParseError(a.offset, "OBJ_ATTR_MODULUS", "EC point is not on " + curve);
}

}  // namespace

namespace {

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

/// A non-negative integer in decimal or 0x hex, at most `max`; nullopt for
/// anything else (signs, spaces, empty digits, overflow: never truncated).
std::optional<std::uint64_t> ParseNumber(std::string_view s, std::uint64_t max = UINT64_MAX) {
  std::uint64_t base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    s.remove_prefix(2);
  }
  if (s.empty()) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    std::uint64_t d = 0;
    if (std::isdigit(u)) {
      d = static_cast<std::uint64_t>(u - '0');
    } else if (base == 16 && std::isxdigit(u)) {
      d = static_cast<std::uint64_t>(std::tolower(u) - 'a') + 10;
    } else {
      return std::nullopt;
    }
    if (v > (max - d) / base) return std::nullopt;
    v = v * base + d;
  }
  return v;
}

/// Even-length hex (an optional 0x prefix), at least one byte.
std::optional<Bytes> ParseHexValue(std::string_view s) {
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) s.remove_prefix(2);
  std::string lower(s);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower.empty()) return std::nullopt;
  return HexDecode(lower);
}

/// `b` has 1 to 8 bytes (callers check).
std::uint64_t BigEndianValue(ByteSpan b) { return ByteReader(b).UBe(b.size(), "value"); }

}  // namespace

std::optional<std::uint32_t> AttributeTypeByName(std::string_view name) {
  std::string upper = Upper(name);
  for (const auto& info : kTable) {
    std::string full = info.name;
    if (upper == full || "OBJ_ATTR_" + upper == full || "OBJ_" + upper == full) return info.type;
  }
  // A number names an attribute only if the table knows it: a requirement
  // on an unknown ID could never be checked against a known type.
  if (auto n = ParseNumber(name, 0xffffffffu); n && FindInfo(static_cast<std::uint32_t>(*n)) != nullptr) {
    return static_cast<std::uint32_t>(*n);
  }
  return std::nullopt;
}

std::string AttributeName(std::uint32_t type) {
  const AttributeInfo* info = FindInfo(type);
  return info ? info->name : "UNKNOWN_" + FormatAttributeType(type);
}

bool IsKnownAttribute(std::uint32_t type) { return FindInfo(type) != nullptr; }

std::string_view AttributeMeaning(std::uint32_t type) {
  const AttributeInfo* info = FindInfo(type);
  return info ? info->meaning : "Not in any public attribute table; kept raw";
}

namespace {

std::optional<std::uint64_t> ParseFlag(std::string_view text) {
  const std::string want = Upper(text);
  if (want == "TRUE" || want == "CK_TRUE" || want == "1") return 1;
  if (want == "FALSE" || want == "CK_FALSE" || want == "0") return 0;
  return std::nullopt;
}

/// An enum value by name (as `name_of` spells it) or by a number it names.
std::optional<std::uint64_t> ParseEnum(std::string_view text, std::string (*name_of)(std::uint64_t),
                                       std::uint64_t max) {
  const std::string want = Upper(text);
  if (auto n = ParseNumber(text)) {
    if (!name_of(*n).empty()) return n;
    return std::nullopt;
  }
  for (std::uint64_t v = 0; v <= max; ++v) {
    if (!name_of(v).empty() && name_of(v) == want) return v;
  }
  if (!name_of(0x80000000).empty() && name_of(0x80000000) == want) return 0x80000000;
  return std::nullopt;
}

}  // namespace

std::optional<RequiredValue> ParseRequiredValue(std::uint32_t type, std::string_view text, std::string* accepted) {
  const AttributeInfo* info = FindInfo(type);
  auto fail = [&](const char* what) -> std::optional<RequiredValue> {
    *accepted = what;
    return std::nullopt;
  };
  if (info == nullptr) return fail("a known attribute");
  RequiredValue v;
  std::optional<std::uint64_t> number;
  switch (info->kind) {
    case Kind::kFlag:
      number = ParseFlag(text);
      if (!number) return fail("true, false, 1, 0, CK_TRUE or CK_FALSE");
      break;
    case Kind::kToken:
      number = ParseFlag(text);
      if (!number) number = ParseNumber(text, 255);
      if (!number) return fail("true, false, CK_TRUE, CK_FALSE or an integer from 0 to 255");
      break;
    case Kind::kClass:
      number = ParseEnum(text, ObjectClassName, 8);
      if (!number) return fail("an object class name such as CKO_PRIVATE_KEY (or its number)");
      break;
    case Kind::kKeyType:
      number = ParseEnum(text, KeyTypeName, 0x29);
      if (!number) return fail("a key type name such as CKK_RSA, CKK_EC or CKK_AES (or its number)");
      break;
    case Kind::kU32:
    case Kind::kModulusBits:
      number = ParseNumber(text, 0xffffffffu);
      if (!number) return fail("an integer from 0 to 4294967295 (decimal or 0x hex)");
      break;
    case Kind::kExponent:
      number = ParseNumber(text);
      if (!number) return fail("an integer from 0 to 18446744073709551615 (decimal or 0x hex)");
      break;
    case Kind::kText:
      if (text.empty() || text.size() > 128) return fail("text of 1 to 128 bytes");
      v.form = RequiredValue::Form::kText;
      v.text = std::string(text);
      return v;
    case Kind::kKcv:
    case Kind::kEkcv:
    case Kind::kModulus:
    case Kind::kRaw: {
      std::optional<Bytes> bytes = ParseHexValue(text);
      const std::size_t want = info->kind == Kind::kKcv ? 3 : info->kind == Kind::kEkcv ? 32 : 0;
      if (!bytes || (want != 0 && bytes->size() != want)) {
        return fail(info->kind == Kind::kKcv    ? "3 bytes in hex (6 hex digits)"
                    : info->kind == Kind::kEkcv ? "32 bytes in hex (64 hex digits)"
                                                : "bytes in hex (an even number of hex digits)");
      }
      v.form = RequiredValue::Form::kBytes;
      v.bytes = std::move(*bytes);
      return v;
    }
  }
  v.form = RequiredValue::Form::kNumber;
  v.number = *number;
  return v;
}

bool AttributeValueMatches(const DecodedAttribute& a, const RequiredValue& expected) {
  switch (expected.form) {
    case RequiredValue::Form::kNumber: {
      const AttributeInfo* info = FindInfo(a.type);
      const bool one_byte = info != nullptr && (info->kind == Kind::kFlag || info->kind == Kind::kToken);
      if (one_byte) return a.raw.size() == 1 && a.raw[0] == expected.number;
      return !a.raw.empty() && a.raw.size() <= 8 && BigEndianValue(a.raw) == expected.number;
    }
    case RequiredValue::Form::kText:
      // The text as shown: a label that is not text matches only its
      // "(not text) 0x..." form, as before values were shown lazily.
      return AttributeValueText(a.type, a.raw, 0) == expected.text;
    case RequiredValue::Form::kBytes:
      return std::ranges::equal(a.raw, expected.bytes);
  }
  return false;
}

std::string FormatAttributeType(std::uint32_t type) {
  char buf[16];
  (void)std::snprintf(buf, sizeof(buf), "0x%08x", type);
  return buf;
}

std::string ObjectClassName(std::uint64_t c) {
  static const char* const kNames[] = {"CKO_DATA",       "CKO_CERTIFICATE", "CKO_PUBLIC_KEY",        "CKO_PRIVATE_KEY",
                                       "CKO_SECRET_KEY", "CKO_HW_FEATURE",  "CKO_DOMAIN_PARAMETERS", "CKO_MECHANISM",
                                       "CKO_OTP_KEY"};
  return c < std::size(kNames) ? kNames[c] : "";
}

std::string KeyTypeName(std::uint64_t t) {
  struct Entry {
    std::uint64_t value;
    const char* name;
  };
  static constexpr Entry kNames[] = {
      {0x00, "CKK_RSA"},
      {0x01, "CKK_DSA"},
      {0x02, "CKK_DH"},
      {0x03, "CKK_EC"},
      {0x04, "CKK_X9_42_DH"},
      {0x05, "CKK_KEA"},
      {0x10, "CKK_GENERIC_SECRET"},
      {0x11, "CKK_RC2"},
      {0x12, "CKK_RC4"},
      {0x13, "CKK_DES"},
      {0x14, "CKK_DES2"},
      {0x15, "CKK_DES3"},
      {0x16, "CKK_CAST"},
      {0x17, "CKK_CAST3"},
      {0x18, "CKK_CAST128"},
      {0x19, "CKK_RC5"},
      {0x1A, "CKK_IDEA"},
      {0x1B, "CKK_SKIPJACK"},
      {0x1C, "CKK_BATON"},
      {0x1D, "CKK_JUNIPER"},
      {0x1E, "CKK_CDMF"},
      {0x1F, "CKK_AES"},
      {0x20, "CKK_BLOWFISH"},
      {0x21, "CKK_TWOFISH"},
      {0x22, "CKK_SECURID"},
      {0x23, "CKK_HOTP"},
      {0x24, "CKK_ACTI"},
      {0x25, "CKK_CAMELLIA"},
      {0x26, "CKK_ARIA"},
      {0x27, "CKK_SHA512_224_HMAC"},
      {0x28, "CKK_SHA512_256_HMAC"},
      {0x29, "CKK_SHA512_T_HMAC"},
      {0x80000000, "CKK_VENDOR_DEFINED"},
  };
  for (const auto& e : kNames) {
    if (e.value == t) return e.name;
  }
  return "";
}

bool IsAsymmetricKeyType(std::uint64_t key_type) { return key_type <= 0x05; }

bool IsSymmetricKeyType(std::uint64_t key_type) { return key_type >= 0x10 && key_type <= 0x29; }

std::string CurveNameForNid(std::uint32_t nid) {
  const EcCurve* curve = CurveByNid(static_cast<long>(nid));
  return curve != nullptr ? std::string(curve->display_name) : "";
}

const std::vector<std::uint32_t>& SummaryAttributeTypes() {
  static const std::vector<std::uint32_t> kTypes = {attr::kClass,     attr::kKeyType,         attr::kId,
                                                    attr::kLocal,     attr::kExtractable,     attr::kNeverExtractable,
                                                    attr::kSensitive, attr::kAlwaysSensitive, attr::kPublicExponent};
  return kTypes;
}

std::optional<bool> AttestedKey::Flag(std::uint32_t type) const {
  const DecodedAttribute* a = Find(type);
  if (a == nullptr || a->raw.size() != 1 || a->raw[0] > 1) return std::nullopt;
  return a->raw[0] == 1;
}

const DecodedAttribute* AttestedKey::Find(std::uint32_t type) const {
  for (const auto& a : attributes) {
    if (a.type == type) return &a;
  }
  return nullptr;
}

namespace {

/// Throws unless the attribute's value is exactly `size` bytes.
void RequireLength(const Attribute& a, const char* name, std::size_t size) {
  if (a.value.size() != size) {
    throw ParseError(a.offset, name,
                     "has length " + std::to_string(a.value.size()) + ", expected " + std::to_string(size));
  }
}

/// OBJ_ATTR_PUBLIC_EXPONENT: minimal big-endian, 1 to 8 bytes, odd, >= 3.
void ReadExponent(const Attribute& a, const char* name, AttestedKey& key) {
  if (a.value.empty() || a.value.size() > 8) {
    throw ParseError(a.offset, name, "has length " + std::to_string(a.value.size()) + ", expected 1 to 8");
  }
  if (a.value[0] == 0) throw ParseError(a.offset, name, "has a non-minimal leading zero byte");
  const std::uint64_t e = ByteReader(a.value, a.offset).UBe(a.value.size(), name);
  if (e < 3 || (e & 1) == 0) throw ParseError(a.offset, name, "is " + std::to_string(e) + ", not an odd value >= 3");
  key.public_exponent.emplace(a.value.begin(), a.value.end());
}

/// Validates one attribute's value by its kind (docs/marvell-format.md
/// "Attributes") and records on `key` what the object-wide rules need.
/// Nothing is formatted here: ValueText shows the value when a report is
/// rendered, and relies on what this accepted.
void ValidateValue(const Attribute& a, Kind kind, const char* name, AttestedKey& key) {
  switch (kind) {
    case Kind::kClass:
      key.object_class = ReadEnum(a, name);
      if (ObjectClassName(key.object_class).empty()) {
        throw ParseError(a.offset, name, "has unknown value " + std::to_string(key.object_class));
      }
      return;
    case Kind::kKeyType:
      key.key_type = ReadEnum(a, name);
      if (KeyTypeName(key.key_type).empty()) {
        throw ParseError(a.offset, name, "has unknown value " + std::to_string(key.key_type));
      }
      return;
    case Kind::kFlag:
      RequireLength(a, name, 1);
      if (a.value[0] > 1) {
        throw ParseError(a.offset, name, "has value " + std::to_string(a.value[0]) + ", expected 0 or 1");
      }
      return;
    case Kind::kToken:
      RequireLength(a, name, 1);
      return;
    case Kind::kText:
      (a.type == attr::kId ? key.id : key.label) = ReadText(a, name);
      return;
    case Kind::kU32:
      (void)ReadU32(a, name);
      return;
    case Kind::kModulusBits:
      key.modulus_bits = ReadU32(a, name);
      return;
    case Kind::kModulus:
      key.modulus.emplace(a.value.begin(), a.value.end());
      return;
    case Kind::kExponent:
      ReadExponent(a, name, key);
      return;
    case Kind::kKcv:
      RequireLength(a, name, 3);
      key.kcv.emplace(a.value.begin(), a.value.end());
      return;
    case Kind::kEkcv:
      RequireLength(a, name, 32);
      key.ekcv.emplace(a.value.begin(), a.value.end());
      return;
    case Kind::kRaw:
      return;
  }
}

/// A value shown as bytes: abbreviated hex, or "(empty)".
std::string RawText(ByteSpan raw) { return raw.empty() ? "(empty)" : "0x" + Abbreviate(raw); }

/// "2048", or for an EC key's NID "415 (curve P-256)".
std::string ModulusBitsText(std::uint32_t bits, std::uint64_t key_type) {
  std::string text = std::to_string(bits);
  if (key_type != kKeyTypeEc) return text;
  const std::string curve = CurveNameForNid(bits);
  return curve.empty() ? text : text + " (curve " + curve + ")";
}

/// Whether `raw` has a size ValidateValue accepts for `kind`; the value
/// texts below read no more than that.
bool HasValidatedSize(Kind kind, ByteSpan raw) {
  switch (kind) {
    case Kind::kClass:
    case Kind::kKeyType:
      return raw.size() == 1 || raw.size() == 4 || raw.size() == 8;
    case Kind::kFlag:
    case Kind::kToken:
      return raw.size() == 1;
    case Kind::kU32:
    case Kind::kModulusBits:
      return raw.size() == 4;
    case Kind::kExponent:
      return !raw.empty() && raw.size() <= 8;
    case Kind::kText:
    case Kind::kModulus:
    case Kind::kKcv:
    case Kind::kEkcv:
    case Kind::kRaw:
      return true;
  }
  return false;
}

/// One value as the report shows it, by its kind.
std::string ValueText(Kind kind, ByteSpan raw, std::uint64_t key_type) {
  if (!HasValidatedSize(kind, raw)) return RawText(raw);
  switch (kind) {
    case Kind::kClass:
      return ObjectClassName(BigEndianValue(raw));
    case Kind::kKeyType:
      return KeyTypeName(BigEndianValue(raw));
    case Kind::kFlag:
      return raw[0] == 1 ? "CK_TRUE" : "CK_FALSE";
    case Kind::kToken:
      return raw[0] == 0   ? "0 (session object)"
             : raw[0] == 1 ? "1 (token object)"
                           : std::to_string(raw[0]) + " (meaning unknown)";
    case Kind::kText:
      return TextDisplay(raw);
    case Kind::kU32:
      return std::to_string(BigEndianValue(raw));
    case Kind::kModulusBits:
      return ModulusBitsText(static_cast<std::uint32_t>(BigEndianValue(raw)), key_type);
    case Kind::kModulus:
      return Abbreviate(raw) + " (" + std::to_string(raw.size()) + " bytes)";
    case Kind::kExponent:
      return std::to_string(BigEndianValue(raw)) + " (0x" + HexEncode(raw) + ")";
    case Kind::kKcv:
    case Kind::kEkcv:
      return HexEncode(raw);
    case Kind::kRaw:
      break;
  }
  return RawText(raw);
}

/// Rules that need the whole object: an asymmetric key's material present,
/// well formed and of its type.
void CheckWholeObject(const KeyObject& object, AttestedKey& key) {
  if (!key.IsAsymmetric()) return;
  KeyAttributeOffsets at{object.offset, 0, 0};
  if (const Attribute* bits = object.Find(attr::kModulusBits)) at.modulus_bits = bits->offset;
  if (const Attribute* exponent = object.Find(attr::kPublicExponent)) at.public_exponent = exponent->offset;
  const Attribute* modulus_attr = object.Find(attr::kModulus);
  if (modulus_attr == nullptr) throw ParseError(object.offset, "OBJ_ATTR_MODULUS", "is missing for an asymmetric key");
  if (key.key_type == kKeyTypeRsa) {
    ValidateRsaModulus(key, *modulus_attr, at);
    if (!key.public_exponent) throw ParseError(object.offset, "OBJ_ATTR_PUBLIC_EXPONENT", "is missing for an RSA key");
  } else {
    ValidateEcPoint(key, *modulus_attr, at);
    if (key.public_exponent)
      throw ParseError(at.public_exponent, "OBJ_ATTR_PUBLIC_EXPONENT", "is present on an EC key");
  }
}

}  // namespace

std::string AttributeValueText(std::uint32_t type, ByteSpan raw, std::uint64_t key_type) {
  const AttributeInfo* info = FindInfo(type);
  return ValueText(info ? info->kind : Kind::kRaw, raw, key_type);
}

AttestedKey InterpretKeyObject(const KeyObject& object) {
  AttestedKey key;
  key.handle = object.handle;
  if (object.Find(attr::kClass) == nullptr) {
    throw ParseError(object.offset, "OBJ_ATTR_CLASS", "is missing from the object");
  }
  if (object.Find(attr::kKeyType) == nullptr) {
    throw ParseError(object.offset, "OBJ_ATTR_KEY_TYPE", "is missing from the object");
  }
  key.attributes.reserve(object.attributes.size());
  for (const Attribute& a : object.attributes) {
    const AttributeInfo* info = FindInfo(a.type);
    ValidateValue(a, info ? info->kind : Kind::kRaw, info ? info->name : "attribute", key);
    key.attributes.push_back(DecodedAttribute{a.type, a.value});
  }
  CheckWholeObject(object, key);
  return key;
}

}  // namespace keyattest::marvell
