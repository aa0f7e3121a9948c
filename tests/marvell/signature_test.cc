// Blob signature schemes (docs/marvell-format.md §9.2): the layout picks the scheme and
// the whole encoded message must match.
#include <gtest/gtest.h>

#include "keyattest/marvell/signature.h"
#include "tests/support/synthetic.h"

namespace keyattest {
namespace {

using namespace keyattest::testing;
using marvell::Layout;
using marvell::VerifyBlobSignature;

class SignatureTest : public ::testing::Test {
 protected:
  SignatureTest()
      : signer_(LoadTestKey(TestKeyId::kPartitionRsa2048)),
        other_(LoadTestKey(TestKeyId::kOtherPartitionRsa2048)),
        key_(LoadTestKey(TestKeyId::kSubjectRsa2048)),
        body_(LayoutBBuilder({14, RsaPrivateAttributes(key_.get(), kSyntheticId), {}, {}}).Unsigned()) {}
  EvpPkeyPtr signer_, other_, key_;
  Bytes body_;
};

TEST_F(SignatureTest, ExpectedEncodingsDifferOnlyByDigestInfo) {
  Bytes h(32, 0xab);
  Bytes b = marvell::ExpectedEncodedMessage(Layout::kB, h, 256);
  Bytes a = marvell::ExpectedEncodedMessage(Layout::kA, h, 256);
  ASSERT_EQ(b.size(), 256u);
  ASSERT_EQ(a.size(), 256u);
  EXPECT_EQ(b[0], 0x00);
  EXPECT_EQ(b[1], 0x01);
  EXPECT_EQ(b[2 + 221], 0x00);  // 221 x FF for k = 256
  EXPECT_EQ(std::count(b.begin(), b.end(), 0xff), 221);
  EXPECT_EQ(std::count(a.begin() + 2, a.begin() + 204, 0xff), 202);
  EXPECT_EQ(HexEncode(ByteSpan(a).subspan(205, 19)), "3031300d060960864801650304020105000420");
}

TEST_F(SignatureTest, LayoutBSchemeVerifies) {
  Bytes blob = Concat(body_, SignLayoutBScheme(signer_.get(), body_));
  auto v = VerifyBlobSignature(blob, Layout::kB, signer_.get());
  EXPECT_TRUE(v.ok) << v.detail;
}

TEST_F(SignatureTest, LayoutASchemeVerifies) {
  Bytes blob = Concat(body_, DigestSignSha256(signer_.get(), body_));
  EXPECT_TRUE(VerifyBlobSignature(blob, Layout::kA, signer_.get()).ok);
}

TEST_F(SignatureTest, SchemeIsBoundToLayout) {
  Bytes pkcs1 = Concat(body_, DigestSignSha256(signer_.get(), body_));
  EXPECT_EQ(VerifyBlobSignature(pkcs1, Layout::kB, signer_.get()).detail,
            "signature uses the other layout's encoding; layout B requires PKCS#1 type-1 padding around the bare "
            "SHA-256 (no DigestInfo)");
  Bytes raw = Concat(body_, SignLayoutBScheme(signer_.get(), body_));
  EXPECT_EQ(VerifyBlobSignature(raw, Layout::kA, signer_.get()).detail,
            "signature uses the other layout's encoding; layout A requires RSASSA-PKCS1-v1_5 with SHA-256 DigestInfo");
}

TEST_F(SignatureTest, TrailingHashWithBadPaddingIsRejected) {
  // Microsoft's check compares only the last 32 bytes; we compare all of EM.
  Bytes em = Pkcs1Type1Encode(256, Sha256(body_));
  em[10] = 0xfe;
  Bytes blob = Concat(body_, RsaPrivateRaw(signer_.get(), em));
  EXPECT_FALSE(VerifyBlobSignature(blob, Layout::kB, signer_.get()).ok);
}

TEST_F(SignatureTest, OtherKeyFails) {
  Bytes blob = Concat(body_, SignLayoutBScheme(other_.get(), body_));
  EXPECT_EQ(VerifyBlobSignature(blob, Layout::kB, signer_.get()).detail,
            "signature does not verify (PKCS#1 type-1 padding around the bare SHA-256 (no DigestInfo)) under the "
            "partition key");
}

TEST_F(SignatureTest, NonRsaPartitionKeyFails) {
  EvpPkeyPtr ec = LoadTestKey(TestKeyId::kEcP256Signer);
  Bytes blob = Concat(body_, Bytes(256, 1));
  EXPECT_EQ(VerifyBlobSignature(blob, Layout::kB, ec.get()).detail, "partition key is not an RSA key");
}

TEST_F(SignatureTest, Rsa4096PartitionUses512ByteSignatures) {
  EvpPkeyPtr big = LoadTestKey(TestKeyId::kPartitionRsa4096);
  Bytes blob = Concat(body_, SignLayoutBScheme(big.get(), body_));
  EXPECT_TRUE(VerifyBlobSignature(blob, Layout::kB, big.get()).ok);
  EXPECT_FALSE(VerifyBlobSignature(blob, Layout::kB, signer_.get()).ok);
}

}  // namespace
}  // namespace keyattest
