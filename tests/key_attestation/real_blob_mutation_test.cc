// Every region of a real blob is covered by a check: truncation at every
// length and a bit flip in every byte must fail, never crash, never verify.
#include <gtest/gtest.h>

#include "keyattest/key_attestation/verifier.h"
#include "tests/support/test_paths.h"

namespace keyattest {
namespace {

class RealBlobMutationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    options_ = DefaultVerifyOptions();
    doc_ = ParseAttestationDocument(testing::ReadRepoSample("azure-sdk-js-rsa2048"));
    original_ = doc_.private_key_attestation;
  }

  Report WithPrivateBlob(Bytes blob) {
    doc_.private_key_attestation = std::move(blob);
    return VerifyAzureAttestation(doc_, options_);
  }

  std::string Detail(const Report& r, const std::string& id) {
    const CheckResult* c = r.Find(id);
    return c ? c->detail : "(no check " + id + ")";
  }

  VerifyOptions options_;
  AttestationDocument doc_;
  Bytes original_;
};

TEST_F(RealBlobMutationTest, OriginalVerifies) { EXPECT_EQ(WithPrivateBlob(original_).verdict(), Verdict::kVerified); }

TEST_F(RealBlobMutationTest, EveryTruncationFails) {
  for (std::size_t len = 0; len < original_.size(); ++len) {
    Report r = WithPrivateBlob(Bytes(original_.begin(), original_.begin() + static_cast<std::ptrdiff_t>(len)));
    ASSERT_EQ(r.verdict(), Verdict::kFailed) << "truncated to " << len;
    // Cutting into the 264-byte zero trailer still parses; the signature
    // (now misaligned) must then fail.
    ASSERT_TRUE(r.Find("private.structure")->status == CheckStatus::kFail ||
                r.Find("private.signature")->status == CheckStatus::kFail)
        << "truncated to " << len;
  }
}

TEST_F(RealBlobMutationTest, EverySingleBitFlipFails) {
  for (std::size_t i = 0; i < original_.size(); ++i) {
    Bytes b = original_;
    b[i] ^= static_cast<std::uint8_t>(1u << (i % 8));
    ASSERT_EQ(WithPrivateBlob(b).verdict(), Verdict::kFailed) << "flip in byte " << i;
  }
}

TEST_F(RealBlobMutationTest, HeaderReservedByte) {
  Bytes b = original_;
  b[5] = 1;
  EXPECT_EQ(
      Detail(WithPrivateBlob(b), "private.structure"),
      "layout at offset 0: not a valid layout A or B blob; as layout B: header.reserved at offset 5: byte is 0x01, "
      "expected 0");
}

TEST_F(RealBlobMutationTest, HeaderObjectLength) {
  Bytes b = original_;
  b[19] ^= 1;
  EXPECT_EQ(Detail(WithPrivateBlob(b), "private.structure"),
            "layout at offset 0: not a valid layout A or B blob; as layout B: header.object_length at offset 16: is "
            "982, expected 12 + object size 971");
}

TEST_F(RealBlobMutationTest, AttributeValueFlipFailsSignature) {
  // OBJ_ATTR_EXTRACTABLE (0x162) is the 13th TLV; flip its value 0 -> 1.
  Bytes b = original_;
  std::size_t pos = 32;
  for (int i = 0; i < 13; ++i) {
    std::uint32_t type = (std::uint32_t{b[pos]} << 24) | (std::uint32_t{b[pos + 1]} << 16) |
                         (std::uint32_t{b[pos + 2]} << 8) | b[pos + 3];
    std::uint32_t len = (std::uint32_t{b[pos + 4]} << 24) | (std::uint32_t{b[pos + 5]} << 16) |
                        (std::uint32_t{b[pos + 6]} << 8) | b[pos + 7];
    if (type == 0x162) break;
    pos += 8 + len;
  }
  ASSERT_EQ(b[pos + 3], 0x62);
  ASSERT_EQ(b[pos + 8], 0);
  b[pos + 8] = 1;
  Report r = WithPrivateBlob(b);
  EXPECT_EQ(r.Find("private.structure")->status, CheckStatus::kPass);
  EXPECT_EQ(r.Find("private.attributes")->status, CheckStatus::kPass);
  EXPECT_EQ(Detail(r, "private.signature"),
            "signature does not verify (PKCS#1 type-1 padding around the bare SHA-256 (no DigestInfo)) under the "
            "partition key");
}

TEST_F(RealBlobMutationTest, AttributeValueOutOfRange) {
  Bytes b = original_;
  // OBJ_ATTR_CLASS is the first TLV at 32; its 1-byte value at 40.
  b[40] = 9;
  EXPECT_EQ(Detail(WithPrivateBlob(b), "private.attributes"), "OBJ_ATTR_CLASS at offset 32: has unknown value 9");
}

TEST_F(RealBlobMutationTest, ZeroFillByte) {
  Bytes b = original_;
  b[1200] = 0x01;
  EXPECT_EQ(Detail(WithPrivateBlob(b), "private.structure"),
            "layout at offset 0: not a valid layout A or B blob; as layout B: zero_fill at offset 1200: byte is 0x01, "
            "expected 0 between the last attribute and the signature");
}

TEST_F(RealBlobMutationTest, SignatureByte) {
  Bytes b = original_;
  b[b.size() - 1] ^= 0x80;
  Report r = WithPrivateBlob(b);
  EXPECT_EQ(r.Find("private.structure")->status, CheckStatus::kPass);
  EXPECT_EQ(Detail(r, "private.signature"),
            "signature does not verify (PKCS#1 type-1 padding around the bare SHA-256 (no DigestInfo)) under the "
            "partition key");
}

TEST_F(RealBlobMutationTest, SignatureAllOnesIsNotLessThanModulus) {
  Bytes b = original_;
  std::fill(b.end() - 256, b.end(), 0xff);
  EXPECT_EQ(Detail(WithPrivateBlob(b), "private.signature"),
            "signature value is not less than the partition key's modulus");
}

TEST_F(RealBlobMutationTest, SignatureZero) {
  Bytes b = original_;
  std::fill(b.end() - 256, b.end(), 0x00);
  EXPECT_EQ(Detail(WithPrivateBlob(b), "private.signature"), "signature value is zero");
}

TEST_F(RealBlobMutationTest, AppendedByteBreaksSignatureAlignment) {
  Bytes b = original_;
  b.push_back(0);
  EXPECT_EQ(WithPrivateBlob(b).verdict(), Verdict::kFailed);
}

}  // namespace
}  // namespace keyattest
