// A PKCS#10 certificate request as the --key input (docs/marvell-format.md §8.2 "CSR
// input"): the request's key, once its self-signature verifies, must come out
// exactly as the same key given as a JWK, whatever encoding the request used
// (PEM or DER, compressed point, explicit curve parameters).
#include <gtest/gtest.h>
#include <openssl/core_names.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>

#include "keyattest/key_attestation/expected_key.h"
#include "tests/support/attestation_files.h"
#include "tests/support/attestation_json.h"
#include "tests/support/test_keys.h"

namespace keyattest {
namespace {

using X509ReqPtr = std::unique_ptr<X509_REQ, OpenSslFree<X509_REQ_free>>;
using testing::TestKeyId;

/// A copy of `key` (private half included) whose public key is encoded the
/// given way: `point_format` "compressed"/"uncompressed", `encoding`
/// "named_curve"/"explicit". Copied because test keys are shared.
EvpPkeyPtr EcKeyEncodedAs(EVP_PKEY* key, const char* point_format, const char* encoding) {
  EvpPkeyPtr copy(CheckNotNull(EVP_PKEY_dup(key), "EVP_PKEY_dup"));
  CheckOpenSsl(
      EVP_PKEY_set_utf8_string_param(copy.get(), OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT, point_format) == 1,
      "EVP_PKEY_set_utf8_string_param");
  CheckOpenSsl(EVP_PKEY_set_utf8_string_param(copy.get(), OSSL_PKEY_PARAM_EC_ENCODING, encoding) == 1,
               "EVP_PKEY_set_utf8_string_param");
  return copy;
}

/// A request for `key`, self-signed with SHA-256.
X509ReqPtr MakeRequest(EVP_PKEY* key) {
  X509ReqPtr req(CheckNotNull(X509_REQ_new(), "X509_REQ_new"));
  CheckOpenSsl(X509_REQ_set_version(req.get(), X509_REQ_VERSION_1) == 1, "X509_REQ_set_version");
  X509_NAME* name = X509_REQ_get_subject_name(req.get());
  CheckOpenSsl(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                          reinterpret_cast<const unsigned char*>("csr-test-subject"), -1, -1, 0) == 1,
               "X509_NAME_add_entry_by_txt");
  CheckOpenSsl(X509_REQ_set_pubkey(req.get(), key) == 1, "X509_REQ_set_pubkey");
  CheckOpenSsl(X509_REQ_sign(req.get(), key, EVP_sha256()) > 0, "X509_REQ_sign");
  return req;
}

Bytes RequestDer(X509_REQ* req) {
  const int len = i2d_X509_REQ(req, nullptr);
  CheckOpenSsl(len > 0, "i2d_X509_REQ");
  Bytes der(static_cast<std::size_t>(len));
  unsigned char* p = der.data();
  CheckOpenSsl(i2d_X509_REQ(req, &p) == len, "i2d_X509_REQ");
  return der;
}

/// PEM with the given label around arbitrary DER (so tampered bytes can be
/// wrapped too).
std::string Pem(const char* label, const Bytes& der) {
  BioPtr bio(CheckNotNull(BIO_new(BIO_s_mem()), "BIO_new"));
  CheckOpenSsl(PEM_write_bio(bio.get(), label, "", der.data(), static_cast<long>(der.size())) > 0, "PEM_write_bio");
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(len));
}

std::string RequestPem(X509_REQ* req) { return Pem("CERTIFICATE REQUEST", RequestDer(req)); }

/// A file in the test temp dir, removed again when the test is done. The
/// name carries the pid so that concurrent test processes never share one.
class TempFile {
 public:
  TempFile(const std::string& name, std::string_view content)
      : path_(::testing::TempDir() + "keyattest_csr_key_test_" + std::to_string(::getpid()) + "_" + name) {
    std::ofstream out(path_, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.close();
    if (!out) throw std::runtime_error("cannot write " + path_);
  }
  TempFile(const std::string& name, const Bytes& content)
      : TempFile(name, std::string_view(reinterpret_cast<const char*>(content.data()), content.size())) {}
  ~TempFile() {
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

ExpectedKey FromJwk(EVP_PKEY* key) {
  const std::string kid = testing::AzureKid("csrpool", "csr-key", "0123456789abcdef0123456789abcdef");
  return ExpectedKeyFromJwk(nlohmann::json::parse(testing::MakeJwkJson(key, kid)), "attestation JWK");
}

void ExpectSameKey(const ExpectedKey& got, const ExpectedKey& want) {
  EXPECT_EQ(got.rsa_n, want.rsa_n);
  EXPECT_EQ(got.rsa_e, want.rsa_e);
  EXPECT_EQ(got.ec_point, want.ec_point);
  EXPECT_EQ(got.ec_nid, want.ec_nid);
  EXPECT_EQ(got.spki_der, want.spki_der);
  EXPECT_TRUE(got.IsAsymmetric());
}

std::string KeyErrorOf(const std::string& path) {
  try {
    LoadExpectedKeyFile(path);
  } catch (const KeyError& e) {
    return e.what();
  }
  return "(no KeyError)";
}

bool StartsWith(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

/// The request's SubjectPublicKeyInfo as encoded: its public key bytes and
/// the type of its algorithm parameters (V_ASN1_OBJECT = named curve).
struct EncodedKey {
  std::size_t key_bytes = 0;
  std::uint8_t first_byte = 0;
  int parameter_type = 0;
};

EncodedKey EncodedKeyOf(X509_REQ* req) {
  X509_PUBKEY* spki = CheckNotNull(X509_REQ_get_X509_PUBKEY(req), "X509_REQ_get_X509_PUBKEY");
  const unsigned char* pk = nullptr;
  int pk_len = 0;
  X509_ALGOR* algorithm = nullptr;
  CheckOpenSsl(X509_PUBKEY_get0_param(nullptr, &pk, &pk_len, &algorithm, spki) == 1, "X509_PUBKEY_get0_param");
  int type = 0;
  X509_ALGOR_get0(nullptr, &type, nullptr, algorithm);
  return {static_cast<std::size_t>(pk_len), pk_len > 0 ? pk[0] : std::uint8_t{0}, type};
}

TEST(CsrKeyTest, RsaPemRequestEqualsTheJwk) {
  EvpPkeyPtr key = testing::LoadTestKey(TestKeyId::kSubjectRsa2048);
  X509ReqPtr req = MakeRequest(key.get());
  const TempFile file("rsa.csr", RequestPem(req.get()));
  const std::string& path = file.path();
  ExpectedKey got = LoadExpectedKeyFile(path);
  ExpectSameKey(got, FromJwk(key.get()));
  EXPECT_EQ(got.spki_der, testing::SpkiDer(key.get()));
  EXPECT_EQ(got.kty, "RSA");
  EXPECT_EQ(got.source, "--key " + path);
  EXPECT_EQ(got.Description(), "RSA-2048");
}

TEST(CsrKeyTest, EcPemRequestEqualsTheJwk) {
  EvpPkeyPtr key = testing::LoadTestKey(TestKeyId::kSubjectEcP256);
  X509ReqPtr req = MakeRequest(key.get());
  const TempFile file("ec.csr", RequestPem(req.get()));
  const std::string& path = file.path();
  ExpectedKey got = LoadExpectedKeyFile(path);
  ExpectSameKey(got, FromJwk(key.get()));
  EXPECT_EQ(got.spki_der, testing::SpkiDer(key.get()));
  EXPECT_EQ(got.kty, "EC");
  EXPECT_EQ(got.ec_nid, NID_X9_62_prime256v1);
  EXPECT_EQ(got.ec_point.size(), 65u);
}

TEST(CsrKeyTest, AcceptsTheNewCertificateRequestLabel) {
  EvpPkeyPtr key = testing::LoadTestKey(TestKeyId::kSubjectRsa2048);
  X509ReqPtr req = MakeRequest(key.get());
  const std::string pem = Pem("NEW CERTIFICATE REQUEST", RequestDer(req.get()));
  ASSERT_NE(pem.find("-----BEGIN NEW CERTIFICATE REQUEST-----"), std::string::npos);
  ExpectSameKey(LoadExpectedKeyFile(TempFile("new-label.csr", pem).path()), FromJwk(key.get()));
}

TEST(CsrKeyTest, RejectsATamperedSignature) {
  for (TestKeyId id : {TestKeyId::kSubjectRsa2048, TestKeyId::kSubjectEcP256}) {
    EvpPkeyPtr key = testing::LoadTestKey(id);
    X509ReqPtr req = MakeRequest(key.get());
    Bytes der = RequestDer(req.get());
    der.back() ^= 0x01;  // the last byte of the signature
    const TempFile file("bad-signature.csr", Pem("CERTIFICATE REQUEST", der));
    const std::string& path = file.path();
    const std::string error = KeyErrorOf(path);
    EXPECT_TRUE(StartsWith(error, "'" + path + "': the certificate request's signature does not verify")) << error;
  }
}

TEST(CsrKeyTest, RejectsATamperedBody) {
  EvpPkeyPtr key = testing::LoadTestKey(TestKeyId::kSubjectRsa2048);
  X509ReqPtr req = MakeRequest(key.get());
  Bytes der = RequestDer(req.get());
  const std::string_view cn = "csr-test-subject";
  auto at = std::search(der.begin(), der.end(), cn.begin(), cn.end());
  ASSERT_NE(at, der.end());
  *at = 'C';  // the signature stays the original one
  const TempFile file("bad-body.csr", Pem("CERTIFICATE REQUEST", der));
  const std::string& path = file.path();
  const std::string error = KeyErrorOf(path);
  EXPECT_TRUE(StartsWith(error, "'" + path + "': the certificate request's signature does not verify")) << error;
}

TEST(CsrKeyTest, CompressedPointComesOutUncompressed) {
  EvpPkeyPtr key = testing::LoadTestKey(TestKeyId::kSubjectEcP256);
  EvpPkeyPtr compressed = EcKeyEncodedAs(key.get(), "compressed", "named_curve");
  X509ReqPtr req = MakeRequest(compressed.get());
  const EncodedKey encoded = EncodedKeyOf(req.get());
  ASSERT_EQ(encoded.key_bytes, 33u);  // the request really carries 02/03 || X
  ASSERT_TRUE(encoded.first_byte == 0x02 || encoded.first_byte == 0x03);
  ExpectedKey got = LoadExpectedKeyFile(TempFile("compressed.csr", RequestPem(req.get())).path());
  ExpectSameKey(got, FromJwk(key.get()));
  EXPECT_EQ(got.ec_point.size(), 65u);
  EXPECT_EQ(got.ec_point[0], 0x04);
}

TEST(CsrKeyTest, ExplicitParametersComeOutAsTheNamedCurve) {
  EvpPkeyPtr key = testing::LoadTestKey(TestKeyId::kSubjectEcP256);
  for (const char* format : {"uncompressed", "compressed"}) {
    EvpPkeyPtr explicit_key = EcKeyEncodedAs(key.get(), format, "explicit");
    X509ReqPtr req = MakeRequest(explicit_key.get());
    ASSERT_EQ(EncodedKeyOf(req.get()).parameter_type, V_ASN1_SEQUENCE) << format;  // ECParameters, not an OID
    ExpectedKey got = LoadExpectedKeyFile(TempFile("explicit.csr", RequestPem(req.get())).path());
    ExpectSameKey(got, FromJwk(key.get()));
    EXPECT_EQ(got.ec_nid, NID_X9_62_prime256v1) << format;
    EXPECT_EQ(got.spki_der, testing::SpkiDer(key.get())) << format;
  }
}

TEST(CsrKeyTest, DerRequestEqualsTheJwk) {
  for (TestKeyId id : {TestKeyId::kSubjectRsa2048, TestKeyId::kSubjectEcP256}) {
    EvpPkeyPtr key = testing::LoadTestKey(id);
    X509ReqPtr req = MakeRequest(key.get());
    ExpectSameKey(LoadExpectedKeyFile(TempFile("request.der", RequestDer(req.get())).path()), FromJwk(key.get()));
  }
  EvpPkeyPtr ec = testing::LoadTestKey(TestKeyId::kSubjectEcP256);
  EvpPkeyPtr compressed = EcKeyEncodedAs(ec.get(), "compressed", "explicit");
  X509ReqPtr req = MakeRequest(compressed.get());
  ExpectSameKey(LoadExpectedKeyFile(TempFile("compressed.der", RequestDer(req.get())).path()), FromJwk(ec.get()));
}

TEST(CsrKeyTest, DerRequestWithTamperedSignatureIsRejected) {
  EvpPkeyPtr key = testing::LoadTestKey(TestKeyId::kSubjectEcP256);
  X509ReqPtr req = MakeRequest(key.get());
  Bytes der = RequestDer(req.get());
  der.back() ^= 0x01;
  const TempFile file("bad-signature.der", der);
  const std::string& path = file.path();
  const std::string error = KeyErrorOf(path);
  EXPECT_TRUE(StartsWith(error, "'" + path + "': the certificate request's signature does not verify")) << error;
}

TEST(CsrKeyTest, DerSubjectPublicKeyInfoEqualsTheJwk) {
  for (TestKeyId id : {TestKeyId::kSubjectRsa2048, TestKeyId::kSubjectEcP256}) {
    EvpPkeyPtr key = testing::LoadTestKey(id);
    ExpectSameKey(LoadExpectedKeyFile(TempFile("spki.der", testing::SpkiDer(key.get())).path()), FromJwk(key.get()));
  }
  EvpPkeyPtr ec = testing::LoadTestKey(TestKeyId::kSubjectEcP256);
  EvpPkeyPtr compressed = EcKeyEncodedAs(ec.get(), "compressed", "explicit");
  ExpectSameKey(LoadExpectedKeyFile(TempFile("spki-compressed.der", testing::SpkiDer(compressed.get())).path()),
                FromJwk(ec.get()));
}

TEST(CsrKeyTest, DerMustFillTheWholeFile) {
  EvpPkeyPtr key = testing::LoadTestKey(TestKeyId::kSubjectRsa2048);
  X509ReqPtr req = MakeRequest(key.get());
  Bytes der = RequestDer(req.get());
  der.push_back(0x00);
  const TempFile request("trailing.der", der);
  EXPECT_EQ(KeyErrorOf(request.path()),
            "'" + request.path() + "' has trailing bytes after its DER certificate request");

  Bytes spki = testing::SpkiDer(key.get());
  spki.push_back(0x00);
  const TempFile key_file("trailing-spki.der", spki);
  EXPECT_EQ(KeyErrorOf(key_file.path()),
            "'" + key_file.path() + "' has trailing bytes after its DER SubjectPublicKeyInfo");
}

TEST(CsrKeyTest, RejectsDerThatIsNeitherRequestNorKey) {
  const TempFile file("garbage.der", Bytes{0x30, 0x03, 0x02, 0x01, 0x00});
  const std::string& path = file.path();
  const std::string error = KeyErrorOf(path);
  EXPECT_TRUE(StartsWith(error, "'" + path + "' is neither a DER certificate request nor a DER SubjectPublicKeyInfo"))
      << error;
}

TEST(CsrKeyTest, RejectsARequestAmongOtherPemBlocks) {
  EvpPkeyPtr key = testing::LoadTestKey(TestKeyId::kSubjectRsa2048);
  X509ReqPtr req = MakeRequest(key.get());
  const std::string two = RequestPem(req.get()) + Pem("PUBLIC KEY", testing::SpkiDer(key.get()));
  const TempFile mixed("two-blocks.pem", two);
  EXPECT_EQ(KeyErrorOf(mixed.path()),
            "'" + mixed.path() + "' holds a certificate request among 2 PEM blocks; give exactly one");
  const TempFile twice("two-requests.pem", RequestPem(req.get()) + RequestPem(req.get()));
  EXPECT_EQ(KeyErrorOf(twice.path()),
            "'" + twice.path() + "' holds a certificate request among 2 PEM blocks; give exactly one");
}

TEST(CsrKeyTest, RejectsAMalformedPemRequest) {
  const TempFile file("malformed.csr",
                      "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n");
  const std::string& path = file.path();
  const std::string error = KeyErrorOf(path);
  EXPECT_TRUE(StartsWith(error, "'" + path + "' holds a malformed PEM certificate request")) << error;
}

TEST(CsrKeyTest, PemPublicKeyStillWorks) {
  EvpPkeyPtr key = testing::LoadTestKey(TestKeyId::kSubjectEcP256);
  EvpPkeyPtr compressed = EcKeyEncodedAs(key.get(), "compressed", "named_curve");
  const TempFile file("public.pem", Pem("PUBLIC KEY", testing::SpkiDer(compressed.get())));
  const std::string& path = file.path();
  ExpectSameKey(LoadExpectedKeyFile(path), FromJwk(key.get()));
}

}  // namespace
}  // namespace keyattest
