// The ATTESTATION_REPORT parser and its format rules (docs/snp.md "Report
// layout", "Format rules"), on reports from the builder.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "keyattest/amd/snp_report.h"
#include "keyattest/core/byte_reader.h"
#include "tests/support/snp_builder.h"

namespace keyattest::amd {
namespace {

using testing::SnpReportBuilder;

std::vector<std::string> Problems(const Bytes& bytes) { return ValidateSnpReportFormat(ParseSnpReport(bytes)); }

std::string Joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += s + "\n";
  return out;
}

TEST(SnpReportTest, ParsesEveryFieldAtItsOffset) {
  SnpReportBuilder b;
  b.U32(0x004, 0x11223344).U32(0x030, 2).U64(0x040, 0x21).U32(0x048, 0x3);
  b.U8(0x090, 0x90).U8(0x0E0, 0xE0).U8(0x110, 0x11).U8(0x140, 0x40);
  b.CurrentTcb(0x0102030405060708ULL).ReportedTcb(0x1112131415161718ULL);
  b.CommittedTcb(0x2122232425262728ULL).LaunchTcb(0x3132333435363738ULL);
  const Bytes raw = b.Unsigned();
  const SnpReport r = ParseSnpReport(raw);
  EXPECT_EQ(r.version, 2u);
  EXPECT_EQ(r.guest_svn, 0x11223344u);
  EXPECT_EQ(r.policy, 0x3001fu);
  EXPECT_EQ(r.family_id[0], 1);
  EXPECT_EQ(r.image_id[0], 2);
  EXPECT_EQ(r.vmpl, 2u);
  EXPECT_EQ(r.signature_algo, 1u);
  EXPECT_EQ(r.current_tcb, 0x0102030405060708ULL);
  EXPECT_EQ(r.platform_info, 0x21u);
  EXPECT_EQ(r.signer_info, 3u);
  EXPECT_TRUE(r.author_key_en());
  EXPECT_TRUE(r.mask_chip_key());
  EXPECT_EQ(r.signing_key(), 0u);
  EXPECT_EQ(r.measurement[0], 0x90);
  EXPECT_EQ(r.id_key_digest[0], 0xE0);
  EXPECT_EQ(r.author_key_digest[0], 0x11);
  EXPECT_EQ(r.report_id[0], 0x40);
  EXPECT_EQ(r.report_id_ma[31], 0xff);
  EXPECT_EQ(r.reported_tcb, 0x1112131415161718ULL);
  EXPECT_EQ(r.chip_id, testing::TestChipId());
  EXPECT_EQ(r.committed_tcb, 0x2122232425262728ULL);
  EXPECT_EQ(r.current_major, 1);
  EXPECT_EQ(r.current_minor, 52);
  EXPECT_EQ(r.current_build, 4);
  EXPECT_EQ(r.committed_minor, 52);
  EXPECT_EQ(r.launch_tcb, 0x3132333435363738ULL);
  EXPECT_EQ(r.report_data.size(), 64u);
  EXPECT_EQ(r.host_data.size(), 32u);
  EXPECT_EQ(r.signature_r.size(), 72u);
  EXPECT_EQ(r.signature_reserved.size(), 368u);
  EXPECT_EQ(r.raw, raw);
  EXPECT_EQ(r.signed_bytes().size(), 0x2A0u);
}

TEST(SnpReportTest, TheBuilderDefaultIsWellFormed) { EXPECT_EQ(Joined(Problems(SnpReportBuilder().Unsigned())), ""); }

TEST(SnpReportTest, EveryOtherLengthIsAParseErrorNamingTheSize) {
  const Bytes good = SnpReportBuilder().Unsigned();
  for (std::size_t n = 0; n < good.size(); ++n) {
    EXPECT_THROW(ParseSnpReport(ByteSpan(good).first(n)), ParseError) << n;
  }
  Bytes longer = good;
  longer.push_back(0);
  EXPECT_THROW(
      {
        try {
          ParseSnpReport(longer);
        } catch (const ParseError& e) {
          EXPECT_EQ(std::string(e.what()),
                    "report at offset 0: an SNP attestation report is exactly 1184 bytes; this input is 1185");
          throw;
        }
      },
      ParseError);
}

TEST(SnpReportTest, VersionsTwoToFiveOnly) {
  for (std::uint32_t v : {2u, 3u, 4u, 5u}) {
    SnpReportBuilder b;
    b.Version(v);
    if (v >= 3) b.Cpuid(0x19, 0x01, 0x01);
    EXPECT_EQ(Joined(Problems(b.Unsigned())), "") << v;
  }
  for (std::uint32_t v : {0u, 1u, 6u, 0xffffffffu}) {
    const auto p = Problems(SnpReportBuilder().Version(v).Unsigned());
    ASSERT_EQ(p.size(), 1u) << v;
    EXPECT_EQ(p[0], "version (0x000) is " + std::to_string(v) + "; supported versions are 2 to 5");
  }
}

TEST(SnpReportTest, PolicyBit17MustBeSetAndBits63To26Clear) {
  EXPECT_EQ(Problems(SnpReportBuilder().Policy(0x1001f).Unsigned()),
            std::vector<std::string>{"policy (0x008) bit 17 is reserved and must be 1; policy is 0x1001f"});
  for (int bit = 26; bit < 64; ++bit) {
    EXPECT_EQ(Problems(SnpReportBuilder().Policy(0x3001fULL | (1ULL << bit)).Unsigned()).size(), 1u) << bit;
  }
  // Bits 16 and 18-25 are defined: each alone is well formed.
  for (int bit : {16, 18, 19, 20, 21, 22, 23, 24, 25}) {
    EXPECT_TRUE(Problems(SnpReportBuilder().Policy(0x20000ULL | (1ULL << bit)).Unsigned()).empty()) << bit;
  }
}

TEST(SnpReportTest, SignerInfoReservedBitsAndSigningKeys) {
  for (int bit = 5; bit < 32; ++bit) {
    EXPECT_EQ(Problems(SnpReportBuilder().SignerInfo(1U << bit).Unsigned()).size(), 1u) << bit;
  }
  for (std::uint32_t key : {2u, 3u, 4u, 5u, 6u}) {
    const auto p = Problems(SnpReportBuilder().SignerInfo(key << 2).Unsigned());
    ASSERT_EQ(p.size(), 1u);
    EXPECT_EQ(p[0], "signer info (0x048) SIGNING_KEY " + std::to_string(key) + " is reserved (0 VCEK, 1 VLEK, 7 none)");
  }
  for (std::uint32_t key : {0u, 1u, 7u}) {
    EXPECT_TRUE(Problems(SnpReportBuilder().SignerInfo((key << 2) | 3).Unsigned()).empty()) << key;
  }
}

TEST(SnpReportTest, PlatformInfoReservedBits) {
  EXPECT_TRUE(Problems(SnpReportBuilder().U64(0x040, 0xBF).Unsigned()).empty());
  EXPECT_EQ(Problems(SnpReportBuilder().U64(0x040, 0x40).Unsigned()).size(), 1u);
  EXPECT_EQ(Problems(SnpReportBuilder().U64(0x040, 0x100).Unsigned()).size(), 1u);
  EXPECT_EQ(Problems(SnpReportBuilder().U64(0x040, 1ULL << 63).Unsigned()).size(), 1u);
}

struct ReservedCase {
  std::uint32_t version;
  std::size_t offset;
  bool must_be_zero;
};

TEST(SnpReportTest, MustBeZeroRangesDependOnTheVersion) {
  const ReservedCase cases[] = {
      {2, 0x04C, true},  {2, 0x04F, true}, {2, 0x188, true},  {2, 0x18A, true},  {3, 0x188, false},
      {3, 0x18A, false}, {3, 0x18B, true}, {5, 0x19F, true},  {2, 0x1EB, true},  {2, 0x1EF, true},
      {2, 0x1F8, true},  {4, 0x207, true}, {5, 0x1F8, false}, {5, 0x207, false}, {5, 0x208, true},
      {2, 0x29F, true},  {2, 0x330, true}, {2, 0x49F, true},  {2, 0x1E8, false}, {2, 0x1EE, false},
  };
  for (const ReservedCase& c : cases) {
    SnpReportBuilder b;
    b.Version(c.version);
    if (c.version >= 3) b.Cpuid(0x19, 0x01, 0x01);
    b.U8(c.offset, 0x5a);
    const auto p = Problems(b.Unsigned());
    EXPECT_EQ(p.size(), c.must_be_zero ? 1u : 0u) << "version " << c.version << " offset " << c.offset << "\n"
                                                  << Joined(p);
  }
}

TEST(SnpReportTest, MustBeZeroMessageNamesTheRangeAndTheByte) {
  const auto p = Problems(SnpReportBuilder().U8(0x331, 0x7).Unsigned());
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0], "signature reserved bytes after r and s (0x330-0x49f) must be zero; byte at 0x331 is 0x7");
}

TEST(SnpReportTest, JsonFormDecodesToTheSameBytes) {
  const Bytes raw = SnpReportBuilder().Unsigned();
  const std::string json = "{\"report\": \"" + HexEncode(raw) + "\"}";
  EXPECT_EQ(DecodeSnpReportInput(AsBytes(json)), raw);
  EXPECT_EQ(DecodeSnpReportInput(raw), raw);  // binary passes through
}

TEST(SnpReportTest, MalformedJsonFormsAreRejectedWithTheReason) {
  const std::string hex = HexEncode(SnpReportBuilder().Unsigned());
  const std::pair<std::string, std::string> cases[] = {
      {"{\"report\": \"" + hex.substr(1) + "\"}", "is not hex"},
      {"{\"report\": \"" + hex.substr(2) + "zz\"}", "is not hex"},
      {"{\"report\": \"" + hex + "\", \"x\": 1}", "must be exactly"},
      {"{\"report\": 5}", "must be exactly"},
      {"{\"report\": \"aa\", \"report\": \"bb\"}", "does not parse"},
      {"{\"report\": ", "does not parse"},
      {" []", "must be exactly"},
  };
  for (const auto& [input, reason] : cases) {
    try {
      DecodeSnpReportInput(AsBytes(input));
      ADD_FAILURE() << "accepted " << input.substr(0, 40);
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(reason), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace keyattest::amd
