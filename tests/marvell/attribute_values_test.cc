// Attribute value rules (docs/marvell-format.md §7.1, §13 "value errors").
#include <gtest/gtest.h>

#include <algorithm>

#include "keyattest/marvell/attributes.h"
#include "tests/support/synthetic.h"

namespace keyattest {
namespace {

using namespace keyattest::testing;
using marvell::InterpretKeyObject;
namespace attr = marvell::attr;

marvell::KeyObject ObjectOf(const std::vector<Attribute>& attrs) {
  marvell::KeyObject o;
  o.handle = 14;
  o.offset = 20;
  std::size_t offset = 32;
  for (const auto& a : attrs) {
    o.attributes.push_back(marvell::Attribute{a.type, offset, a.value});
    offset += 8 + a.value.size();
  }
  o.attribute_count = static_cast<std::uint32_t>(attrs.size());
  return o;
}

/// The value text the report shows for an attribute of `k`.
std::string ValueOf(const marvell::AttestedKey& k, std::uint32_t type) {
  const marvell::DecodedAttribute* d = k.Find(type);
  if (d == nullptr) return "(missing)";
  return marvell::AttributeValueText(d->type, d->raw, k.key_type);
}

class AttributeValuesTest : public ::testing::Test {
 protected:
  AttributeValuesTest()
      : rsa_(LoadTestKey(TestKeyId::kSubjectRsa2048)),
        ec_(LoadTestKey(TestKeyId::kSubjectEcP256)),
        rsa_attrs_(RsaPrivateAttributes(rsa_.get(), kSyntheticId)),
        ec_attrs_(EcPrivateAttributes(ec_.get(), kSyntheticId)) {}

  std::string ErrorWith(std::vector<Attribute> attrs, std::uint32_t type, Bytes value) {
    ReplaceAttribute(attrs, type, std::move(value));
    return ErrorOf(attrs);
  }
  std::string ErrorOf(const std::vector<Attribute>& attrs) {
    try {
      InterpretKeyObject(ObjectOf(attrs));
    } catch (const ParseError& e) {
      return e.field() + ": " + std::string(e.what()).substr(std::string(e.what()).find(": ") + 2);
    }
    ADD_FAILURE() << "accepted";
    return "";
  }

  EvpPkeyPtr rsa_;
  EvpPkeyPtr ec_;
  std::vector<Attribute> rsa_attrs_;
  std::vector<Attribute> ec_attrs_;
};

TEST_F(AttributeValuesTest, RsaPrivateObjectInterprets) {
  marvell::AttestedKey k = InterpretKeyObject(ObjectOf(rsa_attrs_));
  EXPECT_EQ(k.object_class, marvell::kClassPrivateKey);
  EXPECT_EQ(k.key_type, marvell::kKeyTypeRsa);
  EXPECT_EQ(k.id, std::string(kSyntheticId));
  EXPECT_EQ(k.modulus_bits, 2048u);
  EXPECT_EQ(k.Flag(attr::kExtractable), false);
  EXPECT_EQ(k.Flag(attr::kLocal), true);
  EXPECT_EQ(ValueOf(k, attr::kPublicExponent), "65537 (0x010001)");
}

TEST_F(AttributeValuesTest, EcObjectInterpretsWithCurveName) {
  marvell::AttestedKey k = InterpretKeyObject(ObjectOf(ec_attrs_));
  EXPECT_EQ(k.key_type, marvell::kKeyTypeEc);
  EXPECT_EQ(ValueOf(k, attr::kModulusBits), "415 (curve P-256 (prime256v1))");
}

TEST_F(AttributeValuesTest, BooleanRules) {
  EXPECT_EQ(ErrorWith(rsa_attrs_, attr::kExtractable, {0, 0}), "OBJ_ATTR_EXTRACTABLE: has length 2, expected 1");
  EXPECT_EQ(ErrorWith(rsa_attrs_, attr::kExtractable, {2}), "OBJ_ATTR_EXTRACTABLE: has value 2, expected 0 or 1");
  EXPECT_EQ(ErrorWith(rsa_attrs_, attr::kSensitive, {}), "OBJ_ATTR_SENSITIVE: has length 0, expected 1");
}

TEST_F(AttributeValuesTest, TokenTwoIsKeptRaw) {
  auto attrs = rsa_attrs_;
  ReplaceAttribute(attrs, attr::kToken, {2});
  EXPECT_EQ(ValueOf(InterpretKeyObject(ObjectOf(attrs)), attr::kToken), "2 (meaning unknown)");
  EXPECT_EQ(ErrorWith(rsa_attrs_, attr::kToken, {1, 0}), "OBJ_ATTR_TOKEN: has length 2, expected 1");
}

TEST_F(AttributeValuesTest, ClassAndKeyTypeRules) {
  EXPECT_EQ(ErrorWith(rsa_attrs_, attr::kClass, {0, 3}), "OBJ_ATTR_CLASS: has length 2, expected 1, 4 or 8");
  EXPECT_EQ(ErrorWith(rsa_attrs_, attr::kClass, {9}), "OBJ_ATTR_CLASS: has unknown value 9");
  EXPECT_EQ(ErrorWith(rsa_attrs_, attr::kKeyType, {0x40}), "OBJ_ATTR_KEY_TYPE: has unknown value 64");
  auto four = rsa_attrs_;
  ReplaceAttribute(four, attr::kClass, {0, 0, 0, 3});
  EXPECT_EQ(InterpretKeyObject(ObjectOf(four)).object_class, marvell::kClassPrivateKey);
  auto missing = rsa_attrs_;
  RemoveAttribute(missing, attr::kClass);
  EXPECT_EQ(ErrorOf(missing), "OBJ_ATTR_CLASS: is missing from the object");
}

TEST_F(AttributeValuesTest, U32Rules) {
  EXPECT_EQ(ErrorWith(rsa_attrs_, attr::kValueLen, {0, 1, 0}), "OBJ_ATTR_VALUE_LEN: has length 3, expected 4");
  EXPECT_EQ(ErrorWith(rsa_attrs_, attr::kModulusBits, {8, 0}), "OBJ_ATTR_MODULUS_BITS: has length 2, expected 4");
}

TEST_F(AttributeValuesTest, RsaModulusRules) {
  Bytes n = FindAttribute(rsa_attrs_, attr::kModulus)->value;
  Bytes padded = Concat(Bytes{0}, n);
  EXPECT_EQ(ErrorWith(rsa_attrs_, attr::kModulus, padded), "OBJ_ATTR_MODULUS: has a non-minimal leading zero byte");
  EXPECT_EQ(ErrorWith(rsa_attrs_, attr::kModulus, {}), "OBJ_ATTR_MODULUS: is empty");
  EXPECT_EQ(ErrorWith(rsa_attrs_, attr::kModulusBits, U32Be(2047)),
            "OBJ_ATTR_MODULUS_BITS: is 2047 but the modulus has 2048 bits");
  ASSERT_EQ(n.size(), 256u);
  Bytes even = n;
  even[255] = static_cast<std::uint8_t>(even[255] & 0xfe);
  EXPECT_EQ(ErrorWith(rsa_attrs_, attr::kModulus, even), "OBJ_ATTR_MODULUS: is even");
  auto missing = rsa_attrs_;
  RemoveAttribute(missing, attr::kModulus);
  EXPECT_EQ(ErrorOf(missing), "OBJ_ATTR_MODULUS: is missing for an asymmetric key");
}

TEST_F(AttributeValuesTest, ExponentRules) {
  EXPECT_EQ(ErrorWith(rsa_attrs_, attr::kPublicExponent, {0x01, 0x00, 0x00}),
            "OBJ_ATTR_PUBLIC_EXPONENT: is 65536, not an odd value >= 3");
  EXPECT_EQ(ErrorWith(rsa_attrs_, attr::kPublicExponent, {0x01}),
            "OBJ_ATTR_PUBLIC_EXPONENT: is 1, not an odd value >= 3");
  EXPECT_EQ(ErrorWith(rsa_attrs_, attr::kPublicExponent, {0x00, 0x01, 0x00, 0x01}),
            "OBJ_ATTR_PUBLIC_EXPONENT: has a non-minimal leading zero byte");
  EXPECT_EQ(ErrorWith(rsa_attrs_, attr::kPublicExponent, Bytes(9, 1)),
            "OBJ_ATTR_PUBLIC_EXPONENT: has length 9, expected 1 to 8");
  auto missing = rsa_attrs_;
  RemoveAttribute(missing, attr::kPublicExponent);
  EXPECT_EQ(ErrorOf(missing), "OBJ_ATTR_PUBLIC_EXPONENT: is missing for an RSA key");
}

TEST_F(AttributeValuesTest, EcPointRules) {
  Bytes point = FindAttribute(ec_attrs_, attr::kModulus)->value;
  Bytes compressed = point;
  compressed[0] = 0x02;
  EXPECT_EQ(ErrorWith(ec_attrs_, attr::kModulus, compressed),
            "OBJ_ATTR_MODULUS: EC point is not in uncompressed form (must start with 04)");
  EXPECT_EQ(ErrorWith(ec_attrs_, attr::kModulus, Bytes(point.begin(), point.end() - 1)),
            "OBJ_ATTR_MODULUS: EC point is 64 bytes, expected 65 for P-256 (prime256v1)");
  Bytes off_curve = point;
  off_curve[64] ^= 1;
  EXPECT_EQ(ErrorWith(ec_attrs_, attr::kModulus, off_curve), "OBJ_ATTR_MODULUS: EC point is not on P-256 (prime256v1)");
  EXPECT_EQ(ErrorWith(ec_attrs_, attr::kModulusBits, U32Be(256)),
            "OBJ_ATTR_MODULUS_BITS: 256 is not the NID of a supported curve");
  auto with_e = ec_attrs_;
  AppendAttribute(with_e, attr::kPublicExponent, {1, 0, 1});
  EXPECT_EQ(ErrorOf(with_e), "OBJ_ATTR_PUBLIC_EXPONENT: is present on an EC key");
}

TEST_F(AttributeValuesTest, CheckValueLengths) {
  EXPECT_EQ(ErrorWith(rsa_attrs_, attr::kKcv, {1, 2, 3, 4}), "OBJ_ATTR_KCV: has length 4, expected 3");
  auto with_ekcv = rsa_attrs_;
  AppendAttribute(with_ekcv, attr::kEkcv, Bytes(31, 0));
  EXPECT_EQ(ErrorOf(with_ekcv), "OBJ_ATTR_EKCV: has length 31, expected 32");
}

TEST_F(AttributeValuesTest, TextRules) {
  EXPECT_EQ(ErrorWith(rsa_attrs_, attr::kLabel, Bytes(129, 'a')), "OBJ_ATTR_LABEL: has length 129, more than 128");
  Bytes gap = Text128("abc");
  gap[10] = 'x';
  EXPECT_EQ(ErrorWith(rsa_attrs_, attr::kId, gap), "OBJ_ATTR_ID: has non-NUL bytes after its terminating NUL");
  // A full 128-character ID with no NUL (as Google writes it) keeps every character.
  auto full = rsa_attrs_;
  ReplaceAttribute(full, attr::kId, Bytes(128, 'f'));
  EXPECT_EQ(InterpretKeyObject(ObjectOf(full)).id->size(), 128u);
  // Invalid UTF-8 is reported as bytes, not rejected.
  auto binary = rsa_attrs_;
  ReplaceAttribute(binary, attr::kLabel, Bytes{0xff, 0xfe, 0});
  EXPECT_EQ(ValueOf(InterpretKeyObject(ObjectOf(binary)), attr::kLabel), "(not text) 0xfffe");
}

TEST_F(AttributeValuesTest, DecodedValuesViewTheObjectsBytes) {
  const marvell::KeyObject object = ObjectOf(rsa_attrs_);
  const marvell::AttestedKey k = InterpretKeyObject(object);
  ASSERT_EQ(k.attributes.size(), object.attributes.size());
  for (std::size_t i = 0; i < k.attributes.size(); ++i) {
    EXPECT_EQ(k.attributes[i].type, object.attributes[i].type);
    // The same bytes, not a copy of them.
    EXPECT_EQ(k.attributes[i].raw.data(), object.attributes[i].value.data());
    EXPECT_EQ(k.attributes[i].raw.size(), object.attributes[i].value.size());
  }
}

TEST_F(AttributeValuesTest, UnknownAttributesAreKeptRaw) {
  auto attrs = rsa_attrs_;
  AppendAttribute(attrs, 0x7777, {0xde, 0xad});
  marvell::AttestedKey k = InterpretKeyObject(ObjectOf(attrs));
  const marvell::DecodedAttribute* d = k.Find(0x7777);
  ASSERT_NE(d, nullptr);
  EXPECT_FALSE(marvell::IsKnownAttribute(d->type));
  EXPECT_EQ(marvell::AttributeName(d->type), "UNKNOWN_0x00007777");
  EXPECT_EQ(ValueOf(k, 0x7777), "0xdead");
  EXPECT_TRUE(std::ranges::equal(d->raw, Bytes{0xde, 0xad}));
}

}  // namespace
}  // namespace keyattest
