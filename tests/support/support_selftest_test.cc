// Self-test of tests/support: proves with plain OpenSSL (never the library)
// that the generated PKI, blobs and JSON have the shapes the doc describes,
// and cross-checks the builders against the real Azure recordings.
#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509_vfy.h>

#include <algorithm>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "tests/support/attestation_json.h"
#include "tests/support/blob_builder.h"
#include "tests/support/real_testdata.h"
#include "tests/support/test_keys.h"
#include "tests/support/test_pki.h"

namespace keyattest::testing {
namespace {

// ---- Independent helpers -----------------------------------------------------

std::uint32_t U32At(const Bytes& b, std::size_t off) {
  return static_cast<std::uint32_t>(b.at(off)) << 24 | static_cast<std::uint32_t>(b.at(off + 1)) << 16 |
         static_cast<std::uint32_t>(b.at(off + 2)) << 8 | b.at(off + 3);
}
std::uint16_t U16At(const Bytes& b, std::size_t off) {
  return static_cast<std::uint16_t>(b.at(off) << 8 | b.at(off + 1));
}
std::uint64_t U64At(const Bytes& b, std::size_t off) { return std::uint64_t{U32At(b, off)} << 32 | U32At(b, off + 4); }

Bytes Sha256Of(ByteSpan data) {
  Bytes out(32);
  CheckOpenSsl(EVP_Digest(data.data(), data.size(), out.data(), nullptr, EVP_sha256(), nullptr) == 1, "EVP_Digest");
  return out;
}

Bytes Sha1Of(ByteSpan data) {
  Bytes out(20);
  CheckOpenSsl(EVP_Digest(data.data(), data.size(), out.data(), nullptr, EVP_sha1(), nullptr) == 1, "EVP_Digest");
  return out;
}

// Either base64 alphabet, padded or not, via OpenSSL's block decoder.
Bytes DecodeBase64Any(std::string text) {
  std::replace(text.begin(), text.end(), '-', '+');
  std::replace(text.begin(), text.end(), '_', '/');
  while (text.size() % 4 != 0) text += '=';
  const auto padding = static_cast<std::size_t>(std::count(text.end() - 2, text.end(), '='));
  Bytes out(text.size() / 4 * 3);
  const int len =
      EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  CheckOpenSsl(len >= 0, "EVP_DecodeBlock");
  out.resize(static_cast<std::size_t>(len) - padding);
  return out;
}

struct Tlv {
  std::uint32_t type;
  Bytes value;
};

// Walks `count` TLVs from `off`; the end offset is returned through `end`.
std::vector<Tlv> WalkTlvs(const Bytes& b, std::size_t off, std::uint32_t count, std::size_t* end) {
  std::vector<Tlv> out;
  for (std::uint32_t i = 0; i < count; ++i) {
    const std::uint32_t type = U32At(b, off);
    const std::uint32_t len = U32At(b, off + 4);
    if (off + 8 + len > b.size()) throw std::out_of_range("TLV past the end");
    out.push_back({type, Bytes(b.begin() + static_cast<std::ptrdiff_t>(off + 8),
                               b.begin() + static_cast<std::ptrdiff_t>(off + 8 + len))});
    off += 8 + len;
  }
  *end = off;
  return out;
}

// X509_verify_cert at a fixed time: X509_V_OK or the error, with its depth.
int VerifyAt(X509* trusted, const std::vector<X509*>& untrusted, X509* leaf, time_t at, int* depth = nullptr) {
  X509StorePtr store(CheckNotNull(X509_STORE_new(), "X509_STORE_new"));
  CheckOpenSsl(X509_STORE_add_cert(store.get(), trusted) == 1, "X509_STORE_add_cert");
  X509StackPtr chain(CheckNotNull(sk_X509_new_null(), "sk_X509_new_null"));
  for (X509* cert : untrusted) {
    CheckOpenSsl(X509_up_ref(cert) == 1, "X509_up_ref");
    X509Ptr ref(cert);
    CheckOpenSsl(sk_X509_push(chain.get(), ref.get()) > 0, "sk_X509_push");
    ref.release();  // the stack owns this reference now
  }
  X509StoreCtxPtr ctx(CheckNotNull(X509_STORE_CTX_new(), "X509_STORE_CTX_new"));
  CheckOpenSsl(X509_STORE_CTX_init(ctx.get(), store.get(), leaf, chain.get()) == 1, "X509_STORE_CTX_init");
  X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx.get()), at);
  const int ok = X509_verify_cert(ctx.get());
  if (depth != nullptr) *depth = X509_STORE_CTX_get_error_depth(ctx.get());
  const int error = X509_STORE_CTX_get_error(ctx.get());
  ClearOpenSslErrors();
  return ok == 1 ? X509_V_OK : error;
}

bool SameKey(X509* a, X509* b) { return EVP_PKEY_eq(X509_get0_pubkey(a), X509_get0_pubkey(b)) == 1; }

const time_t kWhen = Utc(2026, 6, 1);
const char kKeyId[] = "/keys/test-key/0123456789abcdef0123456789abcdef";

// ---- Test keys -----------------------------------------------------------------

TEST(SupportKeys, EveryKeyHasTheAdvertisedTypeSizeAndExponent) {
  struct Expected {
    TestKeyId id;
    const char* type;
    int bits;
    unsigned long e;  // 0 for EC
  };
  const Expected table[] = {
      {TestKeyId::kRootRsa2048, "RSA", 2048, 65537},
      {TestKeyId::kCardRsa2048, "RSA", 2048, 65537},
      {TestKeyId::kPartitionRsa2048, "RSA", 2048, 65537},
      {TestKeyId::kOwnerRootRsa2048, "RSA", 2048, 65537},
      {TestKeyId::kLookAlikeRootRsa2048, "RSA", 2048, 65537},
      {TestKeyId::kOtherPartitionRsa2048, "RSA", 2048, 65537},
      {TestKeyId::kSubjectRsa2048, "RSA", 2048, 65537},
      {TestKeyId::kSubjectEcP256, "EC", 256, 0},
      {TestKeyId::kRootRsa4096, "RSA", 4096, 65537},
      {TestKeyId::kPartitionRsa4096, "RSA", 4096, 65537},
      {TestKeyId::kWeakRsa1024, "RSA", 1024, 65537},
      {TestKeyId::kRsa2048Exponent3, "RSA", 2048, 3},
      {TestKeyId::kEcP256Signer, "EC", 256, 0},
  };
  std::set<Bytes> distinct;
  for (const Expected& want : table) {
    EvpPkeyPtr key = LoadTestKey(want.id);
    SCOPED_TRACE(TestKeyPem(want.id).substr(28, 40));
    EXPECT_TRUE(EVP_PKEY_is_a(key.get(), want.type));
    EXPECT_EQ(EVP_PKEY_get_bits(key.get()), want.bits);
    if (want.e != 0) {
      BIGNUM* e = nullptr;
      ASSERT_EQ(EVP_PKEY_get_bn_param(key.get(), "e", &e), 1);
      BignumPtr owned(e);
      EXPECT_EQ(BN_get_word(e), want.e);
    }
    distinct.insert(SpkiDer(key.get()));
  }
  EXPECT_EQ(distinct.size(), std::size(table));
}

TEST(SupportKeys, LoadReturnsAnOwnedReferenceToTheCachedKey) {
  EvpPkeyPtr a = LoadTestKey(TestKeyId::kSubjectRsa2048);
  EvpPkeyPtr b = LoadTestKey(TestKeyId::kSubjectRsa2048);
  EXPECT_EQ(a.get(), b.get());
  a.reset();  // must not invalidate b
  EXPECT_EQ(EVP_PKEY_get_bits(b.get()), 2048);
  EvpPkeyPtr pub = PublicOnly(b.get());
  EXPECT_EQ(EVP_PKEY_eq(pub.get(), b.get()), 1);
}

// ---- Test PKI ------------------------------------------------------------------

TEST(SupportPki, DefaultChainHasTheRealShape) {
  TestChain c = MakeTestChain();
  // Root: v3, serial 0, BC CA:TRUE (not critical), KU critical.
  EXPECT_EQ(X509_get_version(c.root.get()), X509_VERSION_3);
  EXPECT_EQ(ASN1_INTEGER_get(X509_get0_serialNumber(c.root.get())), 0);
  EXPECT_EQ(X509_check_ca(c.root.get()), 1);
  EXPECT_EQ(X509_get_key_usage(c.root.get()), static_cast<uint32_t>(KU_DIGITAL_SIGNATURE | KU_KEY_CERT_SIGN));
  EXPECT_EQ(X509_get_ext_count(c.root.get()), 2);
  // Card: v1 without extensions; partition: v3 without extensions.
  EXPECT_EQ(X509_get_version(c.card.get()), X509_VERSION_1);
  EXPECT_EQ(X509_get_ext_count(c.card.get()), 0);
  EXPECT_EQ(X509_get_version(c.partition.get()), X509_VERSION_3);
  EXPECT_EQ(X509_get_ext_count(c.partition.get()), 0);
  // Card subject: one multi-valued RDN of five entries, then CN.
  X509_NAME* card_name = X509_get_subject_name(c.card.get());
  ASSERT_EQ(X509_NAME_entry_count(card_name), 6);
  EXPECT_EQ(X509_NAME_ENTRY_set(X509_NAME_get_entry(card_name, 4)), 0);
  EXPECT_EQ(X509_NAME_ENTRY_set(X509_NAME_get_entry(card_name, 5)), 1);
  // Owner partition: separate RDNs, so a different DER name, same key.
  X509_NAME* owner_name = X509_get_subject_name(c.owner_partition.get());
  EXPECT_EQ(X509_NAME_ENTRY_set(X509_NAME_get_entry(owner_name, 5)), 5);
  EXPECT_NE(X509_NAME_cmp(owner_name, X509_get_subject_name(c.partition.get())), 0);
  EXPECT_EQ(ASN1_INTEGER_get(X509_get0_serialNumber(c.owner_partition.get())), INT64_MAX);
  EXPECT_EQ(X509_check_ca(c.owner_partition.get()), 0);
  EXPECT_EQ(X509_check_ca(c.owner_root.get()), 1);
  EXPECT_NE(X509_get0_subject_key_id(c.owner_partition.get()), nullptr);
  EXPECT_NE(X509_get0_authority_key_id(c.owner_partition.get()), nullptr);
  // Fixed dates.
  EXPECT_EQ(ASN1_TIME_cmp_time_t(X509_get0_notBefore(c.root.get()), Utc(2024, 1, 1)), 0);
  EXPECT_EQ(ASN1_TIME_cmp_time_t(X509_get0_notAfter(c.card.get()), Utc(2034, 2, 1)), 0);
  EXPECT_EQ(ASN1_TIME_cmp_time_t(X509_get0_notBefore(c.partition.get()), Utc(2024, 3, 1)), 0);
  EXPECT_EQ(ASN1_TIME_cmp_time_t(X509_get0_notAfter(c.owner_root.get()), Utc(2050, 1, 1)), 0);
  // Signatures go the documented way.
  EXPECT_EQ(X509_verify(c.card.get(), c.root_key.get()), 1);
  EXPECT_EQ(X509_verify(c.partition.get(), c.card_key.get()), 1);
  EXPECT_EQ(X509_verify(c.owner_partition.get(), c.owner_root_key.get()), 1);
}

TEST(SupportPki, OpenSslVerifiesTheChainWhenTheCardIsAV3Ca) {
  ChainOptions options;
  options.card_version = 3;
  options.card_basic_constraints = true;
  options.card_key_usage = KU_DIGITAL_SIGNATURE | KU_KEY_CERT_SIGN;
  TestChain c = MakeTestChain(options);
  EXPECT_EQ(VerifyAt(c.root.get(), {c.card.get()}, c.partition.get(), kWhen), X509_V_OK);
  EXPECT_EQ(VerifyAt(c.owner_root.get(), {}, c.owner_partition.get(), kWhen), X509_V_OK);
  EXPECT_EQ(VerifyAt(c.root.get(), {c.card.get()}, c.partition.get(), Utc(2034, 3, 2)), X509_V_ERR_CERT_HAS_EXPIRED);
}

TEST(SupportPki, OpenSslRejectsTheDefaultV1CardWithInvalidCa) {
  TestChain c = MakeTestChain();
  int depth = -1;
  EXPECT_EQ(VerifyAt(c.root.get(), {c.card.get()}, c.partition.get(), kWhen, &depth),
            X509_V_ERR_INVALID_CA);  // 79, as on the real chains (doc §10.1)
  EXPECT_EQ(X509_V_ERR_INVALID_CA, 79);
  EXPECT_EQ(depth, 1);
}

TEST(SupportPki, OwnerPartitionCarriesThePartitionSpkiUnlessTold) {
  TestChain same = MakeTestChain();
  EXPECT_EQ(SpkiDer(X509_get0_pubkey(same.owner_partition.get())), SpkiDer(X509_get0_pubkey(same.partition.get())));
  ChainOptions options;
  options.owner_partition_key = TestKeyId::kOtherPartitionRsa2048;
  TestChain other = MakeTestChain(options);
  EXPECT_FALSE(SameKey(other.owner_partition.get(), other.partition.get()));
}

TEST(SupportPki, VariantsTakeEffect) {
  ChainOptions options;
  options.root_key = TestKeyId::kRootRsa4096;
  options.partition_key = TestKeyId::kWeakRsa1024;
  options.card_md = EVP_sha1();
  options.partition_basic_constraints = false;
  options.partition_key_usage = KU_DIGITAL_SIGNATURE;
  options.partition_validity = {Utc(2020, 1, 1), Utc(2021, 1, 1)};
  TestChain c = MakeTestChain(options);
  EXPECT_EQ(EVP_PKEY_get_bits(X509_get0_pubkey(c.root.get())), 4096);
  EXPECT_EQ(X509_get_signature_nid(c.card.get()), NID_sha1WithRSAEncryption);
  EXPECT_EQ(EVP_PKEY_get_bits(X509_get0_pubkey(c.partition.get())), 1024);
  EXPECT_EQ(EVP_PKEY_get_bits(X509_get0_pubkey(c.owner_partition.get())), 1024);
  EXPECT_EQ(X509_get_ext_count(c.partition.get()), 2);
  EXPECT_EQ(ASN1_TIME_cmp_time_t(X509_get0_notAfter(c.partition.get()), Utc(2021, 1, 1)), 0);

  CertSpec v1_with_bc;
  v1_with_bc.version = 1;
  v1_with_bc.basic_constraints_ca = true;
  EvpPkeyPtr key = LoadTestKey(TestKeyId::kRootRsa2048);
  EXPECT_THROW(IssueCertificate(v1_with_bc, key.get(), nullptr, key.get()), std::invalid_argument);
}

TEST(SupportPki, BundleIsCardPartitionOwnerRootOwnerPartition) {
  TestChain c = MakeTestChain();
  const std::string pem = c.BundlePem();
  BioPtr bio(CheckNotNull(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), "BIO"));
  std::vector<X509Ptr> parsed;
  while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) parsed.emplace_back(cert);
  ClearOpenSslErrors();  // the loop ends on a "no start line" error
  ASSERT_EQ(parsed.size(), 4u);
  EXPECT_EQ(X509_cmp(parsed[0].get(), c.card.get()), 0);
  EXPECT_EQ(X509_cmp(parsed[1].get(), c.partition.get()), 0);
  EXPECT_EQ(X509_cmp(parsed[2].get(), c.owner_root.get()), 0);
  EXPECT_EQ(X509_cmp(parsed[3].get(), c.owner_partition.get()), 0);
  EXPECT_EQ(sk_X509_num(c.BundleStack().get()), 4);
  EXPECT_EQ(X509_cmp(CertFromPem(c.RootPem()).get(), c.root.get()), 0);
}

TEST(SupportPki, LookAlikeRootHasTheRootNameButAnotherKey) {
  TestChain c = MakeTestChain();
  X509Ptr fake = CertFromPem(LookAlikeRootPem());
  EXPECT_EQ(X509_NAME_cmp(X509_get_subject_name(fake.get()), X509_get_subject_name(c.root.get())), 0);
  EXPECT_FALSE(SameKey(fake.get(), c.root.get()));
  EXPECT_NE(X509_verify(c.card.get(), X509_get0_pubkey(fake.get())), 1);
  ClearOpenSslErrors();
}

// ---- Attributes ----------------------------------------------------------------

TEST(SupportAttributes, RsaObjectsBindTheKey) {
  EvpPkeyPtr key = LoadTestKey(TestKeyId::kSubjectRsa2048);
  const auto priv = RsaPrivateAttributes(key.get(), kKeyId);
  const auto pub = RsaPublicAttributes(key.get(), kKeyId);
  EXPECT_EQ(priv.size(), 45u);  // as in the Azure recordings
  EXPECT_EQ(pub.size(), 43u);
  BIGNUM* n = nullptr;
  ASSERT_EQ(EVP_PKEY_get_bn_param(key.get(), "n", &n), 1);
  BignumPtr owned(n);
  Bytes n_bytes(static_cast<std::size_t>(BN_num_bytes(n)));
  BN_bn2bin(n, n_bytes.data());
  Bytes kcv = Sha1Of(SpkiDer(key.get()));
  kcv.resize(3);
  for (const auto* attrs : {&priv, &pub}) {
    EXPECT_EQ(FindAttribute(*attrs, kAttrModulus)->value, n_bytes);
    EXPECT_EQ(FindAttribute(*attrs, kAttrModulusBits)->value, U32Be(2048));
    EXPECT_EQ(FindAttribute(*attrs, kAttrPublicExponent)->value, (Bytes{1, 0, 1}));
    EXPECT_EQ(FindAttribute(*attrs, kAttrKcv)->value, kcv);
    EXPECT_EQ(FindAttribute(*attrs, kAttrId)->value, Text128(kKeyId));
  }
  EXPECT_EQ(FindAttribute(priv, kAttrClass)->value, Bytes{3});
  EXPECT_EQ(FindAttribute(priv, kAttrExtractable)->value, Bytes{0});
  EXPECT_EQ(FindAttribute(priv, kAttrNeverExtractable)->value, Bytes{1});
  EXPECT_EQ(FindAttribute(pub, kAttrClass)->value, Bytes{2});
  EXPECT_EQ(FindAttribute(pub, kAttrExtractable)->value, Bytes{1});
  EXPECT_EQ(Ekcv(key.get()), Sha256Of(SpkiDer(key.get())));
}

TEST(SupportAttributes, EcObjectsCarryThePointAndTheCurveNid) {
  EvpPkeyPtr key = LoadTestKey(TestKeyId::kSubjectEcP256);
  const auto priv = EcPrivateAttributes(key.get(), kKeyId);
  const auto pub = EcPublicAttributes(key.get(), kKeyId);
  EXPECT_EQ(priv.size(), 43u);
  EXPECT_EQ(pub.size(), 42u);
  Bytes point(65);
  std::size_t len = 0;
  ASSERT_EQ(EVP_PKEY_get_octet_string_param(key.get(), "encoded-pub-key", point.data(), point.size(), &len), 1);
  for (const auto* attrs : {&priv, &pub}) {
    EXPECT_EQ(FindAttribute(*attrs, kAttrModulus)->value, point);
    EXPECT_EQ(FindAttribute(*attrs, kAttrModulusBits)->value, U32Be(415));
    EXPECT_EQ(FindAttribute(*attrs, kAttrKeyType)->value, Bytes{3});
  }
  EXPECT_EQ(FindAttribute(pub, kAttrValueLen)->value, U32Be(65));
  EXPECT_EQ(FindAttribute(priv, kAttrValueLen)->value, U32Be(138));  // PKCS#8 length
  EXPECT_EQ(AesSecretAttributes(kKeyId).size(), 41u);
  EXPECT_EQ(FindAttribute(AesSecretAttributes(kKeyId), kAttrModulus), nullptr);
}

TEST(SupportAttributes, EditHelpers) {
  std::vector<Attribute> attrs = AesSecretAttributes(kKeyId);
  ReplaceAttribute(attrs, kAttrExtractable, {1});
  EXPECT_EQ(FindAttribute(attrs, kAttrExtractable)->value, Bytes{1});
  AppendAttribute(attrs, kAttrClass, {3});
  EXPECT_EQ(RemoveAttribute(attrs, kAttrClass), 2u);
  EXPECT_EQ(FindAttribute(attrs, kAttrClass), nullptr);
  EXPECT_THROW(ReplaceAttribute(attrs, kAttrClass, {4}), std::invalid_argument);
  EXPECT_EQ(Text128(std::string(128, 'a')).size(), 128u);
  EXPECT_THROW(Text128(std::string(129, 'a')), std::invalid_argument);
  EXPECT_EQ(FlipBit({0x00, 0x10}, 1, 4), (Bytes{0x00, 0x00}));
  EXPECT_THROW(FlipBit({0x00}, 1, 0), std::out_of_range);
  EXPECT_EQ(EncodeTlvs({{0x0102, {0xAB}}}), (Bytes{0, 0, 1, 2, 0, 0, 0, 1, 0xAB}));
}

// ---- Layout B --------------------------------------------------------------------

KeyObjectSpec RsaPrivateObject(std::uint32_t handle = 14) {
  EvpPkeyPtr key = LoadTestKey(TestKeyId::kSubjectRsa2048);
  return {handle, RsaPrivateAttributes(key.get(), kKeyId), std::nullopt, std::nullopt};
}

TEST(SupportLayoutB, SignatureRecoversToType1PaddingAroundTheBareHash) {
  EvpPkeyPtr partition = LoadTestKey(TestKeyId::kPartitionRsa2048);
  const Bytes blob = LayoutBBuilder(RsaPrivateObject()).Sign(partition.get());
  const Bytes data(blob.begin(), blob.end() - 256);
  const Bytes em = RsaPublicRaw(partition.get(), Bytes(blob.end() - 256, blob.end()));
  Bytes expected = {0x00, 0x01};
  expected.insert(expected.end(), 256 - 3 - 32, 0xFF);  // 221 x FF (doc §0)
  expected.push_back(0x00);
  const Bytes hash = Sha256Of(data);
  expected.insert(expected.end(), hash.begin(), hash.end());
  EXPECT_EQ(em, expected);
  EXPECT_EQ(Pkcs1Type1Encode(256, hash), expected);
  // The standard PKCS#1 v1.5 verification must fail on this scheme.
  EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  ASSERT_EQ(EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, partition.get()), 1);
  EXPECT_NE(EVP_DigestVerify(ctx.get(), blob.data() + data.size(), 256, data.data(), data.size()), 1);
  ClearOpenSslErrors();
}

TEST(SupportLayoutB, HeaderAndZeroFillInvariants) {
  EvpPkeyPtr partition = LoadTestKey(TestKeyId::kPartitionRsa2048);
  const KeyObjectSpec object = RsaPrivateObject();
  const Bytes blob = LayoutBBuilder(object).Sign(partition.get());
  const std::size_t tlv_len = EncodeTlvs(object.attributes).size();
  const std::uint32_t size = U32At(blob, 28);
  EXPECT_TRUE(std::all_of(blob.begin(), blob.begin() + 16, [](std::uint8_t b) { return b == 0; }));
  EXPECT_EQ(U32At(blob, 16), 12 + size);
  EXPECT_EQ(U32At(blob, 20), 14u);
  EXPECT_EQ(U32At(blob, 24), 45u);
  EXPECT_EQ(size, tlv_len + 16);
  EXPECT_EQ(blob.size() - 256, 32 + size + 264);
  std::size_t end = 0;
  const auto tlvs = WalkTlvs(blob, 32, 45, &end);
  EXPECT_EQ(end, 32 + tlv_len);
  EXPECT_TRUE(std::all_of(blob.begin() + static_cast<std::ptrdiff_t>(end), blob.end() - 256,
                          [](std::uint8_t b) { return b == 0; }));
  EXPECT_EQ(tlvs.front().type, kAttrClass);
}

TEST(SupportLayoutB, OverridesChangeOnlyTheirField) {
  const Bytes base = LayoutBBuilder(RsaPrivateObject()).Unsigned();
  const std::uint32_t size = U32At(base, 28);
  Bytes b = LayoutBBuilder(RsaPrivateObject()).SetSize(size + 1).Unsigned();
  EXPECT_EQ(b.size(), base.size());
  EXPECT_EQ(U32At(b, 28), size + 1);
  EXPECT_EQ(U32At(b, 16), 12 + size + 1);  // the length follows the declared size
  b = LayoutBBuilder(RsaPrivateObject()).SetObjectLengthField(7).SetCount(44).Unsigned();
  EXPECT_EQ(U32At(b, 16), 7u);
  EXPECT_EQ(U32At(b, 24), 44u);
  EXPECT_EQ(U32At(b, 28), size);
  b = LayoutBBuilder(RsaPrivateObject()).SetFillByte(20, 0x5A).Unsigned();
  EXPECT_EQ(b[32 + size - 16 + 20], 0x5A);
  EXPECT_EQ(LayoutBBuilder(RsaPrivateObject()).SetTrailingZeros(0).SetSlack(0).Unsigned().size(), base.size() - 280);
  EXPECT_EQ(LayoutBBuilder(RsaPrivateObject()).SetPrefix(Bytes(20, 0)).Unsigned().size(), base.size() + 4);
  EXPECT_THROW(LayoutBBuilder(RsaPrivateObject()).SetFillByte(280, 1).Unsigned(), std::out_of_range);
}

// ---- Layout A --------------------------------------------------------------------

TEST(SupportLayoutA, KeyPairVerifiesWithStandardPkcs1Sha256AndKeepsTheInvariants) {
  EvpPkeyPtr subject = LoadTestKey(TestKeyId::kSubjectEcP256);
  EvpPkeyPtr partition = LoadTestKey(TestKeyId::kPartitionRsa2048);
  const KeyObjectSpec pub{2022, EcPublicAttributes(subject.get(), kKeyId), {}, {}};
  const KeyObjectSpec priv{8870, EcPrivateAttributes(subject.get(), kKeyId), {}, {}};
  const Bytes blob = LayoutABuilder({pub, priv}).Sign(partition.get());
  const std::size_t k = 256;
  const std::size_t L = blob.size();

  EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  ASSERT_EQ(EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, partition.get()), 1);
  EXPECT_EQ(EVP_DigestVerify(ctx.get(), blob.data() + L - k, k, blob.data(), L - k), 1);

  EXPECT_EQ(U32At(blob, 0), 0u);
  EXPECT_EQ(U32At(blob, 4), 3u);
  EXPECT_EQ(U32At(blob, 8), L);
  const std::size_t S = L - k - U32At(blob, 12);
  EXPECT_EQ(S, 32u);  // two handles
  EXPECT_EQ(U64At(blob, 16), 2022u);
  EXPECT_EQ(U64At(blob, 24), 8870u);
  EXPECT_EQ(U16At(blob, S), 1);
  EXPECT_EQ(U16At(blob, S + 2), 3);
  const std::uint16_t off1 = U16At(blob, S + 4);
  const std::uint16_t off2 = U16At(blob, S + 6);
  EXPECT_EQ(off1, 8);
  const std::uint32_t size1 = U32At(blob, S + off1 + 8);
  EXPECT_EQ(off2, off1 + 12 + size1);
  // Each object's TLVs fill exactly its size; the last ends at L - k.
  std::size_t end = 0;
  WalkTlvs(blob, S + off1 + 12, U32At(blob, S + off1 + 4), &end);
  EXPECT_EQ(end, S + off1 + 12 + size1);
  EXPECT_EQ(U32At(blob, S + off2), 8870u);
  WalkTlvs(blob, S + off2 + 12, U32At(blob, S + off2 + 4), &end);
  EXPECT_EQ(end, S + off2 + 12 + U32At(blob, S + off2 + 8));
  EXPECT_EQ(end, L - k);
}

TEST(SupportLayoutA, SingleObjectAndLargerSignatures) {
  EvpPkeyPtr subject = LoadTestKey(TestKeyId::kSubjectRsa2048);
  EvpPkeyPtr partition = LoadTestKey(TestKeyId::kPartitionRsa4096);
  const LayoutABuilder builder({{0x1f0a, RsaPrivateAttributes(subject.get(), kKeyId), {}, {}}});
  const Bytes blob = builder.Sign(partition.get());
  const std::size_t k = 512;
  EXPECT_EQ(U32At(blob, 8), blob.size());
  EXPECT_EQ(blob.size() - k - U32At(blob, 12), 24u);  // one handle
  EXPECT_EQ(U16At(blob, 24 + 6), 0);                  // no second object
  EXPECT_EQ(builder.Unsigned(k), Bytes(blob.begin(), blob.end() - static_cast<std::ptrdiff_t>(k)));
}

TEST(SupportLayoutA, HeaderOverrides) {
  EvpPkeyPtr subject = LoadTestKey(TestKeyId::kSubjectRsa2048);
  LayoutABuilder builder({{7, RsaPrivateAttributes(subject.get(), kKeyId), {}, {}}});
  builder.SetResponseCode(1).SetFlags(7).SetTotalSize(9).SetBufferSize(10).SetHandles({1, 2});
  builder.SetInfoVersion(2).SetInfoFlags(4).SetOffset1(9).SetOffset2(11);
  builder.SetObjectCount(0, 12).SetObjectSize(0, 13);
  const Bytes b = builder.Unsigned(256);
  EXPECT_EQ(U32At(b, 0), 1u);
  EXPECT_EQ(U32At(b, 4), 7u);
  EXPECT_EQ(U32At(b, 8), 9u);
  EXPECT_EQ(U32At(b, 12), 10u);
  EXPECT_EQ(U64At(b, 16), 1u);
  EXPECT_EQ(U64At(b, 24), 2u);
  EXPECT_EQ(U16At(b, 32), 2);
  EXPECT_EQ(U16At(b, 34), 4);
  EXPECT_EQ(U16At(b, 36), 9);
  EXPECT_EQ(U16At(b, 38), 11);
  EXPECT_EQ(U32At(b, 40), 7u);
  EXPECT_EQ(U32At(b, 44), 12u);
  EXPECT_EQ(U32At(b, 48), 13u);
  EXPECT_THROW(LayoutABuilder({}), std::invalid_argument);
}

TEST(SupportSignatures, RawPrivateAndPublicOperationsAreInverse) {
  EvpPkeyPtr key = LoadTestKey(TestKeyId::kPartitionRsa2048);
  const Bytes em = Pkcs1Type1Encode(256, Bytes(51, 0x42));
  EXPECT_EQ(RsaPublicRaw(key.get(), RsaPrivateRaw(key.get(), em)), em);
  EXPECT_EQ(SignatureSize(key.get()), 256u);
}

// ---- JSON ------------------------------------------------------------------------

TEST(SupportAzureJson, Base64Flavours) {
  const Bytes data = {0xFB, 0xFF};
  EXPECT_EQ(Base64Encode(data), "-_8");
  EXPECT_EQ(Base64Encode(data, Base64Flavor::kUrlPadded), "-_8=");
  EXPECT_EQ(Base64Encode(data, Base64Flavor::kStandard), "+/8=");
  EXPECT_EQ(Base64Encode(AsBytes("f")), "Zg");
  EXPECT_EQ(Base64Encode(AsBytes("foo")), "Zm9v");
  EXPECT_EQ(Base64Encode(AsBytes("foob"), Base64Flavor::kStandard), "Zm9vYg==");
  EXPECT_EQ(Base64Encode({}), "");
}

TEST(SupportAzureJson, FullResponseRoundTrips) {
  TestChain c = MakeTestChain();
  EvpPkeyPtr subject = LoadTestKey(TestKeyId::kSubjectRsa2048);
  AzureJsonSpec spec;
  spec.bundle_pem = c.BundlePem();
  spec.private_blob = LayoutBBuilder(RsaPrivateObject()).Sign(c.partition_key.get());
  spec.public_blob =
      LayoutBBuilder({13, RsaPublicAttributes(subject.get(), kKeyId), {}, {}}).Sign(c.partition_key.get());
  spec.jwk_json = MakeJwkJson(subject.get(), AzureKid("testpool", "test-key", "0123"));
  const auto json = nlohmann::json::parse(MakeAzureAttestationJson(spec));
  const auto& att = json.at("attributes").at("attestation");
  EXPECT_EQ(att.at("version"), "MRVL-1");
  EXPECT_EQ(json.at("key").at("kty"), "RSA-HSM");
  EXPECT_EQ(json.at("key").at("e"), "AQAB");
  EXPECT_EQ(json.at("key").at("kid"), "https://testpool.managedhsm.azure.net/keys/test-key/0123");
  for (const char* field : {"certificatePemFile", "privateKeyAttestation", "publicKeyAttestation"}) {
    EXPECT_EQ(att.at(field).get<std::string>().find_first_of("=+/"), std::string::npos) << field;
  }
  const Bytes pem = DecodeBase64Any(att.at("certificatePemFile"));
  EXPECT_EQ(std::string(pem.begin(), pem.end()), spec.bundle_pem);
  EXPECT_EQ(DecodeBase64Any(att.at("privateKeyAttestation")), spec.private_blob);
  EXPECT_EQ(DecodeBase64Any(att.at("publicKeyAttestation")), *spec.public_blob);

  spec.wrap = JsonWrap::kAttributesOnly;
  EXPECT_TRUE(nlohmann::json::parse(MakeAzureAttestationJson(spec)).contains("attestation"));
  spec.wrap = JsonWrap::kAttestationOnly;
  spec.public_blob.reset();
  spec.base64 = Base64Flavor::kStandard;
  const auto only = nlohmann::json::parse(MakeAzureAttestationJson(spec));
  EXPECT_FALSE(only.contains("publicKeyAttestation"));
  EXPECT_EQ(DecodeBase64Any(only.at("privateKeyAttestation")), spec.private_blob);

  EvpPkeyPtr ec = LoadTestKey(TestKeyId::kSubjectEcP256);
  const auto jwk = nlohmann::json::parse(MakeJwkJson(ec.get(), "kid"));
  EXPECT_EQ(jwk.at("crv"), "P-256");
  EXPECT_EQ(DecodeBase64Any(jwk.at("x")).size(), 32u);
}

// ---- Cross-check against the real Azure recordings -----------------------------

struct RealObject {
  Bytes blob;
  std::uint32_t size = 0;
  std::vector<Tlv> tlvs;
};

// Decodes one real layout-B blob and checks the doc §4 arithmetic on it.
RealObject ParseRealLayoutB(const std::string& b64) {
  RealObject o;
  o.blob = DecodeBase64Any(b64);
  o.size = U32At(o.blob, 28);
  EXPECT_EQ(U32At(o.blob, 16), 12 + o.size);
  EXPECT_EQ(o.blob.size() - 256, 32 + o.size + 264);
  std::size_t end = 0;
  o.tlvs = WalkTlvs(o.blob, 32, U32At(o.blob, 24), &end);
  EXPECT_LE(end, 32 + o.size);
  EXPECT_TRUE(std::all_of(o.blob.begin() + static_cast<std::ptrdiff_t>(end), o.blob.end() - 256,
                          [](std::uint8_t b) { return b == 0; }));
  return o;
}

// Same IDs in the same order with the same lengths, and the same values for
// everything that does not depend on the particular key.
void ExpectSameStructure(const std::vector<Tlv>& real, const std::vector<Attribute>& ours) {
  ASSERT_EQ(real.size(), ours.size());
  const std::set<std::uint32_t> key_specific = {kAttrId, kAttrKcv, kAttrModulus, kAttrValueLen, 0x80000005};
  for (std::size_t i = 0; i < real.size(); ++i) {
    SCOPED_TRACE("attribute #" + std::to_string(i) + " type " + std::to_string(real[i].type));
    EXPECT_EQ(real[i].type, ours[i].type);
    EXPECT_EQ(real[i].value.size(), ours[i].value.size());
    if (key_specific.count(real[i].type) == 0) {
      EXPECT_EQ(real[i].value, ours[i].value);
    }
  }
}

nlohmann::json LoadRealAttestation(const char* folder) {
  const auto dir = RealTestdataDir();
  if (!dir || !std::filesystem::exists(*dir / folder / "attestation.json")) return nullptr;
  return nlohmann::json::parse(ReadFileText(*dir / folder / "attestation.json")).at("attributes").at("attestation");
}

TEST(SupportRealData, AzureRsaBlobsHaveTheStructureTheBuilderWrites) {
  const nlohmann::json att = LoadRealAttestation("azure-sdk-js-rsa2048");
  if (att.is_null()) GTEST_SKIP() << "../shared/testdata/real/azure-sdk-js-rsa2048 is absent";
  const RealObject priv = ParseRealLayoutB(att.at("privateKeyAttestation"));
  const RealObject pub = ParseRealLayoutB(att.at("publicKeyAttestation"));

  EvpPkeyPtr subject = LoadTestKey(TestKeyId::kSubjectRsa2048);
  const auto our_priv = RsaPrivateAttributes(subject.get(), kKeyId);
  ExpectSameStructure(priv.tlvs, our_priv);
  ExpectSameStructure(pub.tlvs, RsaPublicAttributes(subject.get(), kKeyId));
  // The real private object has our default slack: size = TLV bytes + 16.
  EXPECT_EQ(priv.size, EncodeTlvs(our_priv).size() + 16);

  // The real signature is our layout-B scheme under the Marvell partition
  // certificate (second in the bundle).
  const Bytes pem_bytes = DecodeBase64Any(att.at("certificatePemFile"));
  const std::string pem(pem_bytes.begin(), pem_bytes.end());
  X509Ptr partition = CertFromPem(pem.substr(pem.find("-----BEGIN", 1)));
  EVP_PKEY* partition_key = X509_get0_pubkey(partition.get());
  for (const RealObject* o : {&priv, &pub}) {
    const Bytes data(o->blob.begin(), o->blob.end() - 256);
    EXPECT_EQ(RsaPublicRaw(partition_key, Bytes(o->blob.end() - 256, o->blob.end())),
              Pkcs1Type1Encode(256, Sha256Of(data)));
  }
}

TEST(SupportRealData, AzureEcAndAesBlobsHaveTheStructureTheBuilderWrites) {
  const nlohmann::json ec = LoadRealAttestation("azure-sdk-net-ec-p256");
  const nlohmann::json aes = LoadRealAttestation("azure-sdk-net-oct-aes256");
  if (ec.is_null() || aes.is_null()) GTEST_SKIP() << "../shared/testdata/real Azure EC/AES absent";
  EvpPkeyPtr subject = LoadTestKey(TestKeyId::kSubjectEcP256);
  ExpectSameStructure(ParseRealLayoutB(ec.at("privateKeyAttestation")).tlvs,
                      EcPrivateAttributes(subject.get(), kKeyId));
  ExpectSameStructure(ParseRealLayoutB(ec.at("publicKeyAttestation")).tlvs, EcPublicAttributes(subject.get(), kKeyId));
  ExpectSameStructure(ParseRealLayoutB(aes.at("privateKeyAttestation")).tlvs, AesSecretAttributes(kKeyId));
}

}  // namespace
}  // namespace keyattest::testing
