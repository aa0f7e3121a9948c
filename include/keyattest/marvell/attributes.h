// Attribute table and value interpretation (docs/marvell-format.md §7, §13 "value
// errors"). Interpretation reads only the signed TLV values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keyattest/core/bytes.h"
#include "keyattest/marvell/blob.h"

namespace keyattest::marvell {

/// Attribute IDs (§7.2); numerically equal to PKCS#11 CKA_* where one exists.
namespace attr {
inline constexpr std::uint32_t kClass = 0x0000;
inline constexpr std::uint32_t kToken = 0x0001;
inline constexpr std::uint32_t kPrivate = 0x0002;
inline constexpr std::uint32_t kLabel = 0x0003;
inline constexpr std::uint32_t kTrusted = 0x0086;
inline constexpr std::uint32_t kKeyType = 0x0100;
inline constexpr std::uint32_t kId = 0x0102;
inline constexpr std::uint32_t kSensitive = 0x0103;
inline constexpr std::uint32_t kEncrypt = 0x0104;
inline constexpr std::uint32_t kDecrypt = 0x0105;
inline constexpr std::uint32_t kWrap = 0x0106;
inline constexpr std::uint32_t kUnwrap = 0x0107;
inline constexpr std::uint32_t kSign = 0x0108;
inline constexpr std::uint32_t kSignRecover = 0x0109;
inline constexpr std::uint32_t kVerify = 0x010A;
inline constexpr std::uint32_t kVerifyRecover = 0x010B;
inline constexpr std::uint32_t kDerive = 0x010C;
inline constexpr std::uint32_t kModulus = 0x0120;
inline constexpr std::uint32_t kModulusBits = 0x0121;
inline constexpr std::uint32_t kPublicExponent = 0x0122;
inline constexpr std::uint32_t kValueLen = 0x0161;
inline constexpr std::uint32_t kExtractable = 0x0162;
inline constexpr std::uint32_t kLocal = 0x0163;
inline constexpr std::uint32_t kNeverExtractable = 0x0164;
inline constexpr std::uint32_t kAlwaysSensitive = 0x0165;
inline constexpr std::uint32_t kKeyGenMechanism = 0x0166;
inline constexpr std::uint32_t kModifiable = 0x0170;
inline constexpr std::uint32_t kDestroyable = 0x0172;
inline constexpr std::uint32_t kKcv = 0x0173;
inline constexpr std::uint32_t kAlwaysAuthenticate = 0x0202;
inline constexpr std::uint32_t kWrapWithTrusted = 0x0210;
inline constexpr std::uint32_t kExtAttr1 = 0x1000;
inline constexpr std::uint32_t kEkcv = 0x1003;
inline constexpr std::uint32_t kVendorPrivateLength = 0x80000000;
inline constexpr std::uint32_t kSplittable = 0x80000002;
inline constexpr std::uint32_t kIsSplit = 0x80000003;
}  // namespace attr

/// PKCS#11 object classes (§7.3).
inline constexpr std::uint64_t kClassPublicKey = 2;
inline constexpr std::uint64_t kClassPrivateKey = 3;
inline constexpr std::uint64_t kClassSecretKey = 4;
/// PKCS#11 key types (§7.3).
inline constexpr std::uint64_t kKeyTypeRsa = 0x00;
inline constexpr std::uint64_t kKeyTypeEc = 0x03;

/// "0x00000173"
std::string FormatAttributeType(std::uint32_t type);

/// One validated attribute: its type and signed value, a view into the
/// blob the object was parsed from (valid while that blob lives). What a
/// report shows of it (name, value text, meaning) derives from these two
/// only when it is shown: AttributeName, AttributeValueText,
/// AttributeMeaning. Most reports (a batch's) never show it.
struct DecodedAttribute {
  std::uint32_t type = 0;
  ByteSpan raw;
};

/// A key object interpreted from signed bytes only, values validated.
struct AttestedKey {
  std::uint32_t handle = 0;
  std::uint64_t object_class = 0;             // CKO_*
  std::uint64_t key_type = 0;                 // CKK_*
  std::optional<std::string> id;              // OBJ_ATTR_ID, trailing NULs stripped
  std::optional<std::string> label;           // OBJ_ATTR_LABEL
  std::optional<Bytes> modulus;               // RSA n, or the EC point 04||X||Y
  std::optional<std::uint32_t> modulus_bits;  // RSA bits; EC: curve NID (§7.1)
  std::optional<Bytes> public_exponent;
  std::optional<Bytes> kcv;
  std::optional<Bytes> ekcv;
  std::vector<DecodedAttribute> attributes;  // in blob order

  /// The 0/1 value of a boolean attribute, if present.
  std::optional<bool> Flag(std::uint32_t type) const;
  const DecodedAttribute* Find(std::uint32_t type) const;
  bool IsAsymmetric() const { return key_type == kKeyTypeRsa || key_type == kKeyTypeEc; }
};

/// Interprets and validates every attribute of `object` (§7.1, §13 value
/// errors). Throws ParseError naming the attribute and its offset.
AttestedKey InterpretKeyObject(const KeyObject& object);

/// Key pair types (PKCS#11: RSA, DSA, DH, EC, X9.42 DH, KEA), which private
/// and public key objects carry.
bool IsAsymmetricKeyType(std::uint64_t key_type);
/// Secret key types (PKCS#11: GENERIC_SECRET through the HMAC types), which
/// secret key objects carry. CKK_VENDOR_DEFINED is neither.
bool IsSymmetricKeyType(std::uint64_t key_type);

std::string ObjectClassName(std::uint64_t c);
std::string KeyTypeName(std::uint64_t t);
/// Short curve name for an OpenSSL NID used as EC MODULUS_BITS, or "".
std::string CurveNameForNid(std::uint32_t nid);

/// Looks a known attribute up by name: "OBJ_ATTR_EXTRACTABLE", "EXTRACTABLE"
/// (case-insensitive), or the number of one in the table ("0x162", "354").
/// nullopt for anything else, including numbers the table does not know.
std::optional<std::uint32_t> AttributeTypeByName(std::string_view name);
/// The canonical name of a type ("OBJ_ATTR_EXTRACTABLE" or "UNKNOWN_0x...").
std::string AttributeName(std::uint32_t type);
/// Whether the attribute table knows `type`.
bool IsKnownAttribute(std::uint32_t type);
/// A short description of what the attribute means: static text of the
/// attribute table, or a fixed text for a type it does not know.
std::string_view AttributeMeaning(std::uint32_t type);
/// An attribute's value as the report shows it ("CK_FALSE",
/// "CKO_PRIVATE_KEY", "65537 (0x010001)", abbreviated hex...), for a value
/// InterpretKeyObject accepted; `key_type` is its object's CKK_* (an EC
/// key's MODULUS_BITS names its curve). A value that would not have been
/// accepted is shown as raw hex rather than misread.
std::string AttributeValueText(std::uint32_t type, ByteSpan raw, std::uint64_t key_type);

/// A required attribute value (--require ATTRIBUTE=VALUE), parsed against
/// the attribute's type before any input is read.
struct RequiredValue {
  enum class Form { kNumber, kText, kBytes };
  Form form = Form::kNumber;
  std::uint64_t number = 0;  // booleans 0/1, enums, integers
  std::string text;          // LABEL, ID
  Bytes bytes;               // byte strings (MODULUS, KCV, EKCV, raw)
};

/// Parses `text` as a value the attribute `type` can take: booleans as
/// true/false/1/0/CK_TRUE/CK_FALSE, enums by known name (CKO_PRIVATE_KEY,
/// CKK_RSA) or a number naming one, integers in the attribute's range in
/// decimal or 0x hex (never truncated), text as is, byte strings as
/// even-length hex (KCV 3 bytes, EKCV 32). nullopt, with what is accepted
/// in `accepted`, for anything else.
std::optional<RequiredValue> ParseRequiredValue(std::uint32_t type, std::string_view text, std::string* accepted);

/// Whether `attribute` has the required value.
bool AttributeValueMatches(const DecodedAttribute& attribute, const RequiredValue& expected);

/// The attributes the default (non-verbose) table shows, as the reference
/// tool does, plus SENSITIVE and the ALWAYS_SENSITIVE flag.
const std::vector<std::uint32_t>& SummaryAttributeTypes();

}  // namespace keyattest::marvell
