// Wrapping of text output to a terminal's width (src/report/text_renderer.cc).
#include <gtest/gtest.h>

#include "keyattest/key_attestation/facts.h"
#include "keyattest/marvell/attributes.h"
#include "keyattest/report/text_renderer.h"

namespace keyattest {
namespace {

using Lines = std::vector<std::string>;

TEST(TextWrapTest, WordsFillLinesUpToTheWidth) {
  EXPECT_EQ(WrapWords("Key material cannot be revealed in plaintext", 22),
            (Lines{"Key material cannot be", "revealed in plaintext"}));
  EXPECT_EQ(WrapWords("exactly ten", 11), (Lines{"exactly ten"}));
  EXPECT_EQ(WrapWords("exactly ten", 10), (Lines{"exactly", "ten"}));
}

TEST(TextWrapTest, WidthZeroIsOneLine) {
  const std::string text(300, 'x');
  EXPECT_EQ(WrapWords(text + " y", 0), (Lines{text + " y"}));
}

TEST(TextWrapTest, EmptyTextIsOneEmptyLine) {
  EXPECT_EQ(WrapWords("", 10), (Lines{""}));
  EXPECT_EQ(WrapWords("   ", 10), (Lines{""}));
}

TEST(TextWrapTest, RunsOfSpacesCollapse) { EXPECT_EQ(WrapWords("a   b", 10), (Lines{"a b"})); }

TEST(TextWrapTest, LongWordsBreakAfterASlashOrDashElseAtTheWidth) {
  EXPECT_EQ(WrapWords("/keys/keyAttestation/677135ee91e64cdf1576e341c7168f54", 22),
            (Lines{"/keys/keyAttestation/", "677135ee91e64cdf1576e3", "41c7168f54"}));
  EXPECT_EQ(WrapWords("abcdefghij", 4), (Lines{"abcd", "efgh", "ij"}));
  // A slash in the first half of the line is not worth a short line.
  EXPECT_EQ(WrapWords("a/bcdefghij", 8), (Lines{"a/bcdefg", "hij"}));
  EXPECT_EQ(WrapWords("x abcdefghij", 4), (Lines{"x", "abcd", "efgh", "ij"}));
}

TEST(TextWrapTest, Utf8CharactersCountOnce) {
  // "é" is two bytes and one column.
  EXPECT_EQ(WrapWords("\xC3\xA9\xC3\xA9\xC3\xA9 ab", 5), (Lines{"\xC3\xA9\xC3\xA9\xC3\xA9", "ab"}));
  EXPECT_EQ(WrapWords("\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", 3), (Lines{"\xC3\xA9\xC3\xA9\xC3\xA9", "\xC3\xA9"}));
}

TEST(TextWrapTest, HangingIndentAlignsContinuationLines) {
  EXPECT_EQ(WrapWithHangingIndent("  PASS  id  ", "one two three four", 24),
            "  PASS  id  one two\n            three four\n");
  EXPECT_EQ(WrapWithHangingIndent("x: ", "no wrap at width zero", 0), "x: no wrap at width zero\n");
}

TEST(TextWrapTest, KeyAttestationReportFitsEightyColumns) {
  Report r = NewKeyAttestationReport();
  r.source = "sample.json";
  r.checked_at = "2026-01-01T00:00:00Z";
  BlobFacts blob;
  blob.field = "privateKeyAttestation";
  blob.layout = "B";
  blob.attested = true;
  blob.key_name = "keyAttestation";
  blob.key_version = "677135ee91e64cdf1576e341c7168f54";
  ObjectFacts object;
  object.AddAttribute(marvell::attr::kId, AsBytes("/keys/keyAttestation/677135ee91e64cdf1576e341c7168f54"));
  object.AddAttribute(marvell::attr::kSensitive, Bytes{1});
  blob.objects.push_back(object);
  KeyAttestationFactsOf(r).blobs.push_back(blob);
  r.Add("owner_root.pin", "Owner root", CheckStatus::kWarn,
        "owner chain is unpinned; pin this pool's root next time with --owner-root "
        "236a9a4ee9170a7195003abf962f547e55c7640ec517d07f956ad5e8e870f9fe");
  const std::string narrow = RenderText(r, TextOptions{.width = 80});
  std::size_t start = 0;
  while (start < narrow.size()) {
    const std::size_t end = narrow.find('\n', start);
    EXPECT_LE(end - start, 80U) << narrow.substr(start, end - start);
    start = end + 1;
  }
  EXPECT_NE(narrow.find("| OBJ_ATTR_SENSITIVE | CK_TRUE "), std::string::npos) << narrow;
  // Without a width: one record per line.
  const std::string wide = RenderText(r, TextOptions{});
  EXPECT_NE(wide.find("| /keys/keyAttestation/677135ee91e64cdf1576e341c7168f54 |"), std::string::npos) << wide;
  EXPECT_NE(wide.find("--owner-root 236a9a4ee9170a7195003abf962f547e55c7640ec517d07f956ad5e8e870f9fe\n"),
            std::string::npos);
}

}  // namespace
}  // namespace keyattest
