#include "tests/support/blob_builder.h"

#include <zlib.h>

#include <openssl/core_names.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <algorithm>
#include <array>
#include <limits>
#include <stdexcept>
#include <string>

#include "tests/support/test_keys.h"

namespace keyattest::testing {
namespace {

std::uint32_t ToU32(std::size_t v, const char* what) {
  if (v > std::numeric_limits<std::uint32_t>::max()) {
    throw std::invalid_argument(std::string(what) + " does not fit in u32");
  }
  return static_cast<std::uint32_t>(v);
}

void Append(Bytes& out, ByteSpan bytes) { out.insert(out.end(), bytes.begin(), bytes.end()); }

Bytes Digest(const EVP_MD* md, ByteSpan data) {
  Bytes out(static_cast<std::size_t>(EVP_MD_get_size(md)));
  unsigned int len = 0;
  CheckOpenSsl(EVP_Digest(data.data(), data.size(), out.data(), &len, md, nullptr) == 1, "EVP_Digest");
  out.resize(len);
  return out;
}

Bytes BnParam(EVP_PKEY* key, const char* name) {
  BIGNUM* raw = nullptr;
  CheckOpenSsl(EVP_PKEY_get_bn_param(key, name, &raw) == 1, "EVP_PKEY_get_bn_param");
  BignumPtr bn(raw);
  Bytes out(static_cast<std::size_t>(BN_num_bytes(bn.get())));
  CheckOpenSsl(BN_bn2bin(bn.get(), out.data()) == static_cast<int>(out.size()), "BN_bn2bin");
  return out;  // unsigned big-endian, no leading zero (doc §7.1)
}

// The uncompressed point 04 || X || Y with X and Y left-padded to the field
// size (doc §7.1: EC MODULUS is the raw point, not CKA_EC_POINT).
Bytes EcPoint(EVP_PKEY* key) {
  const auto field_len = static_cast<std::size_t>((EVP_PKEY_get_bits(key) + 7) / 8);
  Bytes point = {0x04};
  for (const char* name : {OSSL_PKEY_PARAM_EC_PUB_X, OSSL_PKEY_PARAM_EC_PUB_Y}) {
    const Bytes coordinate = BnParam(key, name);
    point.resize(point.size() + field_len - coordinate.size(), 0);
    Append(point, coordinate);
  }
  return point;
}

// EC MODULUS_BITS carries the OpenSSL curve NID (415 for P-256; doc §7.1).
std::uint32_t CurveNid(EVP_PKEY* key) {
  std::array<char, 64> group{};
  CheckOpenSsl(
      EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group.data(), group.size(), nullptr) == 1,
      "EVP_PKEY_get_utf8_string_param");
  const int nid = OBJ_sn2nid(group.data());
  CheckOpenSsl(nid != NID_undef, "OBJ_sn2nid");
  return static_cast<std::uint32_t>(nid);
}

// Real private objects carry VALUE_LEN = PKCS#8 DER length (1217 for RSA-2048,
// 2376 for RSA-4096, 138 for P-256) [INFERRED from the recordings].
std::uint32_t Pkcs8Length(EVP_PKEY* key) {
  BioPtr bio(CheckNotNull(BIO_new(BIO_s_mem()), "BIO_new"));
  CheckOpenSsl(i2d_PKCS8PrivateKey_bio(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) == 1,
               "i2d_PKCS8PrivateKey_bio");
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  CheckOpenSsl(len > 0, "BIO_get_mem_data");
  return static_cast<std::uint32_t>(len);
}

Bytes Bool(bool v) { return Bytes{static_cast<std::uint8_t>(v ? 1 : 0)}; }

// What differs between the Azure object kinds; everything else is shared.
struct ObjectShape {
  std::uint8_t object_class = 0;
  std::uint8_t key_type = 0;
  std::array<bool, 6> usage = {};  // ENCRYPT, DECRYPT, WRAP, UNWRAP, SIGN, VERIFY
  bool is_secret = false;          // private/secret half: the doc §8.3 "non-exportable" flags
  std::uint32_t value_len = 0;
  Bytes kcv = {};
  std::vector<Attribute> key_material = {};  // between KCV and TRUSTED
  std::uint32_t keygen_mechanism = 0;        // 0x166 (a CKM_* value [INFERRED])
  bool always_authenticate = false;          // 0x202: private asymmetric objects only
  std::optional<Bytes> vendor_80000005 = std::nullopt;
  bool derive = false;
};

// The attribute order of the Azure recordings (doc §3.2: fixed firmware order).
std::vector<Attribute> BuildObject(const ObjectShape& s, std::string_view id, std::string_view label) {
  const bool secret = s.is_secret;
  std::vector<Attribute> a = {
      {kAttrClass, {s.object_class}},
      {kAttrKeyType, {s.key_type}},
      {kAttrToken, Bool(true)},
      {kAttrPrivate, Bool(true)},
      {kAttrEncrypt, Bool(s.usage[0])},
      {kAttrDecrypt, Bool(s.usage[1])},
      {kAttrWrap, Bool(s.usage[2])},
      {kAttrUnwrap, Bool(s.usage[3])},
      {kAttrSign, Bool(s.usage[4])},
      {kAttrVerify, Bool(s.usage[5])},
      {kAttrLocal, Bool(true)},
      {kAttrSensitive, Bool(secret)},
      {kAttrExtractable, Bool(!secret)},
      {kAttrLabel, Text128(label)},
      {kAttrId, Text128(id)},
      {0xF000000D, Bool(secret)},
      {0xF000000F, Bool(secret)},
      {kAttrValueLen, U32Be(s.value_len)},
      {kAttrKcv, s.kcv},
  };
  a.insert(a.end(), s.key_material.begin(), s.key_material.end());
  a.push_back({kAttrTrusted, Bool(false)});
  a.push_back({kAttrWrapWithTrusted, Bool(false)});
  a.push_back({kAttrModifiable, Bool(true)});
  a.push_back({kAttrKeyGenMechanism, U32Be(s.keygen_mechanism)});
  a.push_back({0x80000002, Bool(false)});  // SPLITTABLE
  a.push_back({0x80000003, Bool(false)});  // IS_SPLIT
  if (s.always_authenticate) a.push_back({kAttrAlwaysAuthenticate, Bool(false)});
  a.push_back({0x80000004, Bool(true)});
  if (s.vendor_80000005) a.push_back({0x80000005, *s.vendor_80000005});
  a.push_back({kAttrExt1, Bytes(8, 0)});
  a.push_back({kAttrSignRecover, Bool(false)});
  a.push_back({kAttrVerifyRecover, Bool(false)});
  a.push_back({0x100001F5, Bytes{0}});
  for (std::uint32_t type : {0x301u, 0x300u, 0x302u, 0x303u, 0x308u, 0x304u}) {
    a.push_back({type, U32Be(0xFFFFFFFF)});
  }
  a.push_back({kAttrDerive, Bool(s.derive)});
  a.push_back({kAttrAlwaysSensitive, Bool(secret)});
  a.push_back({kAttrNeverExtractable, Bool(secret)});
  a.push_back({kAttrDestroyable, Bool(true)});
  return a;
}

std::vector<Attribute> RsaMaterial(EVP_PKEY* rsa, bool with_private_len) {
  const Bytes n = BnParam(rsa, OSSL_PKEY_PARAM_RSA_N);
  std::vector<Attribute> m = {
      {kAttrModulus, n},
      {kAttrModulusBits, U32Be(static_cast<std::uint32_t>(EVP_PKEY_get_bits(rsa)))},
      {kAttrPublicExponent, BnParam(rsa, OSSL_PKEY_PARAM_RSA_E)},
  };
  // 0x80000000 = 2.5 x modulus bytes on real private objects (doc §7.2).
  if (with_private_len) m.push_back({kAttrVendorPrivLen, U32Be(ToU32(n.size() * 5 / 2, "len"))});
  return m;
}

std::vector<Attribute> EcMaterial(EVP_PKEY* ec) {
  return {{kAttrModulus, EcPoint(ec)}, {kAttrModulusBits, U32Be(CurveNid(ec))}};
}

EvpPkeyCtxPtr NewCtx(EVP_PKEY* key) {
  return EvpPkeyCtxPtr(CheckNotNull(EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr), "EVP_PKEY_CTX_new"));
}

Bytes RsaPrivateOp(EVP_PKEY* key, int padding, ByteSpan input) {
  EvpPkeyCtxPtr ctx = NewCtx(key);
  CheckOpenSsl(EVP_PKEY_sign_init(ctx.get()) == 1, "EVP_PKEY_sign_init");
  CheckOpenSsl(EVP_PKEY_CTX_set_rsa_padding(ctx.get(), padding) == 1, "EVP_PKEY_CTX_set_rsa_padding");
  // No signature md: OpenSSL pads `input` itself (type 1) or not at all.
  std::size_t len = 0;
  CheckOpenSsl(EVP_PKEY_sign(ctx.get(), nullptr, &len, input.data(), input.size()) == 1, "EVP_PKEY_sign");
  Bytes sig(len);
  CheckOpenSsl(EVP_PKEY_sign(ctx.get(), sig.data(), &len, input.data(), input.size()) == 1, "EVP_PKEY_sign");
  sig.resize(len);
  return sig;
}

Bytes ObjectBytes(const KeyObjectSpec& object) {
  const Bytes tlvs = EncodeTlvs(object.attributes);
  Bytes out = U32Be(object.handle);
  Append(out, U32Be(object.count_override.value_or(ToU32(object.attributes.size(), "count"))));
  Append(out, U32Be(object.size_override.value_or(ToU32(tlvs.size(), "size"))));
  Append(out, tlvs);
  return out;
}

}  // namespace

Bytes U16Be(std::uint16_t v) { return {static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)}; }

Bytes U32Be(std::uint32_t v) {
  return {static_cast<std::uint8_t>(v >> 24), static_cast<std::uint8_t>(v >> 16), static_cast<std::uint8_t>(v >> 8),
          static_cast<std::uint8_t>(v)};
}

Bytes U64Be(std::uint64_t v) {
  Bytes out = U32Be(static_cast<std::uint32_t>(v >> 32));
  Append(out, U32Be(static_cast<std::uint32_t>(v)));
  return out;
}

Bytes Text128(std::string_view text) {
  if (text.size() > 128) throw std::invalid_argument("Text128: text longer than 128 bytes");
  Bytes out(text.begin(), text.end());
  out.resize(128, 0);
  return out;
}

Bytes Concat(ByteSpan a, ByteSpan b) {
  Bytes out(a.begin(), a.end());
  Append(out, b);
  return out;
}

Bytes FlipBit(Bytes b, std::size_t byte_index, int bit) {
  if (bit < 0 || bit > 7) throw std::invalid_argument("FlipBit: bit must be 0..7");
  b.at(byte_index) = static_cast<std::uint8_t>(b.at(byte_index) ^ (1u << bit));
  return b;
}

Bytes Kcv(EVP_PKEY* key) {
  Bytes sha1 = Digest(EVP_sha1(), SpkiDer(key));
  sha1.resize(3);
  return sha1;
}

Bytes Ekcv(EVP_PKEY* key) { return Digest(EVP_sha256(), SpkiDer(key)); }

Bytes EncodeTlvs(const std::vector<Attribute>& attributes) {
  Bytes out;
  for (const Attribute& attr : attributes) {
    Append(out, U32Be(attr.type));
    Append(out, U32Be(ToU32(attr.value.size(), "attribute length")));
    Append(out, attr.value);  // no padding between TLVs (doc §3.2)
  }
  return out;
}

std::vector<Attribute> RsaPrivateAttributes(EVP_PKEY* rsa, std::string_view id, std::string_view label) {
  return BuildObject({.object_class = kClassPrivateKey,
                      .key_type = kKeyTypeRsa,
                      .usage = {false, true, false, true, true, false},
                      .is_secret = true,
                      .value_len = Pkcs8Length(rsa),
                      .kcv = Kcv(rsa),
                      .key_material = RsaMaterial(rsa, /*with_private_len=*/true),
                      .keygen_mechanism = 0x0A,  // CKM_RSA_X9_31_KEY_PAIR_GEN
                      .always_authenticate = true},
                     id, label);
}

std::vector<Attribute> RsaPublicAttributes(EVP_PKEY* rsa, std::string_view id, std::string_view label) {
  // Public VALUE_LEN was 512 for RSA-2048, i.e. 2 x modulus bytes [INFERRED].
  return BuildObject({.object_class = kClassPublicKey,
                      .key_type = kKeyTypeRsa,
                      .usage = {true, false, true, false, false, true},
                      .value_len = ToU32(2 * SignatureSize(rsa), "value_len"),
                      .kcv = Kcv(rsa),
                      .key_material = RsaMaterial(rsa, /*with_private_len=*/false),
                      .keygen_mechanism = 0x0A},
                     id, label);
}

std::vector<Attribute> EcPrivateAttributes(EVP_PKEY* ec, std::string_view id, std::string_view label) {
  return BuildObject({.object_class = kClassPrivateKey,
                      .key_type = kKeyTypeEc,
                      .usage = {false, false, false, false, true, false},
                      .is_secret = true,
                      .value_len = Pkcs8Length(ec),
                      .kcv = Kcv(ec),
                      .key_material = EcMaterial(ec),
                      .keygen_mechanism = 0x1040,  // CKM_EC_KEY_PAIR_GEN
                      .always_authenticate = true},
                     id, label);
}

std::vector<Attribute> EcPublicAttributes(EVP_PKEY* ec, std::string_view id, std::string_view label) {
  std::vector<Attribute> material = EcMaterial(ec);
  const std::uint32_t point_len = ToU32(material.front().value.size(), "point");
  return BuildObject({.object_class = kClassPublicKey,
                      .key_type = kKeyTypeEc,
                      .usage = {false, false, false, false, false, true},
                      .value_len = point_len,  // 65 for P-256, as recorded
                      .kcv = Kcv(ec),
                      .key_material = std::move(material),
                      .keygen_mechanism = 0x1040},
                     id, label);
}

std::vector<Attribute> AesSecretAttributes(std::string_view id, std::string_view label) {
  // Symmetric KCV is an encryption of a zero block (doc §8.2); any fixed
  // 3 bytes will do here because nothing can be bound to it.
  return BuildObject({.object_class = kClassSecretKey,
                      .key_type = kKeyTypeAes,
                      .usage = {true, true, true, true, true, true},
                      .is_secret = true,
                      .value_len = 32,
                      .kcv = Bytes{0xA5, 0x5A, 0x01},
                      .keygen_mechanism = 0x1080,  // CKM_AES_KEY_GEN
                      .vendor_80000005 = Bytes{0x00, 0x11, 0x22},
                      .derive = true},
                     id, label);
}

const Attribute* FindAttribute(const std::vector<Attribute>& attributes, std::uint32_t type) {
  auto it = std::find_if(attributes.begin(), attributes.end(), [type](const Attribute& a) { return a.type == type; });
  return it == attributes.end() ? nullptr : &*it;
}

void ReplaceAttribute(std::vector<Attribute>& attributes, std::uint32_t type, Bytes value) {
  bool found = false;
  for (Attribute& attr : attributes) {
    if (attr.type != type) continue;
    attr.value = value;
    found = true;
  }
  if (!found) throw std::invalid_argument("ReplaceAttribute: type " + std::to_string(type));
}

std::size_t RemoveAttribute(std::vector<Attribute>& attributes, std::uint32_t type) {
  return static_cast<std::size_t>(std::erase_if(attributes, [type](const Attribute& a) { return a.type == type; }));
}

void AppendAttribute(std::vector<Attribute>& attributes, std::uint32_t type, Bytes value) {
  attributes.push_back({type, std::move(value)});
}

std::size_t SignatureSize(EVP_PKEY* key) {
  const int size = EVP_PKEY_get_size(key);
  CheckOpenSsl(size > 0, "EVP_PKEY_get_size");
  return static_cast<std::size_t>(size);
}

Bytes SignLayoutBScheme(EVP_PKEY* rsa_key, ByteSpan data) {
  // RSA_PKCS1_PADDING without a signature md gives 00 01 FF.. 00 || tbs,
  // with tbs the bare hash: exactly the Cfm2Util scheme (doc §9.2).
  return RsaPrivateOp(rsa_key, RSA_PKCS1_PADDING, Digest(EVP_sha256(), data));
}

Bytes DigestSignSha256(EVP_PKEY* key, ByteSpan data) {
  EvpMdCtxPtr ctx(CheckNotNull(EVP_MD_CTX_new(), "EVP_MD_CTX_new"));
  CheckOpenSsl(EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) == 1, "EVP_DigestSignInit");
  std::size_t len = 0;
  CheckOpenSsl(EVP_DigestSign(ctx.get(), nullptr, &len, data.data(), data.size()) == 1, "EVP_DigestSign");
  Bytes sig(len);
  CheckOpenSsl(EVP_DigestSign(ctx.get(), sig.data(), &len, data.data(), data.size()) == 1, "EVP_DigestSign");
  sig.resize(len);
  return sig;
}

Bytes RsaPrivateRaw(EVP_PKEY* rsa_key, ByteSpan em) { return RsaPrivateOp(rsa_key, RSA_NO_PADDING, em); }

Bytes RsaPublicRaw(EVP_PKEY* rsa_key, ByteSpan signature) {
  EvpPkeyCtxPtr ctx = NewCtx(rsa_key);
  CheckOpenSsl(EVP_PKEY_verify_recover_init(ctx.get()) == 1, "EVP_PKEY_verify_recover_init");
  CheckOpenSsl(EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_NO_PADDING) == 1, "EVP_PKEY_CTX_set_rsa_padding");
  std::size_t len = 0;
  CheckOpenSsl(EVP_PKEY_verify_recover(ctx.get(), nullptr, &len, signature.data(), signature.size()) == 1,
               "EVP_PKEY_verify_recover");
  Bytes em(len);
  CheckOpenSsl(EVP_PKEY_verify_recover(ctx.get(), em.data(), &len, signature.data(), signature.size()) == 1,
               "EVP_PKEY_verify_recover");
  em.resize(len);
  return em;
}

Bytes Pkcs1Type1Encode(std::size_t k, ByteSpan payload) {
  if (payload.size() + 11 > k) throw std::invalid_argument("Pkcs1Type1Encode: k too small");
  Bytes em = {0x00, 0x01};
  em.resize(k - payload.size() - 1, 0xFF);
  em.push_back(0x00);
  Append(em, payload);
  return em;
}

// ---- LayoutBBuilder ----------------------------------------------------------

LayoutBBuilder::LayoutBBuilder(KeyObjectSpec object) : object_(std::move(object)) {}

LayoutBBuilder& LayoutBBuilder::SetPrefix(Bytes prefix) {
  prefix_ = std::move(prefix);
  return *this;
}
LayoutBBuilder& LayoutBBuilder::SetObjectLengthField(std::uint32_t value) {
  object_length_ = value;
  return *this;
}
LayoutBBuilder& LayoutBBuilder::SetCount(std::uint32_t count) {
  object_.count_override = count;
  return *this;
}
LayoutBBuilder& LayoutBBuilder::SetSize(std::uint32_t size) {
  object_.size_override = size;
  return *this;
}
LayoutBBuilder& LayoutBBuilder::SetSlack(std::size_t slack) {
  slack_ = slack;
  return *this;
}
LayoutBBuilder& LayoutBBuilder::SetTrailingZeros(std::size_t zeros) {
  trailing_zeros_ = zeros;
  return *this;
}
LayoutBBuilder& LayoutBBuilder::SetFillByte(std::size_t index, std::uint8_t value) {
  fill_bytes_.emplace_back(index, value);
  return *this;
}

Bytes LayoutBBuilder::Unsigned() const {
  // Declared size defaults to TLV bytes + slack (doc §4: real sizes exceed the
  // TLVs); the object-length field defaults to 12 + declared size.
  const std::size_t tlv_len = EncodeTlvs(object_.attributes).size();
  KeyObjectSpec object = object_;
  object.size_override = object_.size_override.value_or(ToU32(tlv_len + slack_, "size"));
  Bytes out = prefix_;
  Append(out, U32Be(object_length_.value_or(ToU32(12 + *object.size_override, "length"))));
  Append(out, ObjectBytes(object));
  const std::size_t fill_start = out.size();
  const std::size_t fill_len = slack_ + trailing_zeros_;
  out.resize(fill_start + fill_len, 0);
  for (const auto& [index, value] : fill_bytes_) {
    if (index >= fill_len) throw std::out_of_range("SetFillByte: index past the zero fill");
    out[fill_start + index] = value;
  }
  return out;
}

Bytes LayoutBBuilder::Sign(EVP_PKEY* partition_key) const {
  const Bytes data = Unsigned();
  return Concat(data, SignLayoutBScheme(partition_key, data));
}

// ---- LayoutABuilder ----------------------------------------------------------

LayoutABuilder::LayoutABuilder(std::vector<KeyObjectSpec> objects) : objects_(std::move(objects)) {
  if (objects_.empty() || objects_.size() > 2) {
    throw std::invalid_argument("LayoutABuilder: the info header has room for 1 or 2 objects");
  }
}

LayoutABuilder& LayoutABuilder::SetResponseCode(std::uint32_t value) {
  response_code_ = value;
  return *this;
}
LayoutABuilder& LayoutABuilder::SetFlags(std::uint32_t value) {
  flags_ = value;
  return *this;
}
LayoutABuilder& LayoutABuilder::SetTotalSize(std::uint32_t value) {
  total_size_ = value;
  return *this;
}
LayoutABuilder& LayoutABuilder::SetBufferSize(std::uint32_t value) {
  buffer_size_ = value;
  return *this;
}
LayoutABuilder& LayoutABuilder::SetHandles(std::vector<std::uint64_t> handles) {
  handles_ = std::move(handles);
  return *this;
}
LayoutABuilder& LayoutABuilder::SetInfoVersion(std::uint16_t value) {
  info_version_ = value;
  return *this;
}
LayoutABuilder& LayoutABuilder::SetInfoFlags(std::uint16_t value) {
  info_flags_ = value;
  return *this;
}
LayoutABuilder& LayoutABuilder::SetOffset1(std::uint16_t value) {
  off1_ = value;
  return *this;
}
LayoutABuilder& LayoutABuilder::SetOffset2(std::uint16_t value) {
  off2_ = value;
  return *this;
}
LayoutABuilder& LayoutABuilder::SetObjectCount(std::size_t object_index, std::uint32_t count) {
  objects_.at(object_index).count_override = count;
  return *this;
}
LayoutABuilder& LayoutABuilder::SetObjectSize(std::size_t object_index, std::uint32_t size) {
  objects_.at(object_index).size_override = size;
  return *this;
}

Bytes LayoutABuilder::Unsigned(std::size_t k) const {
  std::vector<std::uint64_t> handles;
  for (const KeyObjectSpec& object : objects_) handles.push_back(object.handle);
  if (handles_) handles = *handles_;

  // Attribute buffer = info header + objects; it ends where the signature
  // starts (doc §3). Offsets are relative to the info header.
  Bytes objects;
  std::vector<std::size_t> starts;
  for (const KeyObjectSpec& object : objects_) {
    starts.push_back(8 + objects.size());
    Append(objects, ObjectBytes(object));
  }
  const std::size_t buffer_len = 8 + objects.size();
  const std::size_t total = 16 + 8 * handles.size() + buffer_len + k;
  auto u16 = [](std::size_t v) {
    if (v > 0xFFFF) throw std::invalid_argument("layout A offset does not fit in u16");
    return static_cast<std::uint16_t>(v);
  };

  Bytes out = U32Be(response_code_);
  Append(out, U32Be(flags_));
  Append(out, U32Be(total_size_.value_or(ToU32(total, "total size"))));
  Append(out, U32Be(buffer_size_.value_or(ToU32(buffer_len, "buffer size"))));
  for (std::uint64_t handle : handles) Append(out, U64Be(handle));
  Append(out, U16Be(info_version_));
  Append(out, U16Be(info_flags_));
  Append(out, U16Be(off1_.value_or(u16(starts[0]))));
  Append(out, U16Be(off2_.value_or(starts.size() > 1 ? u16(starts[1]) : 0)));
  Append(out, objects);
  return out;
}

Bytes LayoutABuilder::Sign(EVP_PKEY* partition_key) const {
  const Bytes data = Unsigned(SignatureSize(partition_key));
  return Concat(data, DigestSignSha256(partition_key, data));
}

Bytes Gzip(ByteSpan data) {
  z_stream z{};
  // 15 + 16: a gzip wrapper around a deflate stream with a 32 KiB window.
  if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("deflateInit2 failed");
  }
  Bytes out(deflateBound(&z, static_cast<uLong>(data.size())) + 32);
  z.next_in = const_cast<Bytef*>(data.data());
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = out.data();
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (rc != Z_STREAM_END) throw std::runtime_error("deflate failed");
  return out;
}

}  // namespace keyattest::testing
