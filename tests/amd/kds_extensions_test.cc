// KDS extensions of a VCEK/VLEK in exact DER (docs/snp.md "VCEK
// extensions"), on certificates from the test PKI.
#include <gtest/gtest.h>

#include "keyattest/amd/kds_extensions.h"
#include "tests/support/snp_builder.h"

namespace keyattest::amd {
namespace {

using testing::DefaultKdsExtensions;
using testing::KdsExtensionMap;
using testing::MakeSnpTestPki;
using testing::SnpPkiOptions;
using testing::TestChipId;

KdsExtensions ParseWith(const KdsExtensionMap& exts, const std::string& product = "Milan",
                        EndorsementKind kind = EndorsementKind::kVcek) {
  SnpPkiOptions o;
  o.product = product;
  o.vcek_extensions = exts;
  return ParseKdsExtensions(MakeSnpTestPki(o).vcek.get(), kind);
}

std::string Error(const KdsExtensionMap& exts, const std::string& product = "Milan",
                  EndorsementKind kind = EndorsementKind::kVcek) {
  try {
    ParseWith(exts, product, kind);
  } catch (const KdsExtensionError& e) {
    return e.what();
  }
  return "(accepted)";
}

KdsExtensionMap Milan() { return DefaultKdsExtensions("Milan-B0", testing::kTestTcb, TestChipId()); }

TEST(KdsExtensionsTest, ReadsTheDefaultMilanVcek) {
  const KdsExtensions e = ParseWith(Milan());
  EXPECT_EQ(e.product_name, "Milan-B0");
  EXPECT_EQ(e.product, Product::kMilan);
  EXPECT_EQ(e.boot_loader, 3);
  EXPECT_EQ(e.tee, 0);
  EXPECT_EQ(e.snp, 8);
  EXPECT_EQ(e.microcode, 115);
  EXPECT_FALSE(e.fmc.has_value());
  EXPECT_EQ(e.hwid, TestChipId());
  EXPECT_EQ(e.tcb, testing::kTestTcb);
}

TEST(KdsExtensionsTest, HighSplValuesNeedTheLeadingZeroAndOnlyThen) {
  KdsExtensionMap m = Milan();
  m["3.8"] = {0x02, 0x02, 0x00, 0xd5};
  EXPECT_EQ(ParseWith(m).microcode, 0xd5);
  m["3.8"] = {0x02, 0x01, 0xd5};  // negative INTEGER
  EXPECT_EQ(Error(m),
            "extension 1.3.6.1.4.1.3704.1.3.8 is not an INTEGER 0-255 in minimal DER (02 01 xx or 02 02 00 "
            "xx): 0201d5");
  m["3.8"] = {0x02, 0x02, 0x00, 0x73};  // non-minimal
  EXPECT_NE(Error(m), "(accepted)");
  m["3.8"] = {0x02, 0x01, 0x73, 0x00};  // trailing byte
  EXPECT_NE(Error(m), "(accepted)");
  m["3.8"] = {0x04, 0x01, 0x73};  // OCTET STRING
  EXPECT_NE(Error(m), "(accepted)");
  m["3.8"] = {0x02, 0x03, 0x00, 0x01, 0x00};  // 256
  EXPECT_NE(Error(m), "(accepted)");
}

TEST(KdsExtensionsTest, EveryRequiredExtensionMustBePresent) {
  for (const char* suffix : {"1", "2", "3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "3.7", "3.8", "4"}) {
    KdsExtensionMap m = Milan();
    m.erase(suffix);
    EXPECT_EQ(Error(m).rfind(std::string("missing extension 1.3.6.1.4.1.3704.1.") + suffix, 0), 0u) << suffix;
  }
}

TEST(KdsExtensionsTest, UnknownAndWrongProductExtensionsAreRefused) {
  KdsExtensionMap m = Milan();
  m["6"] = {0x02, 0x01, 0x00};
  EXPECT_EQ(Error(m),
            "unexpected extension 1.3.6.1.4.1.3704.1.6 (only the KDS extensions and the authority key "
            "identifier may appear)");
  m = Milan();
  m["3.9"] = {0x02, 0x01, 0x00};
  EXPECT_EQ(Error(m), "extension 1.3.6.1.4.1.3704.1.3.9 (fmcSPL) exists only on Turin, not Milan");
}

TEST(KdsExtensionsTest, ProductNameMustBeAnIa5StringNamingAProduct) {
  KdsExtensionMap m = Milan();
  m["2"] = {0x0c, 0x08, 'M', 'i', 'l', 'a', 'n', '-', 'B', '0'};  // UTF8String
  EXPECT_EQ(Error(m), "extension 1.3.6.1.4.1.3704.1.2 is not a DER IA5String: 0c084d696c616e2d4230");
  m["2"] = {0x16, 0x05, 'R', 'o', 'm', 'e', '1'};
  EXPECT_EQ(Error(m), "productName \"Rome1\" is not Milan, Genoa or Turin (optionally -<stepping>)");
  m["2"] = {0x16, 0x09, 'M', 'i', 'l', 'a', 'n', '-', 'B', '0', 'x'};
  EXPECT_NE(Error(m), "(accepted)");
  m["2"] = {0x16, 0x05, 'G', 'e', 'n', 'o', 'a'};
  EXPECT_EQ(ParseWith(m).product, Product::kGenoa);
}

TEST(KdsExtensionsTest, HwidIs64RawBytes) {
  KdsExtensionMap m = Milan();
  Bytes wrapped = {0x04, 0x40};
  const Bytes id = TestChipId();
  wrapped.insert(wrapped.end(), id.begin(), id.end());
  m["4"] = wrapped;
  EXPECT_EQ(Error(m), "hwID (1.3.6.1.4.1.3704.1.4) is 66 bytes; a VCEK's is 64 raw bytes (8 on Turin)");
  m["4"] = Bytes(8, 1);
  EXPECT_NE(Error(m), "(accepted)");
}

TEST(KdsExtensionsTest, TurinUsesFmcAndItsOwnLayout) {
  const std::uint64_t turin_tcb = 0x2d00000000150201ULL;  // FMC 1, BL 2, TEE 0x15, SNP 0, UCODE 0x2d
  KdsExtensionMap m = DefaultKdsExtensions("Turin-B0", turin_tcb, Bytes(8, 0x42));
  const KdsExtensions e = ParseWith(m, "Turin");
  ASSERT_TRUE(e.fmc.has_value());
  EXPECT_EQ(*e.fmc, 0x01);
  EXPECT_EQ(e.boot_loader, 0x02);
  EXPECT_EQ(e.tee, 0x15);
  EXPECT_EQ(e.snp, 0x00);
  EXPECT_EQ(e.microcode, 0x2d);
  EXPECT_EQ(e.tcb, turin_tcb);
  m.erase("3.9");
  EXPECT_EQ(Error(m, "Turin"), "missing extension 1.3.6.1.4.1.3704.1.3.9 (fmcSPL, required on Turin)");
}

TEST(KdsExtensionsTest, VlekCarriesCspIdAndNoHwid) {
  KdsExtensionMap m = Milan();
  EXPECT_EQ(Error(m, "Milan", EndorsementKind::kVlek), "a VLEK must not carry hwID (1.3.6.1.4.1.3704.1.4)");
  m.erase("4");
  EXPECT_EQ(Error(m, "Milan", EndorsementKind::kVlek), "missing extension 1.3.6.1.4.1.3704.1.5 (cspID)");
  m["5"] = {0x16, 0x03, 'A', 'W', 'S'};
  EXPECT_EQ(ParseWith(m, "Milan", EndorsementKind::kVlek).csp_id, "AWS");
  KdsExtensionMap v = Milan();
  v["5"] = {0x16, 0x03, 'A', 'W', 'S'};
  EXPECT_EQ(Error(v), "a VCEK must not carry cspID (1.3.6.1.4.1.3704.1.5)");
}

}  // namespace
}  // namespace keyattest::amd
