// release-response rules over a synthetic vault TLS chain under a test root
// (passed as --root would be): each rule fails on its own next to the
// passing baseline.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include "keyattest/io/json_reader.h"
#include "keyattest/skr/release_response.h"
#include "keyattest/skr/skr_checks.h"
#include "keyattest/skr/vault_chain.h"
#include "keyattest/x509/certificate.h"
#include "tests/skr/vault_pki.h"
#include "tests/support/test_pki.h"

namespace keyattest::skr {
namespace {

using Json = nlohmann::ordered_json;
using testing::MakeVaultPki;
using testing::Utc;
using testing::VaultPki;
using testing::VaultPkiOptions;

constexpr const char* kHost = "myvault.vault.test";

/// Stands in for the JOSE layer's RS256 check where a test is about
/// another rule.
void SignatureAssumed(const Certificate&, Report& report) { report.Pass(kResponseSignature, "assumed by the test"); }

TrustAnchor Anchor(const VaultPki& pki) {
  const std::string pem = pki.RootPem();
  return TrustAnchor(
      ParseSinglePemCertificate(ByteSpan(reinterpret_cast<const std::uint8_t*>(pem.data()), pem.size())));
}

ReleaseResponseOptions Options(const VaultPki& pki, std::time_t at = Utc(2022, 6, 1)) {
  ReleaseResponseOptions options;
  options.vault = kHost;
  options.roots = {Anchor(pki)};
  options.check_time.at = at;
  options.check_time.from_clock = false;
  return options;
}

DecodedResponse Response(const VaultPki& pki) {
  return DecodedResponse{testing::ResponseHeader(pki),
                         testing::ResponsePayload(kHost, "mykey", "0123456789abcdef0123456789abcdef",
                                                  "https://a.attest.azure.net", "TpmEphemeralEncryptionKey")};
}

Report Verify(const DecodedResponse& response, const ReleaseResponseOptions& options, const Json* claims = nullptr) {
  Report report;
  VerifyDecodedResponse(response, options, SignatureAssumed, claims, report);
  return report;
}

CheckStatus Status(const Report& r, const CheckDefinition& check) {
  const CheckResult* c = r.Find(check.id);
  return c == nullptr ? CheckStatus::kSkip : c->status;
}
std::string Detail(const Report& r, const CheckDefinition& check) {
  const CheckResult* c = r.Find(check.id);
  return c == nullptr ? "(absent)" : c->detail;
}

class ReleaseResponseTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { pki_ = new VaultPki(MakeVaultPki()); }
  static void TearDownTestSuite() {
    delete pki_;
    pki_ = nullptr;
  }
  static VaultPki* pki_;
};
VaultPki* ReleaseResponseTest::pki_ = nullptr;

TEST_F(ReleaseResponseTest, BaselinePassesEveryRule) {
  const Report r = Verify(Response(*pki_), Options(*pki_));
  for (const auto& c : r.checks) {
    if (c.id == "response.policy" || c.id == "response.kek") {
      EXPECT_EQ(c.status, CheckStatus::kSkip) << c.id;
    } else {
      EXPECT_EQ(c.status, CheckStatus::kPass) << c.id << ": " << c.detail;
    }
  }
  EXPECT_EQ(r.exit_code(), ExitCode::kVerified);
  EXPECT_EQ(Detail(r, kResponseHostname), "x5c[0] subjectAltName '*.vault.test' covers myvault.vault.test");
  EXPECT_EQ(Detail(r, kResponseRequestKid),
            "key 'mykey' version 0123456789abcdef0123456789abcdef on myvault.vault.test");
  EXPECT_EQ(r.facts["released_key"]["key_hsm"]["kid"], "TpmEphemeralEncryptionKey");
  EXPECT_EQ(r.facts["released_key"]["key_hsm"]["ciphertext"], "27 bytes (not shown)");
  EXPECT_EQ(r.facts["released_key"]["modulus_bits"], 2048);
  EXPECT_EQ(r.facts["release_policy"]["decoded"]["anyOf"][0]["authority"], "https://a.attest.azure.net");
  EXPECT_EQ(r.facts.dump().find("SECRET"), std::string::npos);
  EXPECT_EQ(
      r.facts.dump().find(testing::ResponsePayload(kHost, "mykey", "0", "a", "k")["response"]["key"]["key"]["key_hsm"]
                              .get<std::string>()
                              .substr(0, 40)),
      std::string::npos)
      << "the wrapped key blob must never be in the report";
}

TEST_F(ReleaseResponseTest, WrongHostFails) {
  ReleaseResponseOptions options = Options(*pki_);
  for (const char* host : {"myvault.vault.example", "a.b.vault.test", "vault.test.evil", "xvault.test"}) {
    options.vault = host;
    const Report r = Verify(Response(*pki_), options);
    EXPECT_EQ(Status(r, kResponseHostname), CheckStatus::kFail) << host;
    EXPECT_EQ(r.exit_code(), ExitCode::kVerificationFailed);
  }
  options.vault = "vault.test";
  EXPECT_EQ(Status(Verify(Response(*pki_), options), kResponseHostname), CheckStatus::kPass);
}

TEST_F(ReleaseResponseTest, WrongHostFailsTheHostnameCheckAlone) {
  ReleaseResponseOptions options = Options(*pki_);
  options.vault = "myvault.vault.example";
  const Report r = Verify(Response(*pki_), options);
  EXPECT_EQ(Detail(r, kResponseHostname), "no DNS subjectAltName of x5c[0] covers myvault.vault.example");
  EXPECT_EQ(Status(r, kResponseChain), CheckStatus::kPass) << Detail(r, kResponseChain);
}

TEST_F(ReleaseResponseTest, HostnameIsCheckedEvenWhenTheChainFails) {
  const Report expired = Verify(Response(*pki_), Options(*pki_, Utc(2023, 1, 2)));
  EXPECT_EQ(Status(expired, kResponseChain), CheckStatus::kFail);
  EXPECT_EQ(Detail(expired, kResponseHostname), "x5c[0] subjectAltName '*.vault.test' covers myvault.vault.test");
  ReleaseResponseOptions wrong = Options(*pki_, Utc(2023, 1, 2));
  wrong.vault = "other.example";
  EXPECT_EQ(Status(Verify(Response(*pki_), wrong), kResponseHostname), CheckStatus::kFail);
}

TEST_F(ReleaseResponseTest, CommonNameIsNeverUsedForTheHost) {
  VaultPkiOptions o;
  o.leaf_san = "DNS:other.example";
  const VaultPki pki = MakeVaultPki(o);
  ReleaseResponseOptions options = Options(pki);
  options.vault = "vault.test";  // the leaf's CN, not in its SAN
  EXPECT_EQ(Status(Verify(Response(pki), options), kResponseHostname), CheckStatus::kFail);
}

TEST_F(ReleaseResponseTest, PartialWildcardDoesNotMatch) {
  VaultPkiOptions o;
  o.leaf_san = "DNS:my*.vault.test";
  const VaultPki pki = MakeVaultPki(o);
  EXPECT_EQ(Status(Verify(Response(pki), Options(pki)), kResponseHostname), CheckStatus::kFail);
}

TEST_F(ReleaseResponseTest, LeafWithoutServerAuthFails) {
  for (const char* eku : {"clientAuth", ""}) {
    VaultPkiOptions o;
    o.leaf_eku = eku;
    const VaultPki pki = MakeVaultPki(o);
    const Report r = Verify(Response(pki), Options(pki));
    EXPECT_EQ(Status(r, kResponseChain), CheckStatus::kFail) << eku;
    EXPECT_NE(Detail(r, kResponseChain).find("serverAuth"), std::string::npos) << Detail(r, kResponseChain);
  }
}

TEST_F(ReleaseResponseTest, ExpiredLeafFailsAndTheSameChainPassesInsideItsWindow) {
  const Report expired = Verify(Response(*pki_), Options(*pki_, Utc(2023, 1, 2)));
  EXPECT_EQ(Status(expired, kResponseChain), CheckStatus::kFail);
  EXPECT_NE(Detail(expired, kResponseChain).find("certificate has expired"), std::string::npos);
  const Report early = Verify(Response(*pki_), Options(*pki_, Utc(2021, 12, 31)));
  EXPECT_EQ(Status(early, kResponseChain), CheckStatus::kFail);
  EXPECT_EQ(Status(Verify(Response(*pki_), Options(*pki_, Utc(2022, 12, 31))), kResponseChain), CheckStatus::kPass);
}

TEST_F(ReleaseResponseTest, OtherRootFails) {
  const VaultPki other = MakeVaultPki();  // same keys: use the compiled-in root instead
  ReleaseResponseOptions options = Options(*pki_);
  options.roots = BuiltinAnchors(kVaultRootPurpose);
  ASSERT_EQ(options.roots.size(), 1u);
  const Report r = Verify(Response(other), options);
  EXPECT_EQ(Status(r, kResponseChain), CheckStatus::kFail);
  EXPECT_NE(Detail(r, kResponseChain).find("DigiCert Global Root G2"), std::string::npos);
}

/// Standard base64 of `cert`'s DER with the last signature byte flipped.
std::string FlippedSignatureX5c(X509* cert) {
  Bytes der = ToDer(i2d_X509, cert, "i2d_X509");
  der.back() ^= 0x01;
  std::string out(4 * ((der.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), der.data(), static_cast<int>(der.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

TEST_F(ReleaseResponseTest, CertificateSignatureThatDoesNotVerifyFails) {
  DecodedResponse response = Response(*pki_);
  response.header["x5c"][0] = FlippedSignatureX5c(pki_->leaf.get());
  const Report leaf = Verify(response, Options(*pki_));
  EXPECT_EQ(Status(leaf, kResponseChain), CheckStatus::kFail);
  EXPECT_NE(Detail(leaf, kResponseChain)
                .find("x5c does not chain to CN=Test TLS Root,O=Test Vault PKI at 2022-06-01T00:00:00Z: certificate "
                      "signature failure (OpenSSL error 7, depth 0, CN=vault.test,O=Test Vault PKI)"),
            std::string::npos)
      << Detail(leaf, kResponseChain);
  response = Response(*pki_);
  response.header["x5c"][1] = FlippedSignatureX5c(pki_->ca.get());
  const Report ca = Verify(response, Options(*pki_));
  EXPECT_NE(Detail(ca, kResponseChain).find("certificate signature failure (OpenSSL error 7, depth 1, "),
            std::string::npos)
      << Detail(ca, kResponseChain);
}

TEST_F(ReleaseResponseTest, ChainWithoutIntermediateFails) {
  DecodedResponse response = Response(*pki_);
  response.header["x5c"] = Json::array({response.header["x5c"][0]});
  EXPECT_EQ(Status(Verify(response, Options(*pki_)), kResponseChain), CheckStatus::kFail);
}

TEST_F(ReleaseResponseTest, ThumbprintMismatchFails) {
  for (const char* name : {"x5t", "x5t#S256"}) {
    DecodedResponse response = Response(*pki_);
    response.header[name] = "AAAA";
    const Report r = Verify(response, Options(*pki_));
    EXPECT_EQ(Status(r, kResponseX5t), CheckStatus::kFail) << name;
    EXPECT_EQ(r.exit_code(), ExitCode::kVerificationFailed);
  }
  DecodedResponse none = Response(*pki_);
  none.header.erase("x5t");
  none.header.erase("x5t#S256");
  EXPECT_EQ(Status(Verify(none, Options(*pki_)), kResponseX5t), CheckStatus::kSkip);
}

TEST_F(ReleaseResponseTest, AlgorithmOtherThanRs256Fails) {
  for (const Json& alg : {Json("RS384"), Json("PS256"), Json("rs256"), Json("none"), Json("HS256"), Json(nullptr)}) {
    DecodedResponse response = Response(*pki_);
    response.header["alg"] = alg;
    const Report r = Verify(response, Options(*pki_));
    EXPECT_EQ(Status(r, kResponseAlg), CheckStatus::kFail) << alg.dump();
    EXPECT_EQ(Status(r, kResponseSignature), CheckStatus::kSkip) << "never verified under a header-chosen algorithm";
    EXPECT_EQ(r.exit_code(), ExitCode::kVerificationFailed);
  }
  DecodedResponse crit = Response(*pki_);
  crit.header["crit"] = Json::array({"exp"});
  EXPECT_EQ(Status(Verify(crit, Options(*pki_)), kResponseAlg), CheckStatus::kFail);
}

TEST_F(ReleaseResponseTest, EmptyOrMissingX5cIsMalformed) {
  for (const Json& x5c :
       {Json::array(), Json("abc"), Json::array({"not base64!"}), Json::array({"AAAA"}), Json::array({1})}) {
    DecodedResponse response = Response(*pki_);
    response.header["x5c"] = x5c;
    const Report r = Verify(response, Options(*pki_));
    EXPECT_EQ(r.exit_code(), ExitCode::kUnreadable) << x5c.dump();
    EXPECT_EQ(r.checks.front().id, "response.format");
  }
  DecodedResponse missing = Response(*pki_);
  missing.header.erase("x5c");
  EXPECT_EQ(*Verify(missing, Options(*pki_)).input_error, "response.format: the header has no x5c");
  DecodedResponse url = Response(*pki_);
  std::string first = url.header["x5c"][0];
  for (char& c : first) c = c == '+' ? '-' : c == '/' ? '_' : c;
  url.header["x5c"][0] = first;
  if (first != Response(*pki_).header["x5c"][0].get<std::string>()) {
    EXPECT_EQ(Verify(url, Options(*pki_)).exit_code(), ExitCode::kUnreadable) << "x5c is not base64url";
  }
}

TEST_F(ReleaseResponseTest, PayloadWithoutKidsIsMalformed) {
  DecodedResponse response = Response(*pki_);
  response.payload["request"].erase("kid");
  EXPECT_EQ(*Verify(response, Options(*pki_)).input_error, "response.format: the payload has no request.kid string");
  DecodedResponse no_key = Response(*pki_);
  no_key.payload["response"]["key"]["key"].erase("kid");
  EXPECT_EQ(Verify(no_key, Options(*pki_)).exit_code(), ExitCode::kUnreadable);
}

TEST_F(ReleaseResponseTest, RequestKidMustBeOnTheVaultAndMatchTheReleasedKey) {
  struct Case {
    const char* request;
    const char* released;
  };
  const Case cases[] = {
      {"https://other.vault.test/keys/mykey", "https://other.vault.test/keys/mykey/01"},
      {"https://myvault.vault.test/keys/mykey", "https://myvault.vault.test/keys/otherkey/01"},
      {"https://myvault.vault.test/keys/mykey", "https://other.vault.test/keys/mykey/01"},
      {"https://myvault.vault.test/keys/mykey/01", "https://myvault.vault.test/keys/mykey/02"},
      {"https://myvault.vault.test/keys/mykey", "https://myvault.vault.test/keys/mykey"},
      {"https://myvault.vault.test/secrets/mykey", "https://myvault.vault.test/secrets/mykey/01"},
      {"http://myvault.vault.test/keys/mykey", "http://myvault.vault.test/keys/mykey/01"},
      {"https://myvault.vault.test/keys/mykey/01/x", "https://myvault.vault.test/keys/mykey/01"},
      {"https://myvault.vault.test/keys/my key", "https://myvault.vault.test/keys/my key/01"},
  };
  for (const auto& c : cases) {
    DecodedResponse response = Response(*pki_);
    response.payload["request"]["kid"] = c.request;
    response.payload["response"]["key"]["key"]["kid"] = c.released;
    EXPECT_EQ(Status(Verify(response, Options(*pki_)), kResponseRequestKid), CheckStatus::kFail)
        << c.request << " / " << c.released;
  }
  DecodedResponse versioned = Response(*pki_);
  versioned.payload["request"]["kid"] = "https://MyVault.vault.test/keys/mykey/01";
  versioned.payload["response"]["key"]["key"]["kid"] = "https://myvault.vault.test/keys/mykey/01";
  EXPECT_EQ(Status(Verify(versioned, Options(*pki_)), kResponseRequestKid), CheckStatus::kPass);
}

TEST_F(ReleaseResponseTest, TokenChecksPolicyAndKek) {
  const Json claims = Json(ParseStrictJson(
      R"({"iss":"https://a.attest.azure.net","x-ms-attestation-type":"sevsnpvm",
          "x-ms-runtime":{"keys":[{"kid":"TpmEphemeralEncryptionKey","key_ops":["encrypt"],"kty":"RSA"}]}})",
      8));
  const Report r = Verify(Response(*pki_), Options(*pki_), &claims);
  EXPECT_EQ(Status(r, kResponsePolicy), CheckStatus::kPass) << Detail(r, kResponsePolicy);
  EXPECT_EQ(Status(r, kResponseKek), CheckStatus::kPass) << Detail(r, kResponseKek);
  EXPECT_EQ(r.facts["release_policy"]["evaluation"]["released"], true);

  const Json other_iss = Json(ParseStrictJson(R"({"iss":"https://b.attest.azure.net","x-ms-attestation-type":"sevsnpvm",
          "x-ms-runtime":{"keys":[{"kid":"TpmEphemeralEncryptionKey","key_ops":["encrypt"]}]}})",
                                              8));
  EXPECT_EQ(Status(Verify(Response(*pki_), Options(*pki_), &other_iss), kResponsePolicy), CheckStatus::kFail);

  const Json nested_only =
      Json(ParseStrictJson(R"({"iss":"https://a.attest.azure.net","x-ms-attestation-type":"sevsnpvm",
          "x-ms-isolation-tee":{"x-ms-runtime":{"keys":[{"kid":"TpmEphemeralEncryptionKey","key_ops":["encrypt"]}]}}})",
                           8));
  EXPECT_EQ(Status(Verify(Response(*pki_), Options(*pki_), &nested_only), kResponseKek), CheckStatus::kFail);

  const Json sign_only = Json(ParseStrictJson(R"({"iss":"https://a.attest.azure.net","x-ms-attestation-type":"sevsnpvm",
          "x-ms-runtime":{"keys":[{"kid":"TpmEphemeralEncryptionKey","key_ops":["sign"]}]}})",
                                              8));
  EXPECT_EQ(Detail(Verify(Response(*pki_), Options(*pki_), &sign_only), kResponseKek),
            "x-ms-runtime key 'TpmEphemeralEncryptionKey' is not an encryption key");

  const Json use_enc = Json(ParseStrictJson(R"({"iss":"https://a.attest.azure.net","x-ms-attestation-type":"sevsnpvm",
          "x-ms-runtime":{"keys":[{"kid":"TpmEphemeralEncryptionKey","use":"enc"}]}})",
                                            8));
  EXPECT_EQ(Status(Verify(Response(*pki_), Options(*pki_), &use_enc), kResponseKek), CheckStatus::kPass);
}

TEST_F(ReleaseResponseTest, TokenChecksAreSkippedWhenTheResponseIsNotTrusted) {
  const Json claims = Json(ParseStrictJson(
      R"({"iss":"https://a.attest.azure.net","x-ms-attestation-type":"sevsnpvm",
          "x-ms-runtime":{"keys":[{"kid":"TpmEphemeralEncryptionKey","key_ops":["encrypt"]}]}})",
      8));
  const Report r = Verify(Response(*pki_), Options(*pki_, Utc(2030, 1, 1)), &claims);
  EXPECT_EQ(Status(r, kResponsePolicy), CheckStatus::kSkip);
  EXPECT_EQ(Status(r, kResponseKek), CheckStatus::kSkip);
  EXPECT_EQ(r.exit_code(), ExitCode::kVerificationFailed);
}

TEST(ResponseEnvelopeTest, ValueBodyOrCompact) {
  EXPECT_EQ(ExtractResponseJws(R"({"value":"a.b.c"})"), "a.b.c");
  EXPECT_EQ(ExtractResponseJws("a.b.c\r\n"), "a.b.c");
  EXPECT_THROW(ExtractResponseJws(R"({"value":"a.b.c","x":1})"), ResponseFormatError);
  EXPECT_THROW(ExtractResponseJws(R"({"value":1})"), ResponseFormatError);
  EXPECT_THROW(ExtractResponseJws(R"({"value":"a","value":"b"})"), ResponseFormatError);
  EXPECT_THROW(ExtractResponseJws(""), ResponseFormatError);
}

TEST(VaultHostTest, BareHostNamesOnly) {
  EXPECT_NO_THROW(ValidateVaultHost("skr-kvq6srllol2jntw.vault.azure.net"));
  for (const char* bad : {"https://v.vault.azure.net", "v.vault.azure.net:443", "v.vault.azure.net/", "", ".v", "v..x",
                          "v.vault.azure.net.", "*.vault.azure.net"}) {
    EXPECT_ANY_THROW(ValidateVaultHost(bad)) << bad;
  }
}

TEST(KeyIdTest, Shape) {
  const auto id = ParseKeyId("https://h.vault.azure.net/keys/k-1/abc123");
  ASSERT_TRUE(id);
  EXPECT_EQ(id->host, "h.vault.azure.net");
  EXPECT_EQ(id->name, "k-1");
  EXPECT_EQ(id->version, "abc123");
  EXPECT_FALSE(ParseKeyId("https://h/keys/"));
  EXPECT_FALSE(ParseKeyId("https://h/keys/k/"));
  EXPECT_FALSE(ParseKeyId("https:///keys/k"));
}

}  // namespace
}  // namespace keyattest::skr
