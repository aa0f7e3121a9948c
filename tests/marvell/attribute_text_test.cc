// What a report shows of an attribute, derived from its type and signed
// bytes when the report is rendered (docs/marvell-format.md §7.2).
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "keyattest/key_attestation/facts.h"
#include "keyattest/marvell/attributes.h"

namespace keyattest {
namespace {

namespace attr = marvell::attr;
using marvell::AttributeMeaning;
using marvell::AttributeName;
using marvell::AttributeValueText;
using marvell::IsKnownAttribute;

struct Named {
  std::uint32_t type;
  const char* name;
};

// Every row of the attribute table, by the name the report shows.
constexpr Named kEveryKnownType[] = {
    {0x00000000, "OBJ_ATTR_CLASS"},
    {0x00000001, "OBJ_ATTR_TOKEN"},
    {0x00000002, "OBJ_ATTR_PRIVATE"},
    {0x00000003, "OBJ_ATTR_LABEL"},
    {0x00000086, "OBJ_ATTR_TRUSTED"},
    {0x00000100, "OBJ_ATTR_KEY_TYPE"},
    {0x00000102, "OBJ_ATTR_ID"},
    {0x00000103, "OBJ_ATTR_SENSITIVE"},
    {0x00000104, "OBJ_ATTR_ENCRYPT"},
    {0x00000105, "OBJ_ATTR_DECRYPT"},
    {0x00000106, "OBJ_ATTR_WRAP"},
    {0x00000107, "OBJ_ATTR_UNWRAP"},
    {0x00000108, "OBJ_ATTR_SIGN"},
    {0x00000109, "OBJ_ATTR_SIGN_RECOVER"},
    {0x0000010A, "OBJ_ATTR_VERIFY"},
    {0x0000010B, "OBJ_ATTR_VERIFY_RECOVER"},
    {0x0000010C, "OBJ_ATTR_DERIVE"},
    {0x00000120, "OBJ_ATTR_MODULUS"},
    {0x00000121, "OBJ_ATTR_MODULUS_BITS"},
    {0x00000122, "OBJ_ATTR_PUBLIC_EXPONENT"},
    {0x00000161, "OBJ_ATTR_VALUE_LEN"},
    {0x00000162, "OBJ_ATTR_EXTRACTABLE"},
    {0x00000163, "OBJ_ATTR_LOCAL"},
    {0x00000164, "OBJ_ATTR_NEVER_EXTRACTABLE"},
    {0x00000165, "OBJ_ATTR_ALWAYS_SENSITIVE"},
    {0x00000166, "OBJ_ATTR_KEY_GEN_MECHANISM"},
    {0x00000170, "OBJ_ATTR_MODIFIABLE"},
    {0x00000172, "OBJ_ATTR_DESTROYABLE"},
    {0x00000173, "OBJ_ATTR_KCV"},
    {0x00000202, "OBJ_ATTR_ALWAYS_AUTHENTICATE"},
    {0x00000210, "OBJ_ATTR_WRAP_WITH_TRUSTED"},
    {0x00001000, "OBJ_EXT_ATTR1"},
    {0x00001003, "OBJ_ATTR_EKCV"},
    {0x80000000, "OBJ_ATTR_VENDOR_DEFINED"},
    {0x80000002, "OBJ_ATTR_SPLITTABLE"},
    {0x80000003, "OBJ_ATTR_IS_SPLIT"},
    {0x80000174, "OBJ_ATTR_ENCRYPT_KEY_MECHANISMS"},
    {0x80000175, "OBJ_ATTR_DECRYPT_KEY_MECHANISMS"},
    {0x80000176, "OBJ_ATTR_SIGN_KEY_MECHANISMS"},
    {0x80000177, "OBJ_ATTR_VERIFY_KEY_MECHANISMS"},
    {0x80000178, "OBJ_ATTR_WRAP_KEY_MECHANISMS"},
    {0x80000179, "OBJ_ATTR_UNWRAP_KEY_MECHANISMS"},
    {0x80000180, "OBJ_ATTR_DERIVE_KEY_MECHANISMS"},
};

constexpr const char* kUnknownMeaning = "Not in any public attribute table; kept raw";

TEST(AttributeTextTest, EveryKnownTypeHasItsNameAndAMeaning) {
  std::set<std::string_view> meanings;
  for (const Named& row : kEveryKnownType) {
    EXPECT_TRUE(IsKnownAttribute(row.type)) << row.name;
    EXPECT_EQ(AttributeName(row.type), row.name);
    const std::string_view meaning = AttributeMeaning(row.type);
    EXPECT_FALSE(meaning.empty()) << row.name;
    EXPECT_NE(meaning, kUnknownMeaning) << row.name;
    meanings.insert(meaning);
    // The name leads back to the type.
    EXPECT_EQ(marvell::AttributeTypeByName(row.name), row.type) << row.name;
  }
  // Each row says something of its own.
  EXPECT_EQ(meanings.size(), std::size(kEveryKnownType));
}

TEST(AttributeTextTest, UnknownTypesAreNamedByNumber) {
  for (std::uint32_t type :
       {0x00000004u, 0x00000087u, 0x00001001u, 0x100001f5u, 0x80000001u, 0xf000000du, 0x80000181u, 0xffffffffu}) {
    EXPECT_FALSE(IsKnownAttribute(type)) << type;
    EXPECT_EQ(AttributeName(type), "UNKNOWN_" + marvell::FormatAttributeType(type));
    EXPECT_EQ(AttributeMeaning(type), kUnknownMeaning);
  }
  EXPECT_EQ(AttributeName(0x100001f5), "UNKNOWN_0x100001f5");
  EXPECT_EQ(AttributeName(0), "OBJ_ATTR_CLASS");  // 0 is a type, not "none"
}

TEST(AttributeTextTest, ValueTextByKind) {
  const std::uint64_t rsa = marvell::kKeyTypeRsa;
  const std::uint64_t ec = marvell::kKeyTypeEc;
  EXPECT_EQ(AttributeValueText(attr::kClass, Bytes{3}, rsa), "CKO_PRIVATE_KEY");
  EXPECT_EQ(AttributeValueText(attr::kClass, Bytes{0, 0, 0, 4}, rsa), "CKO_SECRET_KEY");
  EXPECT_EQ(AttributeValueText(attr::kKeyType, Bytes{0x1f}, rsa), "CKK_AES");
  EXPECT_EQ(AttributeValueText(attr::kExtractable, Bytes{0}, rsa), "CK_FALSE");
  EXPECT_EQ(AttributeValueText(attr::kSensitive, Bytes{1}, rsa), "CK_TRUE");
  EXPECT_EQ(AttributeValueText(attr::kToken, Bytes{0}, rsa), "0 (session object)");
  EXPECT_EQ(AttributeValueText(attr::kToken, Bytes{1}, rsa), "1 (token object)");
  EXPECT_EQ(AttributeValueText(attr::kToken, Bytes{2}, rsa), "2 (meaning unknown)");
  EXPECT_EQ(AttributeValueText(attr::kLabel, Bytes{'k', 'e', 'y', 0, 0}, rsa), "key");
  EXPECT_EQ(AttributeValueText(attr::kLabel, Bytes{}, rsa), "");
  EXPECT_EQ(AttributeValueText(attr::kId, Bytes{'a', 0x1b, 0}, rsa), "(not text) 0x611b");
  EXPECT_EQ(AttributeValueText(attr::kValueLen, Bytes{0, 0, 4, 0xc1}, rsa), "1217");
  EXPECT_EQ(AttributeValueText(attr::kVendorPrivateLength, Bytes{0xff, 0xff, 0xff, 0xff}, rsa), "4294967295");
  EXPECT_EQ(AttributeValueText(attr::kModulusBits, Bytes{0, 0, 8, 0}, rsa), "2048");
  EXPECT_EQ(AttributeValueText(attr::kPublicExponent, Bytes{1, 0, 1}, rsa), "65537 (0x010001)");
  EXPECT_EQ(AttributeValueText(attr::kKcv, Bytes{0xf2, 0x79, 0x67}, rsa), "f27967");
  std::string ekcv_hex;
  for (int i = 0; i < 32; ++i) ekcv_hex += "ab";
  EXPECT_EQ(AttributeValueText(attr::kEkcv, Bytes(32, 0xab), rsa), ekcv_hex);
  Bytes modulus(256, 0x11);
  modulus[0] = 0xc2;
  modulus[255] = 0x5f;
  EXPECT_EQ(AttributeValueText(attr::kModulus, modulus, rsa), "c211111111111111...111111111111115f (256 bytes)");
  EXPECT_EQ(AttributeValueText(attr::kModulus, Bytes{4, 1}, ec), "0401 (2 bytes)");
  EXPECT_EQ(AttributeValueText(attr::kExtAttr1, Bytes(8, 0), rsa), "0x0000000000000000");
  EXPECT_EQ(AttributeValueText(0x80000174, Bytes{}, rsa), "(empty)");
  EXPECT_EQ(AttributeValueText(0x7777, Bytes{0xde, 0xad}, rsa), "0xdead");
  EXPECT_EQ(AttributeValueText(0x7777, Bytes(17, 0xee), rsa), "0xeeeeeeeeeeeeeeee...eeeeeeeeeeeeeeee");
}

TEST(AttributeTextTest, OnlyAnEcKeysModulusBitsNamesACurve) {
  const Bytes p256{0, 0, 0x01, 0x9f};  // NID 415
  EXPECT_EQ(AttributeValueText(attr::kModulusBits, p256, marvell::kKeyTypeEc), "415 (curve P-256 (prime256v1))");
  EXPECT_EQ(AttributeValueText(attr::kModulusBits, p256, marvell::kKeyTypeRsa), "415");
  // An EC "NID" that names no supported curve is shown bare.
  EXPECT_EQ(AttributeValueText(attr::kModulusBits, Bytes{0, 0, 1, 0}, marvell::kKeyTypeEc), "256");
}

// Values InterpretKeyObject would have rejected never reach a report; were
// one to, it is shown as bytes rather than read past its end.
TEST(AttributeTextTest, AValueOfTheWrongSizeIsShownRaw) {
  EXPECT_EQ(AttributeValueText(attr::kExtractable, Bytes{}, 0), "(empty)");
  EXPECT_EQ(AttributeValueText(attr::kExtractable, Bytes{0, 1}, 0), "0x0001");
  EXPECT_EQ(AttributeValueText(attr::kToken, Bytes{}, 0), "(empty)");
  EXPECT_EQ(AttributeValueText(attr::kClass, Bytes{0, 3}, 0), "0x0003");
  EXPECT_EQ(AttributeValueText(attr::kValueLen, Bytes{1, 2, 3}, 0), "0x010203");
  EXPECT_EQ(AttributeValueText(attr::kModulusBits, Bytes{}, marvell::kKeyTypeEc), "(empty)");
  EXPECT_EQ(AttributeValueText(attr::kPublicExponent, Bytes(9, 1), 0), "0x010101010101010101");
}

TEST(AttributeTextTest, ObjectFactsKeepEachValueAndSurviveCopies) {
  ObjectFacts object;
  object.key_type_code = marvell::kKeyTypeEc;
  object.AddAttribute(attr::kSensitive, Bytes{1});
  object.AddAttribute(attr::kModulusBits, Bytes{0, 0, 0x01, 0x9f});
  object.AddAttribute(0x7777, Bytes{});
  ASSERT_EQ(object.attributes.size(), 3u);
  EXPECT_EQ(object.values, (Bytes{1, 0, 0, 0x01, 0x9f}));
  const ObjectFacts copy = object;  // offsets, not views: a copy reads its own bytes
  object.values.assign(object.values.size(), 0xff);
  EXPECT_EQ(HexEncode(copy.Raw(copy.attributes[1])), "0000019f");
  EXPECT_EQ(copy.ValueText(copy.attributes[0]), "CK_TRUE");
  EXPECT_EQ(copy.ValueText(copy.attributes[1]), "415 (curve P-256 (prime256v1))");
  EXPECT_EQ(copy.ValueText(copy.attributes[2]), "(empty)");
  EXPECT_TRUE(copy.Raw(copy.attributes[2]).empty());
}

}  // namespace
}  // namespace keyattest
