#include "keyattest/core/byte_reader.h"

#include <gtest/gtest.h>

#include <limits>

namespace keyattest {
namespace {

TEST(ByteReaderTest, ReadsBigEndianIntegers) {
  Bytes data = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f};
  ByteReader r(data);
  EXPECT_EQ(r.U8("a"), 0x01);
  EXPECT_EQ(r.U16("b"), 0x0203);
  EXPECT_EQ(r.U32("c"), 0x04050607u);
  EXPECT_EQ(r.U64("d"), 0x08090a0b0c0d0e0fULL);
  EXPECT_TRUE(r.empty());
}

TEST(ByteReaderTest, ReadsLittleEndianIntegers) {
  Bytes data = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0xff};
  ByteReader r(data);
  EXPECT_EQ(r.U8("a"), 0x01);
  EXPECT_EQ(r.U16le("b"), 0x0302);
  EXPECT_EQ(r.U32le("c"), 0x07060504u);
  EXPECT_EQ(r.U64le("d"), 0xff0e0d0c0b0a0908ULL);
  EXPECT_TRUE(r.empty());
}

TEST(ByteReaderTest, LittleEndianReadsNameFieldAndOffsetWhenShort) {
  Bytes data(7, 0);
  ByteReader r(ByteSpan(data).subspan(1), 0x2a0);
  EXPECT_EQ(r.U16le("two"), 0u);
  EXPECT_THROW(
      {
        try {
          r.U64le("report.reported_tcb");
        } catch (const ParseError& e) {
          EXPECT_EQ(std::string(e.what()), "report.reported_tcb at offset 674: needs 8 bytes but only 4 remain");
          throw;
        }
      },
      ParseError);
  EXPECT_EQ(r.U32le("four"), 0u);
  EXPECT_THROW(r.U16le("none"), ParseError);
  EXPECT_THROW(r.U32le("none"), ParseError);
}

TEST(ByteReaderTest, LittleEndianReadsKeepTheHighBitsOfEveryByte) {
  Bytes data(8, 0xff);
  EXPECT_EQ(ByteReader(data).U16le("x"), 0xffffu);
  EXPECT_EQ(ByteReader(data).U32le("x"), 0xffffffffu);
  EXPECT_EQ(ByteReader(data).U64le("x"), std::numeric_limits<std::uint64_t>::max());
}

TEST(ByteReaderTest, LittleEndianReadsCheckBoundsAndDoNotAdvanceWhenShort) {
  Bytes data = {1, 2, 3, 4, 5, 6, 7};
  ByteReader r(ByteSpan(data), 16);
  EXPECT_THROW(r.U64le("quote.header"), ParseError);
  EXPECT_EQ(r.position(), 0u);
  EXPECT_EQ(r.U32le("a"), 0x04030201u);
  try {
    r.U32le("quote.size");
    FAIL() << "read past the end";
  } catch (const ParseError& e) {
    EXPECT_EQ(std::string(e.what()), "quote.size at offset 20: needs 4 bytes but only 3 remain");
  }
  EXPECT_EQ(r.U16le("b"), 0x0605u);
  EXPECT_THROW(r.U16le("c"), ParseError);
  EXPECT_EQ(r.U8("d"), 7);
}

TEST(ByteReaderTest, ReportsFieldAndAbsoluteOffsetWhenShort) {
  Bytes data = {0, 0, 0, 0, 0, 0};
  ByteReader r(ByteSpan(data).subspan(2), 100);
  r.U16("first");
  try {
    r.U32("object.size");
    FAIL() << "read past the end";
  } catch (const ParseError& e) {
    EXPECT_EQ(std::string(e.what()), "object.size at offset 102: needs 4 bytes but only 2 remain");
    EXPECT_EQ(e.offset(), 102u);
    EXPECT_EQ(e.field(), "object.size");
  }
}

TEST(ByteReaderTest, TakeChecksLengthBeforeSlicing) {
  Bytes data(10);
  ByteReader r(data);
  EXPECT_THROW(r.Take(std::numeric_limits<std::size_t>::max(), "value"), ParseError);
  EXPECT_EQ(r.position(), 0u);
  EXPECT_EQ(r.Take(10, "value").size(), 10u);
  EXPECT_THROW(r.U8("next"), ParseError);
}

DerLength ReadLength(const Bytes& octets, std::size_t max_octets = 3) {
  ByteReader r(octets, 10);
  return r.DerLengthOctets(max_octets, "x.length");
}

TEST(ByteReaderDerLengthTest, ReadsShortAndMinimalLongForms) {
  const struct {
    Bytes octets;
    std::size_t value;
    std::size_t long_octets;
  } cases[] = {
      {{0x00}, 0, 0},
      {{0x7f}, 0x7f, 0},
      {{0x81, 0x80}, 0x80, 1},
      {{0x81, 0xff}, 0xff, 1},
      {{0x82, 0x01, 0x00}, 0x100, 2},
      {{0x83, 0x01, 0x00, 0x00}, 0x10000, 3},
      {{0x83, 0xff, 0xff, 0xff}, 0xffffff, 3},
  };
  for (const auto& c : cases) {
    const DerLength l = ReadLength(c.octets);
    EXPECT_EQ(l.fault, DerLengthFault::kNone);
    EXPECT_EQ(l.value, c.value);
    EXPECT_EQ(l.octets, c.long_octets);
    EXPECT_EQ(l.initial, c.octets[0]);
    EXPECT_EQ(l.initial_at, 10U);
  }
  const Bytes two_octets = {0x82, 0x01, 0x00, 0xaa};
  ByteReader r(two_octets);
  EXPECT_EQ(r.DerLengthOctets(2, "len").value, 0x100U);
  EXPECT_EQ(r.position(), 3U);  // the cursor stops after the length octets
}

TEST(ByteReaderDerLengthTest, RejectsIndefiniteTooLongAndNonMinimalForms) {
  EXPECT_EQ(ReadLength({0x80}).fault, DerLengthFault::kIndefinite);
  EXPECT_EQ(ReadLength({0x84, 0x01, 0x00, 0x00, 0x00}).fault, DerLengthFault::kTooManyOctets);
  EXPECT_EQ(ReadLength({0x84, 0x01, 0x00, 0x00, 0x00}, 4).fault, DerLengthFault::kNone);
  EXPECT_EQ(ReadLength({0xff}).fault, DerLengthFault::kTooManyOctets);
  // Each of these has a shorter encoding.
  for (const Bytes& octets : {Bytes{0x81, 0x00}, Bytes{0x81, 0x7f}, Bytes{0x82, 0x00, 0x80}, Bytes{0x82, 0x00, 0xff},
                              Bytes{0x83, 0x00, 0x01, 0x00}}) {
    const DerLength l = ReadLength(octets);
    EXPECT_EQ(l.fault, DerLengthFault::kNonMinimal) << octets.size();
    EXPECT_EQ(l.octets, octets.size() - 1);
  }
  EXPECT_EQ(ReadLength({0x82, 0x00, 0xff}).value, 0xffU);
}

TEST(ByteReaderDerLengthTest, TruncationNamesTheMissingOctet) {
  const Bytes full = {0x83, 0x01, 0x00, 0x00};
  for (std::size_t n = 0; n < full.size(); ++n) {
    ByteReader r(ByteSpan(full).first(n), 10);
    EXPECT_THROW(
        {
          try {
            (void)r.DerLengthOctets(3, "x.length");
          } catch (const ParseError& e) {
            EXPECT_EQ(std::string(e.what()),
                      "x.length at offset " + std::to_string(10 + n) + ": needs 1 bytes but only 0 remain");
            throw;
          }
        },
        ParseError)
        << "prefix " << n;
  }
}

}  // namespace
}  // namespace keyattest
