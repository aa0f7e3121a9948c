#include "keyattest/key_attestation/attestation_document.h"

#include "keyattest/io/base64.h"

#include <gtest/gtest.h>

#include <fstream>

#include "tests/support/attestation_files.h"
#include "tests/support/blob_builder.h"
#include "tests/support/test_paths.h"

namespace keyattest {
namespace {

using testing::ReadRepoSample;

std::string InputErrorOf(const std::string& text) {
  try {
    ParseAttestationDocument(text);
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "accepted: " << text.substr(0, 200);
  return "";
}

TEST(AttestationDocumentTest, LoadsWholeResponse) {
  AttestationDocument doc = ParseAttestationDocument(ReadRepoSample("azure-sdk-js-rsa2048"));
  EXPECT_EQ(doc.shape, DocumentShape::kFullResponse);
  EXPECT_EQ(doc.version, "MRVL-1");
  EXPECT_EQ(doc.private_key_attestation.size(), 1523u);
  ASSERT_TRUE(doc.public_key_attestation.has_value());
  EXPECT_EQ(doc.public_key_attestation->size(), 1511u);
  EXPECT_EQ(doc.key["kty"], "RSA-HSM");
  EXPECT_EQ(std::string(doc.certificate_pem.begin(), doc.certificate_pem.begin() + 27), "-----BEGIN CERTIFICATE-----");
}

TEST(AttestationDocumentTest, LoadsAttributesAndAttestationObjects) {
  auto full = nlohmann::json::parse(ReadRepoSample("azure-sdk-js-rsa2048"));
  AttestationDocument attrs = ParseAttestationDocument(full["attributes"].dump());
  EXPECT_EQ(attrs.shape, DocumentShape::kAttributesObject);
  AttestationDocument att = ParseAttestationDocument(full["attributes"]["attestation"].dump());
  EXPECT_EQ(att.shape, DocumentShape::kAttestationObject);
  EXPECT_EQ(att.private_key_attestation, attrs.private_key_attestation);
  EXPECT_TRUE(att.key.is_null());
}

TEST(AttestationDocumentTest, SymmetricKeyHasNoPublicBlob) {
  AttestationDocument doc = ParseAttestationDocument(ReadRepoSample("azure-sdk-net-oct-aes256"));
  EXPECT_FALSE(doc.public_key_attestation.has_value());
}

TEST(AttestationDocumentTest, AcceptsStandardBase64AndPadding) {
  auto att = nlohmann::json::parse(ReadRepoSample("azure-sdk-js-rsa2048"))["attributes"]["attestation"];
  AttestationDocument reference = ParseAttestationDocument(att.dump());
  std::string b64 = att["privateKeyAttestation"];
  for (char& c : b64) c = c == '-' ? '+' : c == '_' ? '/' : c;
  while (b64.size() % 4) b64 += '=';
  att["privateKeyAttestation"] = b64;
  EXPECT_EQ(ParseAttestationDocument(att.dump()).private_key_attestation, reference.private_key_attestation);
}

TEST(AttestationDocumentTest, RejectsNonJson) {
  EXPECT_EQ(InputErrorOf("not json"), "not valid JSON at line 1, column 2 (byte 2)");
}

TEST(AttestationDocumentTest, RejectsNonObject) {
  EXPECT_EQ(InputErrorOf("[1,2]"), "not an attestation document: top-level JSON value is not an object");
}

TEST(AttestationDocumentTest, RejectsUnrelatedObject) {
  EXPECT_EQ(InputErrorOf(R"({"hello": 1})"),
            "not an attestation document: expected a key attestation response ({\"key\", \"attributes\": "
            "{\"attestation\"}}), its 'attributes' object, or its 'attestation' object");
}

TEST(AttestationDocumentTest, NamesMissingRequiredField) {
  auto full = nlohmann::json::parse(ReadRepoSample("azure-sdk-js-rsa2048"));
  for (const char* field : {"version", "certificatePemFile", "privateKeyAttestation"}) {
    auto copy = full;
    copy["attributes"]["attestation"].erase(field);
    EXPECT_EQ(InputErrorOf(copy.dump()),
              std::string("required field 'attributes.attestation.") + field + "' is missing");
  }
  auto no_att = full;
  no_att["attributes"].erase("attestation");
  EXPECT_EQ(InputErrorOf(no_att.dump()).rfind("required field 'attributes.attestation' is missing: ", 0), 0U);
}

TEST(AttestationDocumentTest, RejectsWrongTypes) {
  auto full = nlohmann::json::parse(ReadRepoSample("azure-sdk-js-rsa2048"));
  auto copy = full;
  copy["attributes"]["attestation"]["privateKeyAttestation"] = 42;
  EXPECT_EQ(InputErrorOf(copy.dump()), "field 'attributes.attestation.privateKeyAttestation' is not a string");
  copy = full;
  copy["attributes"]["attestation"]["publicKeyAttestation"] = true;
  EXPECT_EQ(InputErrorOf(copy.dump()), "field 'attributes.attestation.publicKeyAttestation' is not a string");
  copy = full;
  copy["attributes"]["attestation"] = "x";
  EXPECT_EQ(InputErrorOf(copy.dump()), "field 'attributes.attestation' is not an object");
}

TEST(AttestationDocumentTest, RejectsBadBase64WithFieldName) {
  auto full = nlohmann::json::parse(ReadRepoSample("azure-sdk-js-rsa2048"));
  full["attributes"]["attestation"]["privateKeyAttestation"] = "AAAA$AAA";
  EXPECT_EQ(InputErrorOf(full.dump()),
            "field 'attributes.attestation.privateKeyAttestation' is not base64: invalid character '$' at position 4");
}

TEST(AttestationDocumentTest, RejectsDeepNestingWithoutRecursion) {
  std::string deep(200000, '[');
  EXPECT_EQ(InputErrorOf(deep), "not a valid attestation document: JSON nesting deeper than 32 levels");
}

TEST(AttestationDocumentTest, RejectsDuplicateMembers) {
  auto att = nlohmann::json::parse(ReadRepoSample("azure-sdk-js-rsa2048"))["attributes"]["attestation"];
  std::string text = att.dump();
  text.insert(1, R"("privateKeyAttestation":"AAAA",)");
  EXPECT_EQ(InputErrorOf(text), "not a valid attestation document: duplicate JSON member \"privateKeyAttestation\"");
}

TEST(AttestationDocumentTest, RejectsOversizedField) {
  nlohmann::json att = {{"version", "MRVL-1"},
                        {"certificatePemFile", std::string(kMaxBase64FieldChars + 4, 'A')},
                        {"privateKeyAttestation", "AAAA"}};
  EXPECT_EQ(InputErrorOf(att.dump()), "field 'certificatePemFile' is 1048580 characters, over the limit of 1048576");
}

TEST(AttestationDocumentTest, RejectsTooManyPemBlocksAndOversizedBlobs) {
  auto full = nlohmann::json::parse(ReadRepoSample("azure-sdk-js-rsa2048"));
  AttestationDocument doc = ParseAttestationDocument(full.dump());
  std::string pem(doc.certificate_pem.begin(), doc.certificate_pem.end());
  std::string many;
  for (int i = 0; i < 5; ++i) many += pem;  // 20 blocks
  auto copy = full;
  copy["attributes"]["attestation"]["certificatePemFile"] = EncodeBase64Url(AsBytes(many));
  EXPECT_EQ(InputErrorOf(copy.dump()),
            "field 'attributes.attestation.certificatePemFile' holds more than 16 PEM blocks");
  copy = full;
  copy["attributes"]["attestation"]["publicKeyAttestation"] = EncodeBase64Url(Bytes(65537, 0));
  EXPECT_EQ(InputErrorOf(copy.dump()),
            "field 'attributes.attestation.publicKeyAttestation' is 65537 bytes, over the 65536-byte limit for an "
            "attestation blob");
  // Exactly at the limits is readable (and then fails verification, not loading).
  std::string sixteen;
  for (int i = 0; i < 4; ++i) sixteen += pem;
  copy = full;
  copy["attributes"]["attestation"]["certificatePemFile"] = EncodeBase64Url(AsBytes(sixteen));
  copy["attributes"]["attestation"]["publicKeyAttestation"] = EncodeBase64Url(Bytes(65536, 0));
  EXPECT_NO_THROW(ParseAttestationDocument(copy.dump()));
}

TEST(AttestationDocumentTest, NamesEachFieldInItsShapeWhenItFails) {
  // Field names are spelled out only when a field fails: each shape's
  // names, exactly.
  EXPECT_EQ(InputErrorOf(R"({"version":"MRVL-1","certificatePemFile":"@@","privateKeyAttestation":"AAAA"})"),
            "field 'certificatePemFile' is not base64: invalid character '@' at position 0");
  EXPECT_EQ(InputErrorOf(R"({"attestation":{"version":"MRVL-1","certificatePemFile":"QUJD",)"
                         R"("privateKeyAttestation":"A"}})"),
            "field 'attestation.privateKeyAttestation' is not base64: length 1 cannot be base64");
  EXPECT_EQ(InputErrorOf(R"({"attributes":{"attestation":{"version":"MRVL-1","certificatePemFile":"QUJD",)"
                         R"("privateKeyAttestation":"AAAA","publicKeyAttestation":"A="}}})"),
            "field 'attributes.attestation.publicKeyAttestation' is not base64: incorrect '=' padding");
  EXPECT_EQ(InputErrorOf(R"({"attestation":{"content":"@@"}})"),
            "field 'attestation.content' is not base64: invalid character '@' at position 0");
  // The twin: the same documents with valid fields load.
  AttestationDocument doc =
      ParseAttestationDocument(R"({"attributes":{"attestation":{"version":"MRVL-1","certificatePemFile":"QUJD",)"
                               R"("privateKeyAttestation":"AAAA","publicKeyAttestation":"AA=="}}})");
  EXPECT_EQ(std::string(doc.certificate_pem.begin(), doc.certificate_pem.end()), "ABC");
  EXPECT_EQ(doc.private_key_attestation, Bytes(3, 0));
  EXPECT_EQ(doc.public_key_attestation, Bytes(1, 0));
  EXPECT_TRUE(doc.key.is_null());
}

TEST(AttestationDocumentTest, GoogleAndRawInputsNameTheirLimitsExactly) {
  std::string block = "-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----";
  nlohmann::json certs = nlohmann::json::array();
  for (int i = 0; i < 17; ++i) certs.push_back(block);
  nlohmann::json google = {
      {"attestation",
       {{"content", EncodeBase64Url(testing::Gzip(Bytes(8, 1)))}, {"certChains", {{"caviumCerts", certs}}}}}};
  EXPECT_EQ(InputErrorOf(google.dump()), "field 'attestation.certChains' holds more than 16 PEM blocks");
  google["attestation"]["certChains"]["caviumCerts"].erase(16);  // the twin: 16 blocks load
  EXPECT_EQ(ParseAttestationDocument(google.dump()).private_key_attestation, Bytes(8, 1));

  std::string pem;
  for (int i = 0; i < 17; ++i) pem += block + "\n";
  auto raw_error = [](ByteSpan blob, const std::string& bundle) {
    try {
      (void)MakeRawAttestationDocument(blob, Bytes(bundle.begin(), bundle.end()));
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("(loaded)");
  };
  EXPECT_EQ(raw_error(Bytes(8, 1), pem), "the certificate bundle holds more than 16 PEM blocks");
  EXPECT_EQ(raw_error(Bytes(65537, 1), block),
            "the attestation blob is 65537 bytes, over the 65536-byte limit for an attestation blob");
  EXPECT_EQ(raw_error(Bytes(65536, 1), block), "(loaded)");
}

TEST(ReadInputFileTest, ReadsAFileWhole) {
  const std::string path = ::testing::TempDir() + "/keyattest_read_whole.json";
  std::string content(200000, 'x');
  content[0] = '{';
  {
    std::ofstream out(path, std::ios::binary);
    out << content;
  }
  EXPECT_EQ(ReadAttestationInput(path), content);
  std::ofstream(path, std::ios::binary | std::ios::trunc).flush();
  EXPECT_EQ(ReadAttestationInput(path), "");
}

TEST(ReadInputFileTest, OverTheLimitIsRefusedBeforeReading) {
  const std::string path = ::testing::TempDir() + "/keyattest_read_big.json";
  {
    std::ofstream out(path, std::ios::binary);
    out.seekp(static_cast<std::streamoff>(kMaxInputFileBytes));
    out.put('x');  // one byte over: a sparse file
  }
  try {
    ReadAttestationInput(path);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), "'" + path + "' is larger than the " + std::to_string(kMaxInputFileBytes >> 20) +
                                         " MiB limit for an attestation document");
  }
}

TEST(ReadInputFileTest, DirectoryCannotBeRead) {
  try {
    ReadAttestationInput(::testing::TempDir());
    FAIL();
  } catch (const InputError& e) {
    // Only regular files are read (issue 10: nothing may block on a special file).
    EXPECT_EQ(std::string(e.what()),
              "'" + ::testing::TempDir() + "' is a directory, not a regular file (use '-' for standard input)");
  }
}

TEST(ReadInputFileTest, MissingFileNamesPath) {
  try {
    ReadAttestationInput("/nonexistent/attestation.json");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), "cannot open '/nonexistent/attestation.json': No such file or directory");
  }
}

}  // namespace
}  // namespace keyattest
