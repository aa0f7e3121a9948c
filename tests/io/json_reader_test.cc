// The strict JSON reader against nlohmann's parser: same verdict and same
// value on every input, except where we are deliberately stricter
// (duplicate members, nesting depth).
#include "keyattest/io/json_reader.h"

#include <gtest/gtest.h>

#include <cstdint>

#include "tests/support/test_paths.h"

namespace keyattest {
namespace {

/// nullopt when nlohmann rejects `text`.
std::optional<nlohmann::json> Reference(const std::string& text) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

std::optional<nlohmann::json> Ours(const std::string& text) {
  try {
    return ParseStrictJson(text, 32);
  } catch (const JsonSyntaxError& e) {
    EXPECT_EQ(e.kind(), JsonSyntaxError::Kind::kSyntax) << text;
    return std::nullopt;
  }
}

void ExpectSameAsReference(const std::string& text) {
  auto want = Reference(text);
  auto got = Ours(text);
  ASSERT_EQ(got.has_value(), want.has_value()) << "input: " << text.substr(0, 200);
  if (want) {
    EXPECT_EQ(*got, *want) << "input: " << text.substr(0, 200);
  }
}

TEST(JsonReaderTest, AgreesWithNlohmannOnHandwrittenCases) {
  const char* cases[] = {
      "{}",
      "[]",
      "null",
      "true",
      "false",
      "0",
      "-0",
      "12",
      "-12",
      "1.5",
      "1e3",
      "1E-3",
      "-1.25e+2",
      "18446744073709551615",
      "-9223372036854775808",
      "18446744073709551616",
      "1e308",
      R"("a\"b\\c\/d\b\f\n\r\t")",
      R"("\u00e9\u20ac\ud83d\ude00")",
      "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"",
      R"({"a":[1,2,{"b":null}],"c":"d"})",
      " \t\r\n{ \"a\" : 1 } \n",
      "\xEF\xBB\xBF{}",
      // rejected
      "",
      " ",
      "{",
      "}",
      "[1,]",
      "{\"a\":1,}",
      "{a:1}",
      "01",
      "-",
      "1.",
      ".5",
      "1e",
      "+1",
      "0x10",
      "tru",
      "nul",
      "True",
      "\"abc",
      "\"a\nb\"",
      "\"\\x\"",
      R"("\u12")",
      R"("\ud800")",
      R"("\udc00")",
      R"("\ud800\u0041")",
      "\"\xff\"",
      "\"\xc0\x80\"",
      "\"\xed\xa0\x80\"",
      "\"\xf4\x90\x80\x80\"",
      "\"\xe2\x82\"",
      "{} {}",
      "[1 2]",
      "{\"a\" 1}",
      "1e999",
      "-1e999",
      "[\"a\",]",
      "nan",
      "Infinity",
      "\"\x01\"",
  };
  for (const char* c : cases) ExpectSameAsReference(c);
}

TEST(JsonReaderTest, AgreesWithNlohmannOnMutatedRealDocuments) {
  const std::string original = testing::ReadRepoSample("azure-sdk-net-ec-p256");
  ExpectSameAsReference(original);
  // Deterministic mutations: replace, delete or insert one byte, with bytes
  // chosen to hit JSON syntax.
  const char kBytes[] = "{}[],:\"\\/0123456789-+.eEtrufalsn \t\n\x80\xff\x01u";
  std::uint64_t state = 0x9e3779b97f4a7c15ULL;
  auto next = [&] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  for (int i = 0; i < 3000; ++i) {
    std::string m = original;
    std::size_t pos = next() % m.size();
    char b = kBytes[next() % (sizeof(kBytes) - 1)];
    switch (next() % 3) {
      case 0:
        m[pos] = b;
        break;
      case 1:
        m.erase(pos, 1);
        break;
      default:
        m.insert(pos, 1, b);
    }
    auto want = Reference(m);
    bool duplicate = false;
    std::optional<nlohmann::json> got;
    try {
      got = ParseStrictJson(m, 32);
    } catch (const JsonSyntaxError& e) {
      duplicate = e.kind() == JsonSyntaxError::Kind::kDuplicateMember;
    }
    if (duplicate) continue;  // stricter on purpose
    ASSERT_EQ(got.has_value(), want.has_value()) << "mutation " << i << " at " << pos;
    if (want) {
      ASSERT_EQ(*got, *want) << "mutation " << i;
    }
  }
}

TEST(JsonReaderTest, RejectsDuplicatesAndDepthWithPositions) {
  try {
    ParseStrictJson(R"({"a":1,"b":{"c":2,"c":3}})", 32);
    FAIL();
  } catch (const JsonSyntaxError& e) {
    EXPECT_EQ(e.kind(), JsonSyntaxError::Kind::kDuplicateMember);
    EXPECT_EQ(std::string(e.what()), "duplicate JSON member \"c\"");
    EXPECT_EQ(e.position(), 19u);
  }
  EXPECT_NO_THROW(ParseStrictJson(std::string(32, '[') + std::string(32, ']'), 32));
  try {
    ParseStrictJson(std::string(33, '[') + std::string(33, ']'), 32);
    FAIL();
  } catch (const JsonSyntaxError& e) {
    EXPECT_EQ(e.kind(), JsonSyntaxError::Kind::kTooDeep);
  }
  try {
    ParseStrictJson("[1,]", 32);
    FAIL();
  } catch (const JsonSyntaxError& e) {
    EXPECT_EQ(std::string(e.what()), "not valid JSON at line 1, column 4 (byte 4)");
  }
}

std::string SyntaxErrorOf(const std::string& text) {
  try {
    (void)ParseStrictJson(text, 32);
  } catch (const JsonSyntaxError& e) {
    return e.what();
  }
  return "accepted";
}

TEST(JsonReaderTest, ATextCutShortSaysItEndsEarly) {
  // Cut anywhere inside a document: a string, a number, after a comma, in a
  // nested object. The message names the size and suggests the likely cause.
  const std::string whole = "{\"a\": [1, 2, {\"b\": \"text\"}], \"c\": 12345}";
  for (std::size_t cut = 1; cut < whole.size(); ++cut) {
    EXPECT_EQ(SyntaxErrorOf(whole.substr(0, cut)), "not valid JSON: the text ends after byte " + std::to_string(cut) +
                                                       " before the document is complete (a truncated file?)")
        << whole.substr(0, cut);
  }
  EXPECT_EQ(SyntaxErrorOf(whole), "accepted");
  // Negative twins: an error inside the text, and a text of only spaces,
  // keep naming the place (nothing was cut short).
  EXPECT_EQ(SyntaxErrorOf("{\"a\": x}"), "not valid JSON at line 1, column 7 (byte 7)");
  EXPECT_EQ(SyntaxErrorOf(" \n "), "not valid JSON at line 2, column 2 (byte 4)");
}

}  // namespace
}  // namespace keyattest

namespace keyattest {
namespace {

// Strings are scanned eight bytes at a time: every special byte (quote,
// backslash, control character, each non-ASCII lead) at every offset of a
// long plain run, around word boundaries, must be seen exactly where it is.
TEST(JsonReaderTest, SpecialBytesAreFoundAtEveryOffsetOfALongString) {
  const std::string specials[] = {"\"",       "\\n", "\\u00e9", std::string(1, '\x01'), std::string(1, '\x1f'),
                                  "\xc3\xa9",  // valid UTF-8
                                  "\xff",      // never valid UTF-8
                                  "\x80",      // a lone continuation byte
                                  " ",         // 0x20 is plain
                                  "\x7f",      // so is DEL
                                  "!"};
  for (std::size_t offset = 0; offset < 40; ++offset) {
    for (const std::string& special : specials) {
      std::string body(offset, 'A');
      body += special;
      body += std::string(19, 'B');
      const std::string text = "[\"" + body + "\"]";
      SCOPED_TRACE("offset " + std::to_string(offset) + ", special byte 0x" +
                   std::to_string(static_cast<unsigned char>(special[0])));
      ExpectSameAsReference(text);
      if (special.size() == 1 && static_cast<unsigned char>(special[0]) < 0x20) {
        try {
          (void)ParseStrictJson(text, 32);
          ADD_FAILURE() << "a raw control character was accepted";
        } catch (const JsonSyntaxError& e) {
          EXPECT_EQ(e.position(), offset + 3);  // 1-based, after '[' and '"'
        }
      }
    }
  }
}

}  // namespace
}  // namespace keyattest
