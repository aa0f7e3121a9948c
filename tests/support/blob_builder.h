// Byte-exact builders for the two Marvell attestation blob layouts (doc §3,
// §4), the attribute sets of real Azure objects (doc §7, §8.1), and the two
// signature schemes (doc §9.2). Independent of the library's parser.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "keyattest/core/bytes.h"
#include "keyattest/crypto/openssl_ptr.h"

namespace keyattest::testing {

// Attribute IDs used by the builders (doc §7.2).
inline constexpr std::uint32_t kAttrClass = 0x0000;
inline constexpr std::uint32_t kAttrToken = 0x0001;
inline constexpr std::uint32_t kAttrPrivate = 0x0002;
inline constexpr std::uint32_t kAttrLabel = 0x0003;
inline constexpr std::uint32_t kAttrTrusted = 0x0086;
inline constexpr std::uint32_t kAttrKeyType = 0x0100;
inline constexpr std::uint32_t kAttrId = 0x0102;
inline constexpr std::uint32_t kAttrSensitive = 0x0103;
inline constexpr std::uint32_t kAttrEncrypt = 0x0104;
inline constexpr std::uint32_t kAttrDecrypt = 0x0105;
inline constexpr std::uint32_t kAttrWrap = 0x0106;
inline constexpr std::uint32_t kAttrUnwrap = 0x0107;
inline constexpr std::uint32_t kAttrSign = 0x0108;
inline constexpr std::uint32_t kAttrSignRecover = 0x0109;
inline constexpr std::uint32_t kAttrVerify = 0x010A;
inline constexpr std::uint32_t kAttrVerifyRecover = 0x010B;
inline constexpr std::uint32_t kAttrDerive = 0x010C;
inline constexpr std::uint32_t kAttrModulus = 0x0120;
inline constexpr std::uint32_t kAttrModulusBits = 0x0121;
inline constexpr std::uint32_t kAttrPublicExponent = 0x0122;
inline constexpr std::uint32_t kAttrValueLen = 0x0161;
inline constexpr std::uint32_t kAttrExtractable = 0x0162;
inline constexpr std::uint32_t kAttrLocal = 0x0163;
inline constexpr std::uint32_t kAttrNeverExtractable = 0x0164;
inline constexpr std::uint32_t kAttrAlwaysSensitive = 0x0165;
inline constexpr std::uint32_t kAttrKeyGenMechanism = 0x0166;
inline constexpr std::uint32_t kAttrModifiable = 0x0170;
inline constexpr std::uint32_t kAttrDestroyable = 0x0172;
inline constexpr std::uint32_t kAttrKcv = 0x0173;
inline constexpr std::uint32_t kAttrAlwaysAuthenticate = 0x0202;
inline constexpr std::uint32_t kAttrWrapWithTrusted = 0x0210;
inline constexpr std::uint32_t kAttrExt1 = 0x1000;
inline constexpr std::uint32_t kAttrEkcv = 0x1003;
inline constexpr std::uint32_t kAttrVendorPrivLen = 0x80000000;

inline constexpr std::uint8_t kClassPublicKey = 2;
inline constexpr std::uint8_t kClassPrivateKey = 3;
inline constexpr std::uint8_t kClassSecretKey = 4;
inline constexpr std::uint8_t kKeyTypeRsa = 0x00;
inline constexpr std::uint8_t kKeyTypeEc = 0x03;
inline constexpr std::uint8_t kKeyTypeAes = 0x1F;

struct Attribute {
  std::uint32_t type;
  Bytes value;
};

/// One object: a 12-byte header (handle, count, size) followed by TLVs
/// (doc §3.2). The overrides replace the computed header fields only.
struct KeyObjectSpec {
  std::uint32_t handle = 0;
  std::vector<Attribute> attributes;
  std::optional<std::uint32_t> count_override;
  std::optional<std::uint32_t> size_override;
};

// ---- Encodings -------------------------------------------------------------

Bytes U16Be(std::uint16_t v);
Bytes U32Be(std::uint32_t v);
Bytes U64Be(std::uint64_t v);
/// A 128-byte LABEL/ID field, NUL-padded (doc §7.1). Exactly 128 characters
/// give a field with no NUL, as in Google's IDs. Longer text throws.
Bytes Text128(std::string_view text);
Bytes Concat(ByteSpan a, ByteSpan b);
/// Returns `b` with bit `bit` (0 = least significant) of byte `byte_index`
/// flipped. Throws std::out_of_range when the index is past the end.
/// One gzip member around `data` (zlib, best compression): blobs as Google
/// delivers them (docs/marvell-format.md §2.1).
Bytes Gzip(ByteSpan data);

Bytes FlipBit(Bytes b, std::size_t byte_index, int bit);

/// SHA-1(DER SPKI)[0..3) and SHA-256(DER SPKI) (doc §7.1).
Bytes Kcv(EVP_PKEY* key);
Bytes Ekcv(EVP_PKEY* key);
/// Serialised TLV bytes of `attributes` (u32 type, u32 length, value).
Bytes EncodeTlvs(const std::vector<Attribute>& attributes);

// ---- Attribute sets mirroring real Azure objects (doc §7.2, §8.1) -----------
// Same IDs, order and value lengths as the Azure recordings. VALUE_LEN of a
// private object is the key's PKCS#8 DER length (which matches the real
// values), so the *Private* helpers need a key holding its private half.

std::vector<Attribute> RsaPrivateAttributes(EVP_PKEY* rsa, std::string_view id,
                                            std::string_view label = "customer_key");
std::vector<Attribute> RsaPublicAttributes(EVP_PKEY* rsa, std::string_view id, std::string_view label = "customer_key");
std::vector<Attribute> EcPrivateAttributes(EVP_PKEY* ec, std::string_view id, std::string_view label = "customer_key");
std::vector<Attribute> EcPublicAttributes(EVP_PKEY* ec, std::string_view id, std::string_view label = "customer_key");
std::vector<Attribute> AesSecretAttributes(std::string_view id, std::string_view label = "customer_key");

/// Null when absent; the first match otherwise.
const Attribute* FindAttribute(const std::vector<Attribute>& attributes, std::uint32_t type);
/// Replaces the value of every attribute of `type`; throws
/// std::invalid_argument when there is none.
void ReplaceAttribute(std::vector<Attribute>& attributes, std::uint32_t type, Bytes value);
/// Removes every attribute of `type`; returns how many were removed.
std::size_t RemoveAttribute(std::vector<Attribute>& attributes, std::uint32_t type);
/// Appends, even if `type` is already present (for duplicate-tag tests).
void AppendAttribute(std::vector<Attribute>& attributes, std::uint32_t type, Bytes value);

// ---- Signature schemes (doc §9.2) ------------------------------------------

/// Layout B: RSA over EM = 00 01 FF..FF 00 || SHA-256(data), no DigestInfo.
Bytes SignLayoutBScheme(EVP_PKEY* rsa_key, ByteSpan data);
/// Layout A: EVP_DigestSign with SHA-256 (RSASSA-PKCS1-v1_5 for RSA keys,
/// DER ECDSA for EC keys).
Bytes DigestSignSha256(EVP_PKEY* key, ByteSpan data);
/// s = em^d mod n with no padding; `em` must be exactly k bytes and < n.
/// For hand-made encodings (wrong padding, DigestInfo in layout B, ...).
Bytes RsaPrivateRaw(EVP_PKEY* rsa_key, ByteSpan em);
/// em = s^e mod n as k bytes (RSA_NO_PADDING public operation).
Bytes RsaPublicRaw(EVP_PKEY* rsa_key, ByteSpan signature);
/// 00 01 FF..FF 00 || payload, k bytes in total.
Bytes Pkcs1Type1Encode(std::size_t k, ByteSpan payload);
/// Signature length k of `key` (EVP_PKEY_get_size).
std::size_t SignatureSize(EVP_PKEY* key);

// ---- Layout B: Azure / FW 2.x (doc §4) -------------------------------------
//   [0,16) zero prefix | u32 object length (= 12 + size) | object header
//   (handle, count, size) | TLVs | zero fill | signature (k bytes)
// By default the declared size is TLV bytes + 16 (real slack) and 264 zero
// bytes follow 32 + size, as in every real blob. Overriding size or the
// object-length field changes only those fields, never the physical layout.
class LayoutBBuilder {
 public:
  explicit LayoutBBuilder(KeyObjectSpec object);

  LayoutBBuilder& SetPrefix(Bytes prefix);  // any length; default 16 zeros
  LayoutBBuilder& SetObjectLengthField(std::uint32_t value);
  LayoutBBuilder& SetCount(std::uint32_t count);
  LayoutBBuilder& SetSize(std::uint32_t size);
  LayoutBBuilder& SetSlack(std::size_t slack);          // zeros inside the object
  LayoutBBuilder& SetTrailingZeros(std::size_t zeros);  // zeros after 32 + size
  /// Puts `value` at `index` of the zero fill, counted from the TLV end.
  LayoutBBuilder& SetFillByte(std::size_t index, std::uint8_t value);

  /// Every byte before the signature.
  Bytes Unsigned() const;
  /// Unsigned() || SignLayoutBScheme(partition_key, Unsigned()).
  Bytes Sign(EVP_PKEY* partition_key) const;

  const KeyObjectSpec& object() const { return object_; }

 private:
  KeyObjectSpec object_;
  Bytes prefix_ = Bytes(16, 0);
  std::optional<std::uint32_t> object_length_;
  std::size_t slack_ = 16;
  std::size_t trailing_zeros_ = 264;
  std::vector<std::pair<std::size_t, std::uint8_t>> fill_bytes_;
};

// ---- Layout A: Google / FW 3.x (doc §3) ------------------------------------
//   u32 response code | u32 flags | u32 total (= L) | u32 bufsize |
//   u64 handle per object | info header at S: u16 version, u16 flags,
//   u16 off1, u16 off2 (relative to S) | objects | signature (k bytes)
// One object, or a key pair (object 1 public class 2, object 2 private class 3).
// Header overrides change only the fields; objects stay contiguous.
class LayoutABuilder {
 public:
  explicit LayoutABuilder(std::vector<KeyObjectSpec> objects);  // 1 or 2 objects

  LayoutABuilder& SetResponseCode(std::uint32_t value);
  LayoutABuilder& SetFlags(std::uint32_t value);
  LayoutABuilder& SetTotalSize(std::uint32_t value);
  LayoutABuilder& SetBufferSize(std::uint32_t value);
  LayoutABuilder& SetHandles(std::vector<std::uint64_t> handles);  // any number
  LayoutABuilder& SetInfoVersion(std::uint16_t value);
  LayoutABuilder& SetInfoFlags(std::uint16_t value);
  LayoutABuilder& SetOffset1(std::uint16_t value);
  LayoutABuilder& SetOffset2(std::uint16_t value);
  LayoutABuilder& SetObjectCount(std::size_t object_index, std::uint32_t count);
  LayoutABuilder& SetObjectSize(std::size_t object_index, std::uint32_t size);

  /// Every byte before the signature, for a signature of `k` bytes (the
  /// total-size field covers the signature).
  Bytes Unsigned(std::size_t k) const;
  /// Unsigned(k) || DigestSignSha256(key, Unsigned(k)), k = SignatureSize(key).
  Bytes Sign(EVP_PKEY* partition_key) const;

  const std::vector<KeyObjectSpec>& objects() const { return objects_; }

 private:
  std::vector<KeyObjectSpec> objects_;
  std::uint32_t response_code_ = 0;
  std::uint32_t flags_ = 3;  // GET_ATTR | GET_ATTEST
  std::optional<std::uint32_t> total_size_;
  std::optional<std::uint32_t> buffer_size_;
  std::optional<std::vector<std::uint64_t>> handles_;
  std::uint16_t info_version_ = 1;
  std::uint16_t info_flags_ = 3;
  std::optional<std::uint16_t> off1_;
  std::optional<std::uint16_t> off2_;
};

}  // namespace keyattest::testing
