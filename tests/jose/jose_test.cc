// Strict base64url, compact JWS parsing, JWKS parsing and RS256 (docs/maa.md
// "Token format", "JWKS").
#include <gtest/gtest.h>

#include "keyattest/io/base64.h"
#include "keyattest/jose/jwks.h"
#include "keyattest/jose/jws.h"
#include "keyattest/jose/rs256.h"
#include "tests/support/der_edit.h"
#include "tests/support/jws_builder.h"
#include "tests/support/test_pki.h"

namespace keyattest::jose {
namespace {

TEST(Base64UrlStrictTest, DecodesUnpaddedUrlAlphabetOnly) {
  std::string why;
  EXPECT_EQ(DecodeBase64UrlStrict("-_8", &why), (Bytes{0xfb, 0xff}));
  EXPECT_EQ(DecodeBase64UrlStrict("", &why), Bytes{});
  EXPECT_FALSE(DecodeBase64UrlStrict("-_8=", &why));
  EXPECT_EQ(why, "'=' padding at position 3 (base64url here is unpadded)");
  EXPECT_FALSE(DecodeBase64UrlStrict("+/8", &why));
  EXPECT_EQ(why, "invalid character '+' at position 0 (not in the base64url alphabet)");
  EXPECT_FALSE(DecodeBase64UrlStrict("ab c", &why));
  EXPECT_EQ(why, "invalid character byte 0x20 at position 2");
  EXPECT_FALSE(DecodeBase64UrlStrict("-_9", &why)) << "non-zero leftover bits";
  EXPECT_FALSE(DecodeBase64UrlStrict("A", &why)) << "impossible length";
}

TEST(Base64UrlStrictTest, EveryByteValueIsJudgedByTheUrlAlphabet) {
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  for (int b = 0; b < 256; ++b) {
    const char c = static_cast<char>(b);
    std::string why;
    // "AA" + c + "A" decodes to 3 bytes when c is a base64url character.
    const std::optional<Bytes> got = DecodeBase64UrlStrict(std::string("AA") + c + "A", &why);
    if (alphabet.find(c) != std::string::npos) {
      ASSERT_TRUE(got.has_value()) << b << ": " << why;
      EXPECT_EQ(got->size(), 3u) << b;
    } else {
      EXPECT_FALSE(got.has_value()) << b;
      EXPECT_NE(why.find("at position 2"), std::string::npos) << b << ": " << why;
    }
  }
}

TEST(CompactJwsTest, ParsesThreeSegments) {
  const std::string h = testing::B64Url(R"({"alg":"RS256","kid":"k"})");
  const std::string p = testing::B64Url(R"({"iss":"x"})");
  const CompactJws jws = ParseCompactJws(h + "." + p + ".AQID");
  EXPECT_EQ(jws.signing_input, h + "." + p);
  EXPECT_EQ(jws.header["kid"], "k");
  EXPECT_EQ(jws.payload["iss"], "x");
  EXPECT_EQ(jws.signature, (Bytes{1, 2, 3}));
}

struct BadJws {
  std::string text;
  JwsPart part;
  std::string message;
};

class BadJwsTest : public ::testing::TestWithParam<BadJws> {};

TEST_P(BadJwsTest, RejectsWithPartAndExactMessage) {
  try {
    (void)ParseCompactJws(GetParam().text);
    FAIL() << "accepted " << GetParam().text;
  } catch (const JwsError& e) {
    EXPECT_EQ(e.part(), GetParam().part);
    EXPECT_EQ(std::string(e.what()), GetParam().message);
  }
}

const std::string kH = testing::B64Url(R"({"alg":"RS256","kid":"k"})");
const std::string kP = testing::B64Url(R"({"iss":"x"})");

INSTANTIATE_TEST_SUITE_P(
    Malformed, BadJwsTest,
    ::testing::Values(
        BadJws{"", JwsPart::kFormat, "empty"},
        BadJws{kH + "." + kP, JwsPart::kFormat, "has 2 segments separated by '.'; a compact JWS has exactly 3"},
        BadJws{kH + "." + kP + ".AQID.", JwsPart::kFormat,
               "has 4 segments separated by '.'; a compact JWS has exactly 3"},
        BadJws{kH + "." + kP + ".AQID.AQID.AQID", JwsPart::kFormat,
               "has 5 segments separated by '.'; a compact JWS has exactly 3"},
        BadJws{"." + kP + ".AQID", JwsPart::kFormat, "header segment is empty"},
        BadJws{kH + "..AQID", JwsPart::kFormat, "payload segment is empty"},
        BadJws{kH + "=." + kP + ".AQID", JwsPart::kFormat,
               "header segment is not base64url: '=' padding at position " + std::to_string(kH.size()) +
                   " (base64url here is unpadded)"},
        BadJws{kH + "." + kP + ".AQ==", JwsPart::kFormat,
               "signature segment is not base64url: '=' padding at position 2 (base64url here is unpadded)"},
        BadJws{kH + "." + kP + ".AQ ID", JwsPart::kFormat,
               "signature segment is not base64url: invalid character byte 0x20 at position 2"},
        BadJws{" " + kH + "." + kP + ".AQID", JwsPart::kFormat,
               "header segment is not base64url: invalid character byte 0x20 at position 0"},
        BadJws{kH + "." + kP + ".AQID\n", JwsPart::kFormat,
               "signature segment is not base64url: invalid character byte 0x0a at position 4"},
        BadJws{kH + "." + kP + ".AQ+D", JwsPart::kFormat,
               "signature segment is not base64url: invalid character '+' at position 2 (not in the base64url "
               "alphabet)"},
        BadJws{testing::B64Url("[1]") + "." + kP + ".", JwsPart::kHeader, "header: not a JSON object"},
        BadJws{testing::B64Url(R"({"alg":"RS256","alg":"none"})") + "." + kP + ".", JwsPart::kHeader,
               "header is not strict JSON: duplicate JSON member \"alg\""},
        BadJws{testing::B64Url("\xEF\xBB\xBF{}") + "." + kP + ".", JwsPart::kHeader,
               "header: starts with a byte-order mark"},
        BadJws{kH + "." + testing::B64Url(R"({"iss":"x","iss":"y"})") + ".", JwsPart::kPayload,
               "payload is not strict JSON: duplicate JSON member \"iss\""},
        BadJws{kH + "." + testing::B64Url("{\"iss\":\"\xff\"}") + ".", JwsPart::kPayload,
               "payload is not strict JSON: not valid JSON at line 1, column 9 (byte 9)"},
        BadJws{kH + "." + testing::B64Url("\"x\"") + ".", JwsPart::kPayload, "payload: not a JSON object"}));

TEST(CompactJwsTest, NestingBeyondTheLimitIsAnError) {
  std::string deep = std::string(33, '[') + std::string(33, ']');
  std::string ok = std::string(31, '[') + std::string(31, ']');
  EXPECT_THROW((void)ParseCompactJws(kH + "." + testing::B64Url("{\"a\":" + deep + "}") + "."), JwsError);
  EXPECT_NO_THROW((void)ParseCompactJws(kH + "." + testing::B64Url("{\"a\":" + ok + "}") + "."));
}

TEST(CompactJwsTest, OversizedTokenIsRejected) {
  EXPECT_THROW((void)ParseCompactJws(std::string(kMaxCompactJwsBytes + 1, 'A')), JwsError);
}

TEST(StripFinalLineEndingTest, DropsOneLfOrCrLfOnly) {
  EXPECT_EQ(StripFinalLineEnding("a.b.c\n"), "a.b.c");
  EXPECT_EQ(StripFinalLineEnding("a.b.c\r\n"), "a.b.c");
  EXPECT_EQ(StripFinalLineEnding("a.b.c\n\n"), "a.b.c\n");
  EXPECT_EQ(StripFinalLineEnding("a.b.c\r"), "a.b.c\r");
  EXPECT_EQ(StripFinalLineEnding("a.b.c "), "a.b.c ");
}

// --- RS256 -------------------------------------------------------------------

class Rs256Test : public ::testing::Test {
 protected:
  EvpPkeyPtr key_ = testing::FreshRsaKey(2048);
  std::string input_ = "aGVhZGVy.cGF5bG9hZA";
  Bytes sig_ = testing::RsaSign(key_.get(), input_);
};

TEST_F(Rs256Test, VerifiesAndRejectsTamperedInput) {
  std::string why;
  EXPECT_TRUE(VerifyRs256(key_.get(), input_, sig_, &why)) << why;
  EXPECT_FALSE(VerifyRs256(key_.get(), input_ + "x", sig_, &why));
  EXPECT_EQ(why, "RSASSA-PKCS1-v1_5 SHA-256 signature does not verify with the key");
  Bytes flipped = sig_;
  flipped[100] ^= 0x01;
  EXPECT_FALSE(VerifyRs256(key_.get(), input_, flipped, &why));
}

TEST_F(Rs256Test, SignaturePlusModulusIsRejected) {
  BIGNUM* n = nullptr;
  ASSERT_EQ(EVP_PKEY_get_bn_param(key_.get(), "n", &n), 1);
  BignumPtr owned_n(n);
  BignumPtr s(BN_bin2bn(sig_.data(), static_cast<int>(sig_.size()), nullptr));
  ASSERT_EQ(BN_add(s.get(), s.get(), n), 1);
  std::string why;
  Bytes wide(static_cast<std::size_t>(BN_num_bytes(s.get())));
  BN_bn2bin(s.get(), wide.data());
  EXPECT_FALSE(VerifyRs256(key_.get(), input_, wide, &why));
  if (wide.size() == sig_.size()) {
    EXPECT_EQ(why, "signature value is not less than the key's modulus");
  } else {
    EXPECT_EQ(why, "signature is 257 bytes; the 2048-bit key needs exactly 256");
  }
  // s + n padded or reduced to exactly k bytes when it fits: not less than n.
  Bytes modulus(256);
  ASSERT_EQ(BN_bn2binpad(n, modulus.data(), 256), 256);
  EXPECT_FALSE(VerifyRs256(key_.get(), input_, modulus, &why));
  EXPECT_EQ(why, "signature value is not less than the key's modulus");
}

TEST_F(Rs256Test, LengthMustBeExactlyTheModulusLength) {
  std::string why;
  Bytes leading_zero = sig_;
  leading_zero.insert(leading_zero.begin(), 0);
  EXPECT_FALSE(VerifyRs256(key_.get(), input_, leading_zero, &why));
  EXPECT_EQ(why, "signature is 257 bytes; the 2048-bit key needs exactly 256");
  Bytes short_sig(sig_.begin() + 1, sig_.end());
  EXPECT_FALSE(VerifyRs256(key_.get(), input_, short_sig, &why));
  EXPECT_EQ(why, "signature is 255 bytes; the 2048-bit key needs exactly 256");
  EXPECT_FALSE(VerifyRs256(key_.get(), input_, Bytes{}, &why));
}

TEST_F(Rs256Test, ShortSignatureWithLeadingZeroStrippedIsRejected) {
  // Find a signature whose first byte is zero; OpenSSL alone would accept it
  // without that byte.
  for (int i = 0; i < 2000; ++i) {
    const std::string input = input_ + std::to_string(i);
    Bytes sig = testing::RsaSign(key_.get(), input);
    if (sig[0] != 0) continue;
    std::string why;
    EXPECT_TRUE(VerifyRs256(key_.get(), input, sig, &why));
    EXPECT_FALSE(VerifyRs256(key_.get(), input, Bytes(sig.begin() + 1, sig.end()), &why));
    EXPECT_EQ(why, "signature is 255 bytes; the 2048-bit key needs exactly 256");
    return;
  }
  GTEST_SKIP() << "no signature with a leading zero byte in 2000 tries";
}

TEST_F(Rs256Test, NonRsaKeyIsRefused) {
  EvpPkeyPtr ec(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  std::string why;
  EXPECT_FALSE(VerifyRs256(ec.get(), input_, sig_, &why));
  EXPECT_EQ(why, "the signing key is not an RSA key");
  EXPECT_EQ(RsaModulusBits(ec.get()), 0);
}

// --- JWKS --------------------------------------------------------------------

class JwksTest : public ::testing::Test {
 protected:
  EvpPkeyPtr a_ = testing::FreshRsaKey(2048);
  EvpPkeyPtr b_ = testing::FreshRsaKey(1024);
};

TEST_F(JwksTest, FindsKeysByExactKid) {
  const Jwks jwks = ParseJwks(
      testing::JwksText({testing::MakeJwk(a_.get(), "a", true, true), testing::MakeJwk(b_.get(), "b", false, true)}));
  ASSERT_EQ(jwks.keys.size(), 2u);
  ASSERT_NE(jwks.FindKid("a"), nullptr);
  EXPECT_EQ(jwks.FindKid("a")->bits, 2048);
  EXPECT_EQ(jwks.FindKid("a")->x5c_der.size(), 1u);
  EXPECT_TRUE(jwks.FindKid("a")->has_n_e);
  EXPECT_EQ(EVP_PKEY_eq(jwks.FindKid("b")->key.get(), b_.get()), 1);
  EXPECT_EQ(jwks.FindKid("A"), nullptr);
  EXPECT_EQ(jwks.FindKid("a "), nullptr);
}

void ExpectJwksError(const std::string& text, const std::string& message) {
  try {
    (void)ParseJwks(text);
    FAIL() << "accepted " << text.substr(0, 200);
  } catch (const JwksError& e) {
    EXPECT_EQ(std::string(e.what()), message);
  }
}

TEST_F(JwksTest, DuplicateKidIsUnusable) {
  ExpectJwksError(testing::JwksText({testing::MakeJwk(a_.get(), "k"), testing::MakeJwk(b_.get(), "k")}),
                  "JWKS has two entries with kid \"k\" (keys[1] repeats it): the key a token names would be "
                  "ambiguous");
  // Twin: the same key under two distinct kids is fine.
  EXPECT_NO_THROW(ParseJwks(testing::JwksText({testing::MakeJwk(a_.get(), "k"), testing::MakeJwk(a_.get(), "k2")})));
}

TEST_F(JwksTest, X5cAndNeMustBeTheSameKey) {
  nlohmann::ordered_json mixed = testing::MakeJwk(a_.get(), "k", true, false);
  mixed["n"] = testing::RsaN(b_.get());
  mixed["e"] = testing::RsaE(b_.get());
  ExpectJwksError(testing::JwksText({mixed}), "keys[0] (kid \"k\"): the key of x5c[0] and the key in n/e differ");
  EXPECT_NO_THROW(ParseJwks(testing::JwksText({testing::MakeJwk(a_.get(), "k", true, true)})));
}

TEST_F(JwksTest, MalformedSetsAreUnusable) {
  ExpectJwksError("", "JWKS is not strict JSON: not valid JSON at line 1, column 1 (byte 1)");
  ExpectJwksError("[]", "JWKS: not a JSON object");
  ExpectJwksError(R"({"keys":[],"keys":[]})", "JWKS is not strict JSON: duplicate JSON member \"keys\"");
  ExpectJwksError(R"({"keys":{}})", "JWKS has no \"keys\" array");
  ExpectJwksError(R"({"keys":[]})", "JWKS \"keys\" is empty");
  ExpectJwksError(R"({"keys":[{"kty":"RSA"}]})", "keys[0] has no kid string");
  ExpectJwksError(R"({"keys":[{"kid":""}]})", "keys[0] has no kid string");
  ExpectJwksError(R"({"keys":[{"kid":"k","x5c":[]}]})", "keys[0] (kid \"k\"): x5c is not a non-empty array");
  ExpectJwksError(R"({"keys":[{"kid":"k","x5c":["AAAA"]}]})",
                  "keys[0] (kid \"k\"): x5c[0] is not a DER X.509 certificate");
  ExpectJwksError(R"({"keys":[{"kid":"k","x5c":["not base64!"]}]})",
                  "keys[0] (kid \"k\"): x5c[0] is not base64: invalid character byte 0x20 at position 3");
  ExpectJwksError(R"({"keys":[{"kid":"k","n":"AQAB"}]})", "keys[0] (kid \"k\"): has only one of n and e");
  ExpectJwksError(R"({"keys":[{"kid":"k","n":"AQAB","e":"AQAB"}]})", "n is not a usable RSA modulus");
  nlohmann::ordered_json even_e = testing::MakeJwk(a_.get(), "k", false, true);
  even_e["e"] = "AQAA";
  ExpectJwksError(testing::JwksText({even_e}), "e is not a usable RSA public exponent");
  nlohmann::ordered_json padded = testing::MakeJwk(a_.get(), "k", false, true);
  padded["e"] = "AQAB=";
  ExpectJwksError(testing::JwksText({padded}),
                  "keys[0] (kid \"k\"): \"e\" is not base64url: '=' padding at position 4 (base64url here is "
                  "unpadded)");
}

TEST_F(JwksTest, CertificateWithTrailingBytesIsUnusable) {
  nlohmann::ordered_json jwk = testing::MakeJwk(a_.get(), "k");
  Bytes der = testing::SelfSignedCertDer(a_.get());
  der.push_back(0);
  std::string b64 = EncodeBase64Url(der);
  jwk["x5c"] = nlohmann::ordered_json::array({b64});
  ExpectJwksError(testing::JwksText({jwk}), "keys[0] (kid \"k\"): x5c[0] has bytes after the certificate");
}

TEST_F(JwksTest, X5cMustBeCanonicalDerAsEveryBundleCertificateIs) {
  const X509Ptr cert = testing::SelfSignedWithOneExtension(a_.get(), "x5c");
  const Bytes der = ToDer(i2d_X509, cert.get(), "i2d_X509");
  // The same certificate with critical FALSE written out, signed again by
  // its own key: OpenSSL decodes it and its signature verifies.
  const X509Ptr forged = testing::Resign(testing::WithExplicitCriticalFalse(der, 0), a_.get());
  ASSERT_EQ(X509_verify(forged.get(), a_.get()), 1);
  nlohmann::ordered_json jwk = testing::MakeJwk(a_.get(), "k");
  jwk["x5c"] = nlohmann::ordered_json::array({EncodeBase64Url(ToDer(i2d_X509, forged.get(), "i2d_X509"))});
  ExpectJwksError(testing::JwksText({jwk}),
                  "keys[0] (kid \"k\"): x5c[0] is not canonical DER: extension 1 (basicConstraints, 2.5.29.19) "
                  "encodes critical FALSE explicitly; DER forbids encoding a DEFAULT value (X.690 11.5), so a "
                  "non-critical extension omits the field");
  // Negative twin: the certificate as OpenSSL wrote it.
  jwk["x5c"] = nlohmann::ordered_json::array({EncodeBase64Url(der)});
  const Jwks jwks = ParseJwks(testing::JwksText({jwk}));
  ASSERT_NE(jwks.FindKid("k"), nullptr);
  EXPECT_NE(jwks.FindKid("k")->key, nullptr);
}

TEST_F(JwksTest, OtherKeyTypesAreKeptButUnusable) {
  const Jwks jwks = ParseJwks(R"({"keys":[{"kid":"ec","kty":"EC","crv":"P-256"},{"kid":"none","kty":"RSA"}]})");
  EXPECT_EQ(jwks.FindKid("ec")->unusable_reason, "kty \"EC\" is not RSA");
  EXPECT_EQ(jwks.FindKid("none")->unusable_reason, "carries neither x5c nor n/e");
  EXPECT_EQ(jwks.FindKid("ec")->key, nullptr);
}

}  // namespace
}  // namespace keyattest::jose
