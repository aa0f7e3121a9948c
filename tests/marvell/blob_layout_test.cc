// Strict layout A / layout B parsing: every structural rule of docs/marvell-format.md
// §3.1, §4 and §13 has a failing case next to its passing twin.
#include <gtest/gtest.h>

#include "keyattest/marvell/blob.h"
#include "keyattest/marvell/signature.h"
#include "tests/support/synthetic.h"

namespace keyattest {
namespace {

using namespace keyattest::testing;
using marvell::Layout;
using marvell::ParseBlob;

class BlobLayoutTest : public ::testing::Test {
 protected:
  BlobLayoutTest()
      : key_(LoadTestKey(TestKeyId::kSubjectRsa2048)),
        signer_(LoadTestKey(TestKeyId::kPartitionRsa2048)),
        priv_(RsaPrivateAttributes(key_.get(), kSyntheticId)),
        pub_(RsaPublicAttributes(key_.get(), kSyntheticId)) {}

  std::string ErrorOf(const Bytes& blob) {
    try {
      ParseBlob(blob, 256);
    } catch (const ParseError& e) {
      return e.what();
    }
    ADD_FAILURE() << "blob accepted";
    return "";
  }
  LayoutBBuilder B() const { return LayoutBBuilder({14, priv_, {}, {}}); }
  LayoutABuilder ASingle() const { return LayoutABuilder({{0x1f0a, priv_, {}, {}}}); }
  LayoutABuilder APair() const { return LayoutABuilder({{2022, pub_, {}, {}}, {8870, priv_, {}, {}}}); }

  EvpPkeyPtr key_;
  EvpPkeyPtr signer_;
  std::vector<Attribute> priv_;
  std::vector<Attribute> pub_;
};

constexpr char kAsB[] = "layout at offset 0: not a valid layout A or B blob; as layout B: ";
constexpr char kAsA[] = "layout at offset 0: not a valid layout A or B blob; as layout A: ";

TEST_F(BlobLayoutTest, LayoutBParses) {
  Bytes blob = B().Sign(signer_.get());
  marvell::ParsedBlob p = ParseBlob(blob, 256);
  EXPECT_EQ(p.layout, Layout::kB);
  ASSERT_EQ(p.objects.size(), 1u);
  EXPECT_EQ(p.objects[0].handle, 14u);
  EXPECT_EQ(p.objects[0].attributes.size(), priv_.size());
  EXPECT_EQ(p.objects[0].declared_size, p.objects[0].tlv_bytes + 16);
  EXPECT_TRUE(p.warnings.empty());
  EXPECT_THROW(marvell::ParseLayoutA(blob, 256), ParseError);
}

TEST_F(BlobLayoutTest, LayoutBReservedPrefixMustBeZero) {
  Bytes prefix(16, 0);
  prefix[3] = 7;
  EXPECT_EQ(ErrorOf(B().SetPrefix(prefix).Sign(signer_.get())),
            std::string(kAsB) + "header.reserved at offset 3: byte is 0x07, expected 0");
  prefix.assign(16, 0);
  prefix[15] = 1;
  EXPECT_EQ(ErrorOf(B().SetPrefix(prefix).Sign(signer_.get())),
            std::string(kAsB) + "header.reserved at offset 15: byte is 0x01, expected 0");
}

TEST_F(BlobLayoutTest, LayoutBObjectLengthMustBeTwelvePlusSize) {
  Bytes blob = B().Sign(signer_.get());
  std::uint32_t size =
      (std::uint32_t{blob[28]} << 24) | (std::uint32_t{blob[29]} << 16) | (std::uint32_t{blob[30]} << 8) | blob[31];
  EXPECT_EQ(ErrorOf(B().SetObjectLengthField(size + 11).Sign(signer_.get())),
            std::string(kAsB) + "header.object_length at offset 16: is " + std::to_string(size + 11) +
                ", expected 12 + object size " + std::to_string(size));
}

TEST_F(BlobLayoutTest, LayoutBSizeBeyondSignatureFails) {
  std::string e = ErrorOf(B().SetSize(5000).SetObjectLengthField(5012).Sign(signer_.get()));
  EXPECT_EQ(e.rfind(std::string(kAsB) + "object.size at offset 28: 5000 exceeds the", 0), 0u) << e;
}

TEST_F(BlobLayoutTest, LayoutBSizeSmallerThanTlvsFails) {
  Bytes blob = B().Sign(signer_.get());
  marvell::ParsedBlob p = ParseBlob(blob, 256);
  auto small = static_cast<std::uint32_t>(p.objects[0].tlv_bytes - 1);
  std::string e = ErrorOf(B().SetSize(small).SetObjectLengthField(small + 12).Sign(signer_.get()));
  EXPECT_NE(e.find("remain"), std::string::npos) << e;
}

TEST_F(BlobLayoutTest, CountZeroAndCountTooLarge) {
  EXPECT_EQ(ErrorOf(B().SetCount(0).Sign(signer_.get())),
            std::string(kAsB) + "object.attribute_count at offset 24: is 0");
  EXPECT_EQ(ErrorOf(B().SetCount(257).Sign(signer_.get())),
            std::string(kAsB) + "object.attribute_count at offset 24: 257 exceeds the limit of 256");
  std::string e = ErrorOf(B().SetCount(0x7fffffff).Sign(signer_.get()));
  EXPECT_NE(e.find("exceeds the limit"), std::string::npos) << e;
  // One more attribute than present walks into the slack and fails there.
  EXPECT_NE(ErrorOf(B().SetCount(static_cast<std::uint32_t>(priv_.size() + 3)).Sign(signer_.get())), "");
}

TEST_F(BlobLayoutTest, TlvLengthPastObjectEndFails) {
  auto attrs = priv_;
  // Grow the last attribute's declared length by corrupting the encoded TLVs.
  Bytes blob = LayoutBBuilder({14, attrs, {}, {}}).SetSlack(0).Sign(signer_.get());
  // First TLV (CLASS) length field at 36..39: claim 2000 bytes.
  blob[38] = 0x07;
  blob[39] = 0xd0;
  std::string e = ErrorOf(blob);
  EXPECT_EQ(e, std::string(kAsB) + "attribute.length at offset 36: type 0x00000000 declares 2000 bytes but only " +
                   std::to_string(ParseBlob(LayoutBBuilder({14, attrs, {}, {}}).SetSlack(0).Sign(signer_.get()), 256)
                                      .objects[0]
                                      .declared_size -
                                  8) +
                   " remain in the object");
}

TEST_F(BlobLayoutTest, DuplicateAttributeFails) {
  auto attrs = priv_;
  AppendAttribute(attrs, 0x0162, {0});
  std::string e = ErrorOf(LayoutBBuilder({14, attrs, {}, {}}).Sign(signer_.get()));
  EXPECT_NE(e.find("duplicate attribute type 0x00000162"), std::string::npos) << e;
}

// A repeated type is found where it is read, whatever the order of types:
// the error names the first type to repeat in blob order (0x7777), not the
// smallest repeated one (the object's first type, repeated after it).
TEST_F(BlobLayoutTest, TheFirstTypeToRepeatInBlobOrderIsReported) {
  auto attrs = priv_;
  AppendAttribute(attrs, 0x7777, {0});
  AppendAttribute(attrs, 0x7777, {1});
  attrs.push_back(attrs.front());
  std::string e = ErrorOf(LayoutBBuilder({14, attrs, {}, {}}).Sign(signer_.get()));
  EXPECT_NE(e.find("duplicate attribute type 0x00007777"), std::string::npos) << e;
  attrs.erase(attrs.end() - 2);  // now only the object's first type repeats, last
  e = ErrorOf(LayoutBBuilder({14, attrs, {}, {}}).Sign(signer_.get()));
  EXPECT_NE(e.find("duplicate attribute type 0x00000000"), std::string::npos) << e;
}

TEST_F(BlobLayoutTest, NonZeroFillFails) {
  Bytes blob = B().SetFillByte(3, 0x55).Sign(signer_.get());
  std::string e = ErrorOf(blob);
  EXPECT_NE(e.find("zero_fill at offset"), std::string::npos) << e;
  EXPECT_NE(e.find("byte is 0x55"), std::string::npos) << e;
}

TEST_F(BlobLayoutTest, UnusualTrailerIsOnlyAWarning) {
  marvell::ParsedBlob p = ParseBlob(B().SetTrailingZeros(100).Sign(signer_.get()), 256);
  ASSERT_EQ(p.warnings.size(), 1u);
  EXPECT_EQ(p.warnings[0], "layout B: 100 bytes follow the declared object, every known sample has 264");
}

TEST_F(BlobLayoutTest, LayoutASingleAndPairParse) {
  marvell::ParsedBlob one = ParseBlob(ASingle().Sign(signer_.get()), 256);
  EXPECT_EQ(one.layout, Layout::kA);
  EXPECT_EQ(one.objects.size(), 1u);
  EXPECT_EQ(one.a.handles, (std::vector<std::uint64_t>{0x1f0a}));
  marvell::ParsedBlob two = ParseBlob(APair().Sign(signer_.get()), 256);
  ASSERT_EQ(two.objects.size(), 2u);
  EXPECT_EQ(two.a.info_offset, 32u);
  EXPECT_EQ(two.objects[1].handle, 8870u);
  EXPECT_THROW(marvell::ParseLayoutB(APair().Sign(signer_.get()), 256), ParseError);
}

TEST_F(BlobLayoutTest, LayoutAHeaderInvariants) {
  EXPECT_EQ(ErrorOf(ASingle().SetResponseCode(1).Sign(signer_.get())),
            std::string(kAsA) + "header.response_code at offset 0: is 1, expected 0");
  EXPECT_EQ(ErrorOf(ASingle().SetFlags(7).Sign(signer_.get())),
            std::string(kAsA) + "header.flags at offset 4: is 0x00000007, expected 0x00000003 (GET_ATTR|GET_ATTEST)");
  EXPECT_EQ(ErrorOf(ASingle().SetFlags(1).Sign(signer_.get())),
            std::string(kAsA) + "header.flags at offset 4: is 0x00000001, expected 0x00000003 (GET_ATTR|GET_ATTEST)");
  Bytes good = ASingle().Sign(signer_.get());
  EXPECT_EQ(ErrorOf(ASingle().SetTotalSize(static_cast<std::uint32_t>(good.size() + 1)).Sign(signer_.get())),
            std::string(kAsA) + "header.total_size at offset 8: is " + std::to_string(good.size() + 1) +
                " but the blob is " + std::to_string(good.size()) + " bytes");
  std::string e = ErrorOf(ASingle().SetBufferSize(0xffffffff).Sign(signer_.get()));
  EXPECT_EQ(e.rfind(std::string(kAsA) + "header.buffer_size at offset 12: 4294967295 leaves no room", 0), 0u) << e;
  EXPECT_EQ(ErrorOf(ASingle().SetInfoVersion(2).Sign(signer_.get())),
            std::string(kAsA) + "info.version at offset 24: is 2, expected 1");
  EXPECT_EQ(ErrorOf(ASingle().SetInfoFlags(1).Sign(signer_.get())),
            std::string(kAsA) + "info.flags at offset 26: is 1, expected the header flags 3");
}

TEST_F(BlobLayoutTest, LayoutAHandlePrefixAndOffsets) {
  std::string e = ErrorOf(ASingle().SetHandles({1, 2, 3}).Sign(signer_.get()));
  EXPECT_EQ(e, std::string(kAsA) +
                   "header.handles at offset 16: 24 bytes of key handles, expected 8 (one key) or 16 (key pair)");
  e = ErrorOf(ASingle().SetHandles({0x1f0b}).Sign(signer_.get()));
  EXPECT_EQ(e, std::string(kAsA) + "header.handle at offset 16: 7947 does not match object handle 7946");
  e = ErrorOf(APair().SetOffset1(12).Sign(signer_.get()));
  EXPECT_EQ(e, std::string(kAsA) + "info.first_object_offset at offset 36: is 12, expected 8");
  e = ErrorOf(APair().SetOffset2(100).Sign(signer_.get()));
  EXPECT_EQ(e.rfind(std::string(kAsA) + "info.second_object_offset at offset 38: is 100, expected ", 0), 0u) << e;
  e = ErrorOf(APair().SetOffset2(0).Sign(signer_.get()));
  EXPECT_NE(e.find("unparsed bytes before the signature"), std::string::npos) << e;
}

TEST_F(BlobLayoutTest, LayoutAObjectSizeMustEqualTlvBytes) {
  marvell::ParsedBlob p = ParseBlob(ASingle().Sign(signer_.get()), 256);
  auto size = p.objects[0].declared_size;
  std::string e = ErrorOf(ASingle().SetObjectSize(0, size - 1).Sign(signer_.get()));
  EXPECT_FALSE(e.empty());
  e = ErrorOf(ASingle().SetObjectSize(0, size + 8).Sign(signer_.get()));
  EXPECT_FALSE(e.empty());
}

TEST_F(BlobLayoutTest, ShortAndOversizedBlobs) {
  EXPECT_EQ(ErrorOf(Bytes{}), "blob at offset 0: is empty");
  EXPECT_EQ(ErrorOf(Bytes(287, 0)),
            "blob at offset 0: 287 bytes is shorter than the minimum of 288 (32-byte header + 256-byte signature)");
  EXPECT_EQ(ErrorOf(Bytes(65537, 0)), "blob at offset 0: 65537 bytes exceeds the limit of 65536");
}

TEST_F(BlobLayoutTest, TruncationSweepNeverCrashesAndNeverVerifies) {
  for (const Bytes& full : {ASingle().Sign(signer_.get()), APair().Sign(signer_.get()), B().Sign(signer_.get())}) {
    for (std::size_t len = 0; len < full.size(); ++len) {
      Bytes cut(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(len));
      try {
        marvell::ParsedBlob p = ParseBlob(cut, 256);
        // Layout A pins the length (total_size); only a layout-B cut inside
        // the zero trailer can still parse, and then the signature fails.
        EXPECT_EQ(p.layout, Layout::kB) << "length " << len;
        EXPECT_FALSE(marvell::VerifyBlobSignature(cut, p.layout, signer_.get()).ok) << "length " << len;
      } catch (const ParseError&) {
      }
    }
  }
}

}  // namespace
}  // namespace keyattest
