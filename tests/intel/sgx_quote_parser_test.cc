// The strict quote parser (vendor/intel): fields in place, every length
// checked, missing and trailing bytes malformed, other versions unsupported.
#include <gtest/gtest.h>

#include "keyattest/intel/sgx_quote.h"
#include "tests/support/sgx_quote_builder.h"

namespace keyattest::intel {
namespace {

using keyattest::testing::BuildSgxQuote;
using keyattest::testing::MakeSgxTestPki;
using keyattest::testing::SgxQuoteSpec;
using keyattest::testing::SgxTestPki;
using keyattest::testing::WrapInOctetString;
using keyattest::testing::WrapInOeHeader;

class SgxQuoteParserTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    pki_ = new SgxTestPki(MakeSgxTestPki());
    SgxQuoteSpec spec;
    spec.report_data = Bytes(64, 0x11);
    quote_ = new Bytes(BuildSgxQuote(spec, *pki_));
  }
  static void TearDownTestSuite() {
    delete quote_;
    delete pki_;
  }
  static const Bytes& quote() { return *quote_; }
  static const SgxTestPki& pki() { return *pki_; }

  static std::string ParseErrorOf(ByteSpan value, Quote (*parse)(ByteSpan)) {
    try {
      parse(value);
    } catch (const ParseError& e) {
      return e.what();
    }
    return "(parsed)";
  }

 private:
  static SgxTestPki* pki_;
  static Bytes* quote_;
};

SgxTestPki* SgxQuoteParserTest::pki_ = nullptr;
Bytes* SgxQuoteParserTest::quote_ = nullptr;

Quote ParseBare(ByteSpan v) { return ParseQuoteV3(v); }
Quote ParseOe(ByteSpan v) { return ParseOeEvidence(v).quote; }

TEST_F(SgxQuoteParserTest, ReadsEveryFieldInPlace) {
  const Quote q = ParseQuoteV3(quote());
  EXPECT_EQ(q.header.version, 3);
  EXPECT_EQ(q.header.attestation_key_type, 2);
  EXPECT_EQ(q.header.qe_svn, 9);
  EXPECT_EQ(q.header.pce_svn, 13);
  EXPECT_EQ(q.header.qe_vendor_id[0], 0x93);
  EXPECT_EQ(q.report_body.attributes_flags, 0x5u);
  EXPECT_EQ(q.report_body.attributes_xfrm, 0x7u);
  EXPECT_FALSE(q.report_body.debug());
  EXPECT_EQ(q.report_body.mr_enclave[31], 0xe1);
  EXPECT_EQ(q.report_body.mr_signer[0], 0x74);
  EXPECT_EQ(q.report_body.isv_prod_id, 1);
  EXPECT_EQ(q.report_body.isv_svn, 1);
  EXPECT_EQ(q.report_body.report_data[63], 0x11);
  EXPECT_EQ(q.report_body.raw.size(), kReportBodySize);
  EXPECT_EQ(q.signed_prefix, Bytes(quote().begin(), quote().begin() + 432));
  EXPECT_EQ(q.signature_data_length, quote().size() - 436);
  EXPECT_EQ(q.signature_data.qe_report.attributes_flags, 0x15u);
  EXPECT_EQ(q.signature_data.qe_report.isv_svn, 9);
  EXPECT_EQ(q.signature_data.qe_auth_data.size(), 16u);
  EXPECT_EQ(q.signature_data.certification_data_type, 5);
  EXPECT_EQ(q.signature_data.certification_data, pki().CertificationData());
}

TEST_F(SgxQuoteParserTest, BothExtensionFormsCarryTheSameQuote) {
  EXPECT_EQ(ParseOeEvidence(WrapInOeHeader(quote())).quote.signed_prefix, ParseQuoteV3(quote()).signed_prefix);
  const OeEvidence oe = ParseOeEvidence(WrapInOeHeader(quote()));
  EXPECT_EQ(oe.header.version, 1u);
  EXPECT_EQ(oe.header.report_type, 2u);
  EXPECT_EQ(oe.header.report_size, quote().size());
  EXPECT_EQ(ParseWrappedQuote(WrapInOctetString(quote())).signature_data.certification_data, pki().CertificationData());
}

TEST_F(SgxQuoteParserTest, EveryTruncationIsMalformed) {
  for (std::size_t n = 0; n < quote().size(); ++n) {
    EXPECT_THROW(ParseQuoteV3(ByteSpan(quote()).first(n)), ParseError) << n;
  }
  // Truncated inside the OE header's declared size.
  const Bytes oe = WrapInOeHeader(quote());
  for (std::size_t n = 0; n < oe.size(); n += 7) EXPECT_THROW(ParseOeEvidence(ByteSpan(oe).first(n)), ParseError) << n;
}

TEST_F(SgxQuoteParserTest, TrailingBytesAreMalformedAtEveryLayer) {
  Bytes padded = quote();
  padded.push_back(0);
  EXPECT_EQ(ParseErrorOf(padded, ParseBare), "quote.signature_data at offset 436: length field says " +
                                                 std::to_string(quote().size() - 436) + " bytes but " +
                                                 std::to_string(quote().size() - 435) + " follow");
  Bytes oe = WrapInOeHeader(quote());
  oe.push_back(0);
  EXPECT_EQ(ParseErrorOf(oe, ParseOe), "oe_header.report_size at offset 16: declares " +
                                           std::to_string(quote().size()) + " bytes but " +
                                           std::to_string(quote().size() + 1) + " follow");
  // A padded quote whose OE size counts the padding: the quote itself rejects it.
  EXPECT_THROW(ParseOeEvidence(WrapInOeHeader(padded)), ParseError);
  Bytes wrapped = WrapInOctetString(quote());
  wrapped.push_back(0);
  EXPECT_THROW(ParseWrappedQuote(wrapped), ParseError);
  EXPECT_THROW(ParseWrappedQuote(WrapInOctetString(padded)), ParseError);
}

TEST_F(SgxQuoteParserTest, LengthFieldsMustMatchTheirContents) {
  // Certification data size one short: the signature data is then padded.
  const Quote q = ParseQuoteV3(quote());
  const std::size_t cert_size_offset = quote().size() - q.signature_data.certification_data.size() - 4;
  Bytes bad = quote();
  bad[cert_size_offset] = static_cast<std::uint8_t>(bad[cert_size_offset] - 1);
  EXPECT_EQ(ParseErrorOf(bad, ParseBare), "quote.signature_data.certification_data at offset " +
                                              std::to_string(cert_size_offset + 4) + ": declares " +
                                              std::to_string(q.signature_data.certification_data.size() - 1) +
                                              " bytes but the signature data has " +
                                              std::to_string(q.signature_data.certification_data.size()) + " left");
  // QE auth data size larger than what remains.
  Bytes big_auth = quote();
  big_auth[436 + 576] = 0xff;
  big_auth[436 + 577] = 0xff;
  EXPECT_THROW(ParseQuoteV3(big_auth), ParseError);
}

TEST_F(SgxQuoteParserTest, OtherVersionsAndTypesAreUnsupportedNotMalformed) {
  SgxQuoteSpec v4;
  v4.version = 4;
  EXPECT_THROW(ParseQuoteV3(BuildSgxQuote(v4, pki())), UnsupportedEvidence);
  Bytes key_type = quote();
  key_type[2] = 3;  // ECDSA P-384
  EXPECT_THROW(ParseQuoteV3(key_type), UnsupportedEvidence);
  SgxQuoteSpec type6;
  type6.certification_data_type = 6;
  EXPECT_THROW(ParseQuoteV3(BuildSgxQuote(type6, pki())), UnsupportedEvidence);
  Bytes oe = WrapInOeHeader(quote());
  oe[0] = 2;
  EXPECT_THROW(ParseOeEvidence(oe), UnsupportedEvidence);
  oe = WrapInOeHeader(quote());
  oe[4] = 1;  // a local report
  try {
    ParseOeEvidence(oe);
    FAIL() << "parsed a local report";
  } catch (const UnsupportedEvidence& e) {
    EXPECT_STREQ(e.what(), "Open Enclave report type 0x1 (only 2, an SGX remote quote, is supported)");
  }
}

TEST_F(SgxQuoteParserTest, OctetStringWrapperMustBeMinimalDer) {
  const Bytes good = WrapInOctetString(quote());
  ASSERT_EQ(good[1], 0x82);
  Bytes tag = good;
  tag[0] = 0x03;
  EXPECT_EQ(ParseErrorOf(tag, ParseWrappedQuote),
            "wrapper.tag at offset 0: expected a DER OCTET STRING (0x04), found 0x3");
  // Three length octets for a length that needs two.
  Bytes long_form = {0x04, 0x83, 0x00};
  long_form.insert(long_form.end(), good.begin() + 2, good.end());
  EXPECT_EQ(ParseErrorOf(long_form, ParseWrappedQuote),
            "wrapper.length at offset 1: length " + std::to_string(quote().size()) + " is not minimal DER");
  Bytes indefinite = {0x04, 0x80};
  indefinite.insert(indefinite.end(), quote().begin(), quote().end());
  EXPECT_EQ(ParseErrorOf(indefinite, ParseWrappedQuote),
            "wrapper.length at offset 1: length form 0x80 is not a definite length up to 3 octets");
  Bytes four_octets = {0x04, 0x84, 0x00, 0x00};
  four_octets.insert(four_octets.end(), good.begin() + 2, good.end());
  EXPECT_EQ(ParseErrorOf(four_octets, ParseWrappedQuote),
            "wrapper.length at offset 1: length form 0x84 is not a definite length up to 3 octets");
  EXPECT_EQ(ParseErrorOf(Bytes{0x04, 0x82, 0x01}, ParseWrappedQuote),
            "wrapper.length at offset 3: needs 1 bytes but only 0 remain");
  EXPECT_THROW(ParseWrappedQuote(Bytes{0x04, 0x81, 0x05, 1, 2, 3, 4, 5}), ParseError);  // 0x81 for < 0x80
}

TEST_F(SgxQuoteParserTest, OversizedQuoteIsRejectedBeforeParsing) {
  Bytes huge(kMaxQuoteSize + 1, 0);
  EXPECT_EQ(ParseErrorOf(huge, ParseBare), "quote at offset 0: 65537 bytes exceeds the limit of 65536");
}

TEST_F(SgxQuoteParserTest, OffsetsInsideTheOeFormCountTheHeader) {
  Bytes oe = WrapInOeHeader(ByteSpan(quote()).first(100));
  EXPECT_EQ(ParseErrorOf(oe, ParseOe), "quote.report_body at offset 64: needs 384 bytes but only 52 remain");
}

}  // namespace
}  // namespace keyattest::intel
