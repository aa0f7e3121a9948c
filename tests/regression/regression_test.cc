// Regression corpus of hostile and malformed inputs (docs/marvell-format.md §13 and the
// README's input limits). Every case is one whole attestation file run
// through VerifyAttestationFile (tests/support: the batch's FileVerifier),
// exactly as the command line runs it, and
// freezes two things: the exit code, and the exact error text — the input
// error for exit 3, or the id and detail of the first failing check for
// exit 1. A few verifying twins keep the harness honest.
//
// A case named DISABLED_* is a known library defect: its expectation is the
// correct behaviour, not the current one (see tests/regression/README.md).
#include <gtest/gtest.h>

#include <openssl/bn.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "keyattest/key_attestation/verifier.h"
#include "keyattest/report/report.h"
#include "tests/regression/regression_world.h"
#include "tests/support/attestation_files.h"
#include "tests/support/test_keys.h"

#ifndef KEYATTEST_REGRESSION_CASES
#error "KEYATTEST_REGRESSION_CASES must name tests/regression/cases"
#endif

namespace keyattest::regression {
namespace {

using testing::AppendAttribute;
using testing::RemoveAttribute;
using testing::ReplaceAttribute;
using testing::TestKeyId;
using testing::U32Be;
namespace t = keyattest::testing;

// ---- The table ----------------------------------------------------------------

struct Input {
  std::string json;  // written to a temporary file, unless `file` is set
  std::string file;  // a committed file under tests/regression/cases/
  Anchors anchors = Anchors::kSynthetic;
};

enum class Match {
  kExact,
  kPrefix,  // only for DISABLED_ cases whose exact wording is the fix's choice
};

struct Case {
  std::string name;
  std::function<Input()> make;
  int exit_code = 0;
  std::string check_id;  // first failing check (exit 1)
  std::string message;   // its detail (exit 1) or the input error (exit 3)
  Match match = Match::kExact;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

Case Verified(std::string name, std::function<Input()> make) { return {std::move(name), std::move(make), 0, "", ""}; }

Case Unreadable(std::string name, std::function<Input()> make, std::string message, Match match = Match::kExact) {
  return {std::move(name), std::move(make), 3, "", std::move(message), match};
}

Case Failed(std::string name, std::function<Input()> make, std::string check_id, std::string message,
            Match match = Match::kExact) {
  return {std::move(name), std::move(make), 1, std::move(check_id), std::move(message), match};
}

Input Text(std::string json) { return {std::move(json), "", Anchors::kSynthetic}; }
Input Real(std::string json) { return {std::move(json), "", Anchors::kBuiltin}; }
Input File(std::string name) { return {"", std::move(name), Anchors::kSynthetic}; }
Input Gcloud(const Bytes& content) { return {GcloudJson(content), "", Anchors::kSyntheticGoogle}; }

const World& W() { return World::Get(); }

// ---- Building blocks --------------------------------------------------------------

using Attributes = std::vector<Attribute>;
using Edit = std::function<void(Attributes&)>;

/// The synthetic RSA document whose private object went through `edit`.
Input PrivateRsa(const Edit& edit) {
  Attributes a = W().RsaPrivate();
  edit(a);
  return Text(W().JsonWithPrivate(W().Sign(LayoutBBuilder({14, a, {}, {}}))));
}

/// The synthetic EC document (private and public objects, EC JWK) whose
/// private object went through `edit`.
Input PrivateEc(const Edit& edit) {
  Attributes a = W().EcPrivate();
  edit(a);
  t::AzureJsonSpec spec = W().Spec();
  spec.private_blob = W().Sign(LayoutBBuilder({14, a, {}, {}}));
  spec.public_blob = W().Sign(LayoutBBuilder({13, W().EcPublic(), {}, {}}));
  spec.jwk_json = t::MakeJwkJson(W().ec(), World::Kid());
  return Text(t::MakeAzureAttestationJson(spec));
}

Input PrivateBlob(const Bytes& blob) { return Text(W().JsonWithPrivate(blob)); }
Input PublicBlob(const Bytes& blob) { return Text(W().JsonWithPublic(blob)); }
Input Bundle(const std::string& pem) { return Text(W().JsonWithBundle(pem)); }

/// A layout-A private blob with the RSA private object (handle 0x1f0a).
LayoutABuilder SingleA() { return LayoutABuilder({{0x1f0a, W().RsaPrivate(), {}, {}}}); }
/// A layout-A key pair: public (2022) then private (8870).
LayoutABuilder PairA() { return LayoutABuilder({{2022, W().RsaPublic(), {}, {}}, {8870, W().RsaPrivate(), {}, {}}}); }

/// Length of the signed blob SingleA() builds.
std::size_t SingleALength() { return SingleA().Unsigned(256).size() + 256; }

/// TLV bytes of the RSA private object (its declared size in layout B is this
/// plus 16 bytes of slack, as in the recordings).
std::uint32_t RsaPrivateTlvBytes() { return static_cast<std::uint32_t>(t::EncodeTlvs(W().RsaPrivate()).size()); }

std::string Pem(X509* c) { return World::Pem(c); }

/// The synthetic bundle without the certificate at `skip` (0 card,
/// 1 partition, 2 owner root, 3 owner partition) plus `extra`.
std::string BundleWithout(int skip, const std::string& extra = "") {
  const t::TestChain& c = W().chain();
  X509* all[] = {c.card.get(), c.partition.get(), c.owner_root.get(), c.owner_partition.get()};
  std::string pem;
  for (int i = 0; i < 4; ++i) {
    if (i != skip) pem += Pem(all[i]);
  }
  return pem + extra;
}

/// Specs of a second card or partition certificate: the default chain's
/// subject, shape and validity, another serial.
t::CertSpec CardSpec(long serial) {
  t::ChainOptions o;
  t::CertSpec s;
  s.subject = o.card_subject;
  s.multi_valued_rdn = true;
  s.version = 1;
  s.serial = serial;
  s.not_before = o.card_validity.not_before;
  s.not_after = o.card_validity.not_after;
  return s;
}

t::CertSpec PartitionSpec(long serial) {
  t::ChainOptions o;
  t::CertSpec s;
  s.subject = o.partition_subject;
  s.multi_valued_rdn = true;
  s.serial = serial;
  s.not_before = o.partition_validity.not_before;
  s.not_after = o.partition_validity.not_after;
  return s;
}

std::string ChainDoc(const t::ChainOptions& options) { return W().JsonForChain(t::MakeTestChain(options)); }

/// A PEM block of `label` around standard base64 of `der`.
std::string PemBlock(const std::string& label, const Bytes& der) {
  std::string b64 = t::Base64Encode(der, t::Base64Flavor::kStandard);
  std::string out = "-----BEGIN " + label + "-----\n";
  for (std::size_t i = 0; i < b64.size(); i += 64) out += b64.substr(i, 64) + "\n";
  return out + "-----END " + label + "-----\n";
}

Bytes Der(X509* cert) {
  int len = i2d_X509(cert, nullptr);
  Bytes out(static_cast<std::size_t>(len));
  unsigned char* p = out.data();
  i2d_X509(cert, &p);
  return out;
}

/// The real sample `name` with `edit` applied to its parsed JSON.
Input RealEdited(const std::string& name, const std::function<void(nlohmann::json&)>& edit) {
  nlohmann::json j = RealSample(name);
  edit(j);
  return Real(j.dump());
}

nlohmann::json& Att(nlohmann::json& j) { return j["attributes"]["attestation"]; }

// ---- JSON and base64 (exit 3) ---------------------------------------------------------

std::vector<Case> JsonCases() {
  return {
      Unreadable(
          "EmptyFile", [] { return File("empty.json"); },
          "empty file (did the az command fail? its error went to stderr)"),
      Unreadable(
          "WhitespaceOnly", [] { return File("whitespace_only.json"); }, "not valid JSON at line 3, column 1 (byte 6)"),
      Unreadable(
          "TopLevelArray", [] { return File("top_level_array.json"); },
          "not an attestation document: top-level JSON value is not an object"),
      Unreadable(
          "TrailingGarbage", [] { return File("trailing_garbage.json"); },
          "trailing data after the JSON document at line 1, column 77 (byte 77)"),
      Unreadable(
          "InvalidUtf8", [] { return File("invalid_utf8.json"); }, "not valid JSON at line 1, column 73 (byte 73)"),
      Unreadable(
          "NulByte", [] { return File("nul_byte.json"); }, "not valid JSON at line 1, column 72 (byte 72)"),
      Unreadable(
          "UnknownShape", [] { return Text(R"({"kid":"x","value":"y"})"); },
          "not an attestation document: expected a key attestation response ({\"key\", \"attributes\": "
          "{\"attestation\"}}), its 'attributes' object, or its 'attestation' object"),
      Unreadable(
          "AmbiguousShapeAzureResponseAndGoogleAttestation",
          [] {
            auto doc = nlohmann::json::parse(W().Json());
            doc["attestation"] = {{"content", "H4sI"}};
            return Text(doc.dump());
          },
          "ambiguous attestation document: it has the shape of the whole Azure response ({\"key\", \"attributes\": "
          "{\"attestation\"}}) and a gcloud key version ({\"attestation\": {\"content\", ...}}); give exactly one"),
      Unreadable(
          "KeyBesideTheAttributesObject",
          [] {
            auto doc = nlohmann::json::parse(W().Json());
            nlohmann::json attributes = doc["attributes"];
            attributes["key"] = doc["key"];
            return Text(attributes.dump());
          },
          "field 'key' is only valid in the whole Azure response, not beside its 'attributes' object "
          "({\"attestation\": {...}})"),
      Unreadable(
          "DeepNesting200000", [] { return Text(std::string(200000, '[') + std::string(200000, ']')); },
          "not a valid attestation document: JSON nesting deeper than 32 levels"),
      Unreadable(
          "DeepNestingObjects33",
          [] {
            std::string s;
            for (int i = 0; i < 33; ++i) s += "{\"a\":";
            return Text(s + "1" + std::string(33, '}'));
          },
          "not a valid attestation document: JSON nesting deeper than 32 levels"),
      Unreadable(
          "Nesting32IsAllowedButNotADocument", [] { return Text(std::string(32, '[') + std::string(32, ']')); },
          "not an attestation document: top-level JSON value is not an object"),
      Unreadable(
          "BracketsInsideStringsDoNotCount", [] { return Text("{\"x\":\"" + std::string(100000, '[') + "\"}"); },
          "not an attestation document: expected a key attestation response ({\"key\", \"attributes\": "
          "{\"attestation\"}}), its 'attributes' object, or its 'attestation' object"),
      Unreadable(
          "DuplicateTopLevelMember",
          [] {
            std::string j = W().Json();
            return Text(j.substr(0, j.size() - 1) + ",\"attributes\":{}}");
          },
          "not a valid attestation document: duplicate JSON member \"attributes\""),
      Unreadable(
          "DuplicatePrivateKeyAttestation",
          [] {
            std::string j = W().Json();
            const std::string key = "\"privateKeyAttestation\":";
            return Text(j.insert(j.find(key), key + "\"QQ\","));
          },
          "not a valid attestation document: duplicate JSON member \"privateKeyAttestation\""),
      Unreadable(
          "NumberOverflowsDouble", [] { return File("number_overflow.json"); },
          "not valid JSON at line 1, column 94 (byte 94)"),
      Unreadable(
          "IntegerOverflowsDouble",
          [] {
            return Text(R"({"certificatePemFile":"QQ","privateKeyAttestation":"QQ","version":"MRVL-1","n":1)" +
                        std::string(400, '0') + "}");
          },
          "not valid JSON at line 1, column 80 (byte 80)"),
      Unreadable(
          "VersionNotAString", [] { return Text(W().Json().replace(W().Json().find("\"MRVL-1\""), 8, "1")); },
          "field 'attributes.attestation.version' is not a string"),
      Unreadable(
          "MissingVersion", [] { return Text(R"({"certificatePemFile":"QQ","privateKeyAttestation":"QQ"})"); },
          "required field 'version' is missing"),
      Unreadable(
          "MissingCertificatePemFile",
          [] { return Text(R"({"attestation":{"privateKeyAttestation":"QQ","version":"MRVL-1"}})"); },
          "required field 'attestation.certificatePemFile' is missing"),
      Unreadable(
          "MissingPrivateKeyAttestation",
          [] { return Text(R"({"attributes":{"attestation":{"certificatePemFile":"QQ","version":"MRVL-1"}}})"); },
          "required field 'attributes.attestation.privateKeyAttestation' is missing"),
      Unreadable(
          "AttributesWithoutAttestation", [] { return Text(R"({"key":{},"attributes":{"enabled":true}})"); },
          "required field 'attributes.attestation' is missing: this is a key without its attestation (GET "
          "/keys/<name> answers so); the attestation comes from GET "
          "/keys/<name>/attestation?api-version=7.6-preview.1 or az keyvault key get-attestation"),
      Unreadable(
          "AttributesNotAnObject", [] { return Text(R"({"attributes":5})"); }, "field 'attributes' is not an object"),
      Unreadable(
          "AttestationNotAnObject", [] { return Text(R"({"attributes":{"attestation":"QQ"}})"); },
          "field 'attributes.attestation' is not an object"),
      Unreadable(
          "CertificatePemFileNull",
          [] { return Text(R"({"certificatePemFile":null,"privateKeyAttestation":"QQ","version":"MRVL-1"})"); },
          "field 'certificatePemFile' is not a string"),
      Unreadable(
          "PrivateKeyAttestationArray",
          [] { return Text(R"({"certificatePemFile":"QQ","privateKeyAttestation":["QQ"],"version":"MRVL-1"})"); },
          "field 'privateKeyAttestation' is not a string"),
      Unreadable(
          "PublicKeyAttestationNumber",
          [] {
            return Text(
                R"({"certificatePemFile":"QQ","privateKeyAttestation":"QQ","publicKeyAttestation":5,"version":"MRVL-1"})");
          },
          "field 'publicKeyAttestation' is not a string"),
      Unreadable(
          "EmptyPrivateKeyAttestation",
          [] { return Text(R"({"certificatePemFile":"QQ","privateKeyAttestation":"","version":"MRVL-1"})"); },
          "field 'privateKeyAttestation' is not base64: empty"),
      Unreadable(
          "EmptyPublicKeyAttestation",
          [] {
            return Text(
                R"({"certificatePemFile":"QQ","privateKeyAttestation":"QQ","publicKeyAttestation":"","version":"MRVL-1"})");
          },
          "field 'publicKeyAttestation' is not base64: empty"),
      Unreadable(
          "NotBase64Character",
          [] { return Text(R"({"certificatePemFile":"QQ","privateKeyAttestation":"QU$D","version":"MRVL-1"})"); },
          "field 'privateKeyAttestation' is not base64: invalid character '$' at position 2"),
      Unreadable(
          "NotBase64Whitespace",
          [] { return Text(R"({"certificatePemFile":"QU JDR","privateKeyAttestation":"QQ","version":"MRVL-1"})"); },
          "field 'certificatePemFile' is not base64: invalid character byte 0x20 at position 2"),
      Unreadable(
          "Base64MixedAlphabets",
          [] { return Text(R"({"certificatePemFile":"QQ","privateKeyAttestation":"+_8A","version":"MRVL-1"})"); },
          "field 'privateKeyAttestation' is not base64: mixes the standard and URL-safe alphabets"),
      Unreadable(
          "Base64ExcessPadding",
          [] { return Text(R"({"certificatePemFile":"QQ","privateKeyAttestation":"QQ=","version":"MRVL-1"})"); },
          "field 'privateKeyAttestation' is not base64: incorrect '=' padding"),
      Unreadable(
          "Base64ImpossibleLength",
          [] { return Text(R"({"certificatePemFile":"QQ","privateKeyAttestation":"QUJDR","version":"MRVL-1"})"); },
          "field 'privateKeyAttestation' is not base64: length 5 cannot be base64"),
      Unreadable(
          "Base64NonCanonicalTrailingBits",
          [] { return Text(R"({"certificatePemFile":"QQ","privateKeyAttestation":"QR","version":"MRVL-1"})"); },
          "field 'privateKeyAttestation' is not base64: non-zero trailing bits (not canonical base64)"),
      Unreadable(
          "Base64FieldOverOneMebibyte",
          [] {
            return Text(R"({"certificatePemFile":"QQ","privateKeyAttestation":")" + std::string((1u << 20) + 4, 'A') +
                        R"(","version":"MRVL-1"})");
          },
          "field 'privateKeyAttestation' is 1048580 characters, over the limit of 1048576"),
      Unreadable(
          "FileOverFourMebibytes",
          [] {
            std::string j = W().Json();
            return Text(j + std::string((4u << 20) + 1 - j.size(), ' '));
          },
          "'<file>' is larger than the 4 MiB limit for an attestation document"),
      Verified("FileOfExactlyFourMebibytesVerifies",
               [] {
                 std::string j = W().Json();
                 return Text(j + std::string((4u << 20) - j.size(), ' '));
               }),
  };
}

// ---- Document-level failures (exit 1) ------------------------------------------------

std::vector<Case> DocumentCases() {
  return {
      Verified("SyntheticRsaVerifies", [] { return Text(W().Json()); }),
      Verified("SyntheticEcVerifies", [] { return PrivateEc([](Attributes&) {}); }),
      Verified("StandardBase64Verifies",
               [] {
                 t::AzureJsonSpec spec = W().Spec();
                 spec.base64 = t::Base64Flavor::kStandard;
                 return Text(t::MakeAzureAttestationJson(spec));
               }),
      Verified("AttestationObjectAloneVerifies",
               [] {
                 t::AzureJsonSpec spec = W().Spec();
                 spec.wrap = t::JsonWrap::kAttestationOnly;
                 return Text(t::MakeAzureAttestationJson(spec));
               }),
      Failed(
          "UnsupportedVersion",
          [] {
            t::AzureJsonSpec spec = W().Spec();
            spec.version = "MRVL-2";
            return Text(t::MakeAzureAttestationJson(spec));
          },
          "document.version", "unsupported version 'MRVL-2', expected 'MRVL-1'"),
      Failed(
          "JwkNotAnObject", [] { return Text(W().JsonWithJwk("5")); }, "binding.key_material",
          "attestation JWK: JWK is not a JSON object"),
      Failed(
          "JwkForAnotherKey",
          [] {
            auto other = t::LoadTestKey(TestKeyId::kOtherPartitionRsa2048);
            return Text(W().JsonWithJwk(t::MakeJwkJson(other.get(), World::Kid())));
          },
          "binding.key_material", "RSA modulus differs from the attestation JWK"),
      Failed(
          "JwkKidNamesAnotherKey",
          [] { return Text(W().JsonWithJwk(t::MakeJwkJson(W().rsa(), t::AzureKid(kPool, "other", kKeyVersion)))); },
          "binding.key_id", "kid key name 'other' differs from the signed name 'regkey'"),
      Failed(
          "JwkRsaModulusZero", [] { return Text(W().JsonWithJwk(R"({"kty":"RSA-HSM","n":"AA","e":"AQAB"})")); },
          "binding.key_material", "attestation JWK: RSA modulus is zero"),
  };
}

// ---- Blob structure (docs/marvell-format.md §6.2, §13 structural errors) --------------------------

std::vector<Case> BlobStructureCases() {
  return {
      Failed(
          "BlobShorterThanHeaderPlusSignature", [] { return PrivateBlob(Bytes(287, 0)); }, "private.structure",
          "blob at offset 0: 287 bytes is shorter than the minimum of 288 (32-byte header + 256-byte signature)"),
      Failed(
          "BlobOfHeaderPlusSignatureOnly", [] { return PrivateBlob(Bytes(288, 0)); }, "private.structure",
          "layout at offset 0: not a valid layout A or B blob; as layout B: header.object_length at offset 16: is 0, "
          "expected 12 + object size 0"),
      Unreadable(
          "BlobOverSizeLimit",
          [] {
            const std::size_t base = W().Sign(W().PrivateB()).size();
            return PrivateBlob(W().Sign(W().PrivateB().SetTrailingZeros(264 + 65537 - base)));
          },
          "field 'attributes.attestation.privateKeyAttestation' is 65537 bytes, over the 65536-byte limit for an "
          "attestation blob"),
      Verified("BlobAtSizeLimitVerifiesWithANote",
               [] {
                 const std::size_t base = W().Sign(W().PrivateB()).size();
                 return PrivateBlob(W().Sign(W().PrivateB().SetTrailingZeros(264 + 65536 - base)));
               }),
      // Layout A is Google's (§2): a gcloud key version carries it.
      Verified("LayoutASingleObjectVerifies", [] { return Gcloud(t::Gzip(W().Sign(SingleA()))); }),
      Verified("LayoutAKeyPairVerifies", [] { return Gcloud(t::Gzip(W().Sign(PairA()))); }),
      Failed(
          "LayoutAInAnAzureDocument", [] { return PrivateBlob(W().Sign(SingleA())); }, "private.structure",
          "the blob is layout A, but an Azure MRVL-1 document carries layout B"),
      Failed(
          "LayoutBInAGoogleDocument", [] { return Gcloud(t::Gzip(W().Sign(W().PrivateB()))); }, "private.structure",
          "the blob is layout B, but a Google document carries layout A"),
      // Layout A header (§3, §6.2).
      Failed(
          "LayoutATotalSizeNotLength",
          [] { return PrivateBlob(W().Sign(SingleA().SetTotalSize(static_cast<std::uint32_t>(SingleALength() + 1)))); },
          "private.structure",
          "layout at offset 0: not a valid layout A or B blob; as layout A: header.total_size at offset 8: is 1256 but "
          "the blob is 1255 bytes"),
      Failed(
          "LayoutAResponseCodeNonZero", [] { return PrivateBlob(W().Sign(SingleA().SetResponseCode(0x80))); },
          "private.structure",
          "layout at offset 0: not a valid layout A or B blob; as layout A: header.response_code at offset 0: is 128, "
          "expected 0"),
      Failed(
          "LayoutAFlagsWithoutGetAttest", [] { return PrivateBlob(W().Sign(SingleA().SetFlags(1))); },
          "private.structure",
          "layout at offset 0: not a valid layout A or B blob; as layout A: header.flags at offset 4: is 0x00000001, "
          "expected 0x00000003 (GET_ATTR|GET_ATTEST)"),
      Failed(
          "LayoutAFlagsWithoutGetAttr", [] { return PrivateBlob(W().Sign(SingleA().SetFlags(2))); },
          "private.structure",
          "layout at offset 0: not a valid layout A or B blob; as layout A: header.flags at offset 4: is 0x00000002, "
          "expected 0x00000003 (GET_ATTR|GET_ATTEST)"),
      Failed(
          "LayoutAFlagsExcludeHeader", [] { return PrivateBlob(W().Sign(SingleA().SetFlags(7).SetInfoFlags(7))); },
          "private.structure",
          "layout at offset 0: not a valid layout A or B blob; as layout A: header.flags at offset 4: is 0x00000007, "
          "expected 0x00000003 (GET_ATTR|GET_ATTEST)"),
      Failed(
          "LayoutABufferSizeOverflows32Bits",
          [] { return PrivateBlob(W().Sign(SingleA().SetBufferSize(0xFFFFFF80u))); }, "private.structure",
          "layout at offset 0: not a valid layout A or B blob; as layout A: header.buffer_size at offset 12: "
          "4294967168 leaves no room for the 16-byte header and 256-byte signature in 1255 bytes"),
      Failed(
          "LayoutABufferSizeLeavesNoHeader",
          [] {
            return PrivateBlob(
                W().Sign(SingleA().SetBufferSize(static_cast<std::uint32_t>(SingleALength() - 256 - 15))));
          },
          "private.structure",
          "layout at offset 0: not a valid layout A or B blob; as layout A: header.buffer_size at offset 12: 984 "
          "leaves no room for the 16-byte header and 256-byte signature in 1255 bytes"),
      Failed(
          "LayoutANoHandles", [] { return PrivateBlob(W().Sign(SingleA().SetHandles({}))); }, "private.structure",
          "layout at offset 0: not a valid layout A or B blob; as layout A: header.handles at offset 16: 0 bytes of "
          "key handles, expected 8 (one key) or 16 (key pair)"),
      Failed(
          "LayoutAThreeHandles",
          [] {
            return PrivateBlob(W().Sign(SingleA().SetHandles({0x1f0a, 1, 2})));
          },
          "private.structure",
          "layout at offset 0: not a valid layout A or B blob; as layout A: header.handles at offset 16: 24 bytes of "
          "key handles, expected 8 (one key) or 16 (key pair)"),
      Failed(
          "LayoutATwoHandlesOneObject",
          [] {
            return PrivateBlob(W().Sign(SingleA().SetHandles({0x1f0a, 0x1f0b})));
          },
          "private.structure",
          "layout at offset 0: not a valid layout A or B blob; as layout A: header.handles at offset 16: 2 handles for "
          "1 objects"),
      Failed(
          "LayoutAHandleMismatch", [] { return PrivateBlob(W().Sign(SingleA().SetHandles({0x1f0b}))); },
          "private.structure",
          "layout at offset 0: not a valid layout A or B blob; as layout A: header.handle at offset 16: 7947 does not "
          "match object handle 7946"),
      Failed(
          "LayoutAPairSecondHandleMismatch",
          [] {
            return PrivateBlob(W().Sign(PairA().SetHandles({2022, 8871})));
          },
          "private.structure",
          "layout at offset 0: not a valid layout A or B blob; as layout A: header.handle at offset 24: 8871 does not "
          "match object handle 8870"),
      Failed(
          "LayoutAInfoVersion", [] { return PrivateBlob(W().Sign(SingleA().SetInfoVersion(2))); }, "private.structure",
          "layout at offset 0: not a valid layout A or B blob; as layout A: info.version at offset 24: is 2, expected "
          "1"),
      Failed(
          "LayoutAInfoFlagsDisagree", [] { return PrivateBlob(W().Sign(SingleA().SetInfoFlags(1))); },
          "private.structure",
          "layout at offset 0: not a valid layout A or B blob; as layout A: info.flags at offset 26: is 1, expected "
          "the header flags 3"),
      Failed(
          "LayoutAFirstOffsetNotEight", [] { return PrivateBlob(W().Sign(SingleA().SetOffset1(16))); },
          "private.structure",
          "layout at offset 0: not a valid layout A or B blob; as layout A: info.first_object_offset at offset 28: is "
          "16, expected 8"),
      Failed(
          "LayoutAFirstOffsetZero", [] { return PrivateBlob(W().Sign(SingleA().SetOffset1(0))); }, "private.structure",
          "layout at offset 0: not a valid layout A or B blob; as layout A: info.first_object_offset at offset 28: is "
          "0, expected 8"),
      Failed(
          "LayoutASecondOffsetOverlaps",
          [] {
            const auto off2 = static_cast<std::uint16_t>(8 + 12 + t::EncodeTlvs(W().RsaPublic()).size());
            return PrivateBlob(W().Sign(PairA().SetOffset2(static_cast<std::uint16_t>(off2 - 4))));
          },
          "private.structure",
          "layout at offset 0: not a valid layout A or B blob; as layout A: info.second_object_offset at offset 38: is "
          "950, expected 954 (directly after the first object)"),
      Failed(
          "LayoutASecondOffsetLeavesGap",
          [] {
            const auto off2 = static_cast<std::uint16_t>(8 + 12 + t::EncodeTlvs(W().RsaPublic()).size());
            return PrivateBlob(W().Sign(PairA().SetOffset2(static_cast<std::uint16_t>(off2 + 4))));
          },
          "private.structure",
          "layout at offset 0: not a valid layout A or B blob; as layout A: info.second_object_offset at offset 38: is "
          "958, expected 954 (directly after the first object)"),
      Failed(
          "LayoutASecondOffsetWithoutSecondObject", [] { return PrivateBlob(W().Sign(SingleA().SetOffset2(8))); },
          "private.structure",
          "layout at offset 0: not a valid layout A or B blob; as layout A: info.second_object_offset at offset 30: is "
          "8, expected 0"),
      Failed(
          "LayoutATrailingBytesBeforeSignature",
          [] {
            const std::size_t length = SingleALength();
            const Bytes body = SingleA()
                                   .SetTotalSize(static_cast<std::uint32_t>(length + 8))
                                   .SetBufferSize(static_cast<std::uint32_t>(length - 256 - 24 + 8))
                                   .Unsigned(256);
            return PrivateBlob(W().SignA(t::Concat(body, Bytes(8, 0))));
          },
          "private.structure",
          "layout at offset 0: not a valid layout A or B blob; as layout A: attribute_buffer at offset 999: 8 unparsed "
          "bytes before the signature"),
      Failed(
          "LayoutAObjectSizeSwallowsSecondObject",
          [] {
            const auto size0 = t::EncodeTlvs(W().RsaPublic()).size();
            const auto size1 = t::EncodeTlvs(W().RsaPrivate()).size();
            return PrivateBlob(W().Sign(PairA().SetObjectSize(0, static_cast<std::uint32_t>(size0 + 12 + size1))));
          },
          "private.structure",
          "layout at offset 0: not a valid layout A or B blob; as layout A: object.size at offset 48: declares 1901 "
          "bytes but the TLVs fill 934"),
      Failed(
          "LayoutAObjectSizeBeyondBuffer",
          [] { return PrivateBlob(W().Sign(SingleA().SetObjectSize(0, RsaPrivateTlvBytes() + 1))); },
          "private.structure",
          "layout at offset 0: not a valid layout A or B blob; as layout A: object.size at offset 40: 956 exceeds the "
          "955 bytes available"),
      Failed(
          "LayoutAObjectSizeShort",
          [] { return PrivateBlob(W().Sign(SingleA().SetObjectSize(0, RsaPrivateTlvBytes() - 1))); },
          "private.structure",
          "layout at offset 0: not a valid layout A or B blob; as layout A: attribute.length at offset 994: type "
          "0x00000172 declares 1 bytes but only 0 remain in the object"),
      // Layout B header (§4).
      Failed(
          "LayoutBReservedByteNonZero",
          [] {
            Bytes prefix(16, 0);
            prefix[3] = 7;
            return PrivateBlob(W().Sign(W().PrivateB().SetPrefix(prefix)));
          },
          "private.structure",
          "layout at offset 0: not a valid layout A or B blob; as layout B: header.reserved at offset 3: byte is 0x07, "
          "expected 0"),
      Failed(
          "LayoutBLastReservedByteNonZero",
          [] {
            Bytes prefix(16, 0);
            prefix[15] = 1;
            return PrivateBlob(W().Sign(W().PrivateB().SetPrefix(prefix)));
          },
          "private.structure",
          "layout at offset 0: not a valid layout A or B blob; as layout B: header.reserved at offset 15: byte is "
          "0x01, expected 0"),
      Failed(
          "LayoutBObjectLengthNotTwelvePlusSize",
          [] { return PrivateBlob(W().Sign(W().PrivateB().SetObjectLengthField(RsaPrivateTlvBytes() + 16 + 13))); },
          "private.structure",
          "layout at offset 0: not a valid layout A or B blob; as layout B: header.object_length at offset 16: is 984, "
          "expected 12 + object size 971"),
      Failed(
          "LayoutBObjectLengthWrapsIn32Bits",
          [] { return PrivateBlob(W().Sign(W().PrivateB().SetSize(0xFFFFFFF8u).SetObjectLengthField(4))); },
          "private.structure",
          "layout at offset 0: not a valid layout A or B blob; as layout B: header.object_length at offset 16: is 4, "
          "expected 12 + object size 4294967288"),
      Failed(
          "LayoutBSizeBeyondSignature",
          [] { return PrivateBlob(W().Sign(W().PrivateB().SetSize(5000).SetObjectLengthField(5012))); },
          "private.structure",
          "layout at offset 0: not a valid layout A or B blob; as layout B: object.size at offset 28: 5000 exceeds the "
          "1235 bytes before the signature"),
      Failed(
          "LayoutBSizeIntoSignature",
          [] {
            const std::uint32_t size = RsaPrivateTlvBytes() + 16 + 264 + 1;
            return PrivateBlob(W().Sign(W().PrivateB().SetSize(size).SetObjectLengthField(size + 12)));
          },
          "private.structure",
          "layout at offset 0: not a valid layout A or B blob; as layout B: object.size at offset 28: 1236 exceeds the "
          "1235 bytes before the signature"),
      Failed(
          "LayoutBNonZeroFill", [] { return PrivateBlob(W().Sign(W().PrivateB().SetFillByte(10, 0x5a))); },
          "private.structure",
          "layout at offset 0: not a valid layout A or B blob; as layout B: zero_fill at offset 997: byte is 0x5a, "
          "expected 0 between the last attribute and the signature"),
      Failed(
          "LayoutBNonZeroLastFillByte",
          [] { return PrivateBlob(W().Sign(W().PrivateB().SetFillByte(16 + 264 - 1, 0x01))); }, "private.structure",
          "layout at offset 0: not a valid layout A or B blob; as layout B: zero_fill at offset 1266: byte is 0x01, "
          "expected 0 between the last attribute and the signature"),
      Verified("LayoutBShortTrailerOnlyWarns",
               [] { return PrivateBlob(W().Sign(W().PrivateB().SetTrailingZeros(8))); }),
      Failed(
          "LayoutBPublicBlobStructure",
          [] {
            Bytes prefix(16, 0);
            prefix[0] = 0x80;
            return PublicBlob(W().Sign(W().PublicB().SetPrefix(prefix)));
          },
          "public.structure",
          "layout at offset 0: not a valid layout A or B blob; as layout B: header.reserved at offset 0: byte is 0x80, "
          "expected 0"),
  };
}

// ---- Objects and TLVs (§3.2, §13 object errors) ------------------------------------------

std::vector<Case> ObjectCases() {
  return {
      Failed(
          "CountZero", [] { return PrivateBlob(W().Sign(W().PrivateB().SetCount(0))); }, "private.structure",
          "layout at offset 0: not a valid layout A or B blob; as layout B: object.attribute_count at offset 24: is 0"),
      Failed(
          "CountOverLimit", [] { return PrivateBlob(W().Sign(W().PrivateB().SetCount(257))); }, "private.structure",
          "layout at offset 0: not a valid layout A or B blob; as layout B: object.attribute_count at offset 24: 257 "
          "exceeds the limit of 256"),
      Failed(
          "CountCannotFit", [] { return PrivateBlob(W().Sign(W().PrivateB().SetCount(200))); }, "private.structure",
          "layout at offset 0: not a valid layout A or B blob; as layout B: object.attribute_count at offset 24: 200 "
          "attributes cannot fit in 971 bytes"),
      Failed(
          "CountOneTooManyReadsSlack",
          [] {
            const auto n = static_cast<std::uint32_t>(W().RsaPrivate().size());
            return PrivateBlob(W().Sign(W().PrivateB().SetCount(n + 1)));
          },
          "private.structure",
          "layout at offset 0: not a valid layout A or B blob; as layout B: attribute.type at offset 987: duplicate "
          "attribute type 0x00000000"),
      Failed(
          "TlvHeaderCrossesObjectEnd",
          [] {
            const auto n = static_cast<std::uint32_t>(W().RsaPrivate().size());
            return PrivateBlob(W().Sign(W().PrivateB().SetSlack(4).SetCount(n + 1)));
          },
          "private.structure",
          "layout at offset 0: not a valid layout A or B blob; as layout B: attribute.length at offset 991: needs 4 "
          "bytes but only 0 remain"),
      Failed(
          "TlvLengthBeyondObject",
          [] {
            const std::uint32_t size = RsaPrivateTlvBytes() - 1;
            return PrivateBlob(W().Sign(W().PrivateB().SetSize(size).SetObjectLengthField(size + 12)));
          },
          "private.structure",
          "layout at offset 0: not a valid layout A or B blob; as layout B: attribute.length at offset 982: type "
          "0x00000172 declares 1 bytes but only 0 remain in the object"),
      Failed(
          "TlvLengthHuge",
          [] {
            Attributes a = W().RsaPrivate();
            Bytes tlvs = t::EncodeTlvs(a);
            // The first TLV (CLASS) claims 0xFFFFFFF0 bytes.
            tlvs[4] = 0xFF;
            tlvs[5] = 0xFF;
            tlvs[6] = 0xFF;
            tlvs[7] = 0xF0;
            const auto size = static_cast<std::uint32_t>(tlvs.size() + 16);
            Bytes body(16, 0);
            body = t::Concat(body, U32Be(size + 12));
            body = t::Concat(body, U32Be(14));
            body = t::Concat(body, U32Be(static_cast<std::uint32_t>(a.size())));
            body = t::Concat(body, U32Be(size));
            body = t::Concat(body, tlvs);
            body.resize(body.size() + 16 + 264, 0);
            return PrivateBlob(W().SignB(body));
          },
          "private.structure",
          "layout at offset 0: not a valid layout A or B blob; as layout B: attribute.length at offset 36: type "
          "0x00000000 declares 4294967280 bytes but only 963 remain in the object"),
      Failed(
          "DuplicateAttributeType",
          [] { return PrivateRsa([](Attributes& a) { AppendAttribute(a, t::kAttrSign, {1}); }); }, "private.structure",
          "layout at offset 0: not a valid layout A or B blob; as layout B: attribute.type at offset 987: duplicate "
          "attribute type 0x00000108"),
      Failed(
          "DuplicateClass", [] { return PrivateRsa([](Attributes& a) { AppendAttribute(a, t::kAttrClass, {3}); }); },
          "private.structure",
          "layout at offset 0: not a valid layout A or B blob; as layout B: attribute.type at offset 987: duplicate "
          "attribute type 0x00000000"),
      Failed(
          "TwoPrivateObjectsInOneBlob",
          [] {
            return Gcloud(t::Gzip(
                W().Sign(LayoutABuilder({{2022, W().RsaPrivate(), {}, {}}, {8870, W().RsaPrivate(), {}, {}}}))));
          },
          "private.object_class", "2 private or secret key objects, expected exactly 1"),
      Failed(
          "KeyPairObjectsDisagreeOnKey",
          [] {
            auto other = t::LoadTestKey(TestKeyId::kOtherPartitionRsa2048);
            return Gcloud(
                t::Gzip(W().Sign(LayoutABuilder({{2022, t::RsaPublicAttributes(other.get(), World::Id()), {}, {}},
                                                 {8870, W().RsaPrivate(), {}, {}}}))));
          },
          "private.object_class",
          "public and private objects of the key pair disagree: key material (OBJ_ATTR_MODULUS) differs"),
      Failed(
          "KeyPairObjectsDisagreeOnId",
          [] {
            return Gcloud(t::Gzip(W().Sign(LayoutABuilder(
                {{2022, t::RsaPublicAttributes(W().rsa(), "/keys/regkey/ffffffffffffffffffffffffffffffff"), {}, {}},
                 {8870, W().RsaPrivate(), {}, {}}}))));
          },
          "private.object_class", "public and private objects of the key pair disagree: IDs differ"),
      Failed(
          "KeyPairWithSecretBesideSecret",
          [] {
            return Gcloud(t::Gzip(W().Sign(LayoutABuilder(
                {{2022, t::AesSecretAttributes(World::Id()), {}, {}}, {8870, W().RsaPrivate(), {}, {}}}))));
          },
          "private.object_class", "2 private or secret key objects, expected exactly 1"),
      Failed(
          "PrivateBlobHoldsPublicObject", [] { return PrivateBlob(W().Sign(W().PublicB())); }, "private.object_class",
          "0 private or secret key objects, expected exactly 1"),
      Failed(
          "PublicBlobHoldsPrivateObject", [] { return PublicBlob(W().Sign(W().PrivateB())); }, "public.object_class",
          "object class is CKO_PRIVATE_KEY, expected CKO_PUBLIC_KEY"),
      Failed(
          "PublicBlobForAnotherKey",
          [] {
            auto other = t::LoadTestKey(TestKeyId::kOtherPartitionRsa2048);
            return PublicBlob(W().Sign(LayoutBBuilder({13, t::RsaPublicAttributes(other.get(), World::Id()), {}, {}})));
          },
          "blobs.same_key", "key material (OBJ_ATTR_MODULUS) differs"),
      Failed(
          "PublicBlobWithAnotherLabel",
          [] {
            return PublicBlob(
                W().Sign(LayoutBBuilder({13, t::RsaPublicAttributes(W().rsa(), World::Id(), "other_label"), {}, {}})));
          },
          "blobs.same_key", "labels differ"),
      Failed(
          "PublicBlobWithAnotherKcv",
          [] {
            Attributes a = W().RsaPublic();
            ReplaceAttribute(a, t::kAttrKcv, {0, 0, 0});
            return PublicBlob(W().Sign(LayoutBBuilder({13, a, {}, {}})));
          },
          "blobs.same_key", "key check values (OBJ_ATTR_KCV) differ"),
  };
}

// ---- Attribute values (§7.1, §13 value errors) -------------------------------------------

std::vector<Case> ValueCases() {
  return {
      Failed(
          "BooleanLengthTwo",
          [] { return PrivateRsa([](Attributes& a) {
                 ReplaceAttribute(a, t::kAttrSensitive, {1, 0});
               }); },
          "private.attributes", "OBJ_ATTR_SENSITIVE at offset 131: has length 2, expected 1"),
      Failed(
          "BooleanEmpty",
          [] { return PrivateRsa([](Attributes& a) { ReplaceAttribute(a, t::kAttrExtractable, {}); }); },
          "private.attributes", "OBJ_ATTR_EXTRACTABLE at offset 140: has length 0, expected 1"),
      Failed(
          "BooleanValueTwo",
          [] { return PrivateRsa([](Attributes& a) { ReplaceAttribute(a, t::kAttrNeverExtractable, {2}); }); },
          "private.attributes", "OBJ_ATTR_NEVER_EXTRACTABLE at offset 969: has value 2, expected 0 or 1"),
      Failed(
          "TokenLengthTwo",
          [] { return PrivateRsa([](Attributes& a) {
                 ReplaceAttribute(a, t::kAttrToken, {0, 1});
               }); },
          "private.attributes", "OBJ_ATTR_TOKEN at offset 50: has length 2, expected 1"),
      Verified("TokenValueTwoIsShownNotRejected",
               [] { return PrivateRsa([](Attributes& a) { ReplaceAttribute(a, t::kAttrToken, {2}); }); }),
      Failed(
          "ClassLengthTwo",
          [] { return PrivateRsa([](Attributes& a) {
                 ReplaceAttribute(a, t::kAttrClass, {0, 3});
               }); },
          "private.attributes", "OBJ_ATTR_CLASS at offset 32: has length 2, expected 1, 4 or 8"),
      Failed(
          "ClassUnknown", [] { return PrivateRsa([](Attributes& a) { ReplaceAttribute(a, t::kAttrClass, {9}); }); },
          "private.attributes", "OBJ_ATTR_CLASS at offset 32: has unknown value 9"),
      Verified("ClassAsFourBytesVerifies",
               [] { return PrivateRsa([](Attributes& a) {
                      ReplaceAttribute(a, t::kAttrClass, {0, 0, 0, 3});
                    }); }),
      Failed(
          "KeyTypeUnknown",
          [] { return PrivateRsa([](Attributes& a) { ReplaceAttribute(a, t::kAttrKeyType, {0x50}); }); },
          "private.attributes", "OBJ_ATTR_KEY_TYPE at offset 41: has unknown value 80"),
      Failed(
          "KeyTypeLengthThree",
          [] { return PrivateRsa([](Attributes& a) {
                 ReplaceAttribute(a, t::kAttrKeyType, {0, 0, 0});
               }); },
          "private.attributes", "OBJ_ATTR_KEY_TYPE at offset 41: has length 3, expected 1, 4 or 8"),
      Failed(
          "ClassMissing", [] { return PrivateRsa([](Attributes& a) { RemoveAttribute(a, t::kAttrClass); }); },
          "private.attributes", "OBJ_ATTR_CLASS at offset 20: is missing from the object"),
      Failed(
          "KeyTypeMissing", [] { return PrivateRsa([](Attributes& a) { RemoveAttribute(a, t::kAttrKeyType); }); },
          "private.attributes", "OBJ_ATTR_KEY_TYPE at offset 20: is missing from the object"),
      Failed(
          "ValueLenLengthThree",
          [] { return PrivateRsa([](Attributes& a) {
                 ReplaceAttribute(a, t::kAttrValueLen, {0, 4, 0xc1});
               }); },
          "private.attributes", "OBJ_ATTR_VALUE_LEN at offset 439: has length 3, expected 4"),
      Failed(
          "ModulusBitsLengthTwo",
          [] { return PrivateRsa([](Attributes& a) {
                 ReplaceAttribute(a, t::kAttrModulusBits, {8, 0});
               }); },
          "private.attributes", "OBJ_ATTR_MODULUS_BITS at offset 726: has length 2, expected 4"),
      Failed(
          "KeyGenMechanismLengthFive",
          [] { return PrivateRsa([](Attributes& a) { ReplaceAttribute(a, t::kAttrKeyGenMechanism, Bytes(5, 0)); }); },
          "private.attributes", "OBJ_ATTR_KEY_GEN_MECHANISM at offset 788: has length 5, expected 4"),
      Failed(
          "ModulusLeadingZero",
          [] {
            return PrivateRsa([](Attributes& a) {
              Bytes n = t::FindAttribute(a, t::kAttrModulus)->value;
              n.insert(n.begin(), 0);
              ReplaceAttribute(a, t::kAttrModulus, n);
            });
          },
          "private.attributes", "OBJ_ATTR_MODULUS at offset 462: has a non-minimal leading zero byte"),
      Failed(
          "ModulusEmpty", [] { return PrivateRsa([](Attributes& a) { ReplaceAttribute(a, t::kAttrModulus, {}); }); },
          "private.attributes", "OBJ_ATTR_MODULUS at offset 462: is empty"),
      Failed(
          "ModulusEven",
          [] {
            return PrivateRsa([](Attributes& a) {
              Bytes n = t::FindAttribute(a, t::kAttrModulus)->value;
              n.back() = static_cast<std::uint8_t>(n.back() & 0xFE);
              ReplaceAttribute(a, t::kAttrModulus, n);
            });
          },
          "private.attributes", "OBJ_ATTR_MODULUS at offset 462: is even"),
      Failed(
          "ModulusMissing", [] { return PrivateRsa([](Attributes& a) { RemoveAttribute(a, t::kAttrModulus); }); },
          "private.attributes", "OBJ_ATTR_MODULUS at offset 20: is missing for an asymmetric key"),
      Failed(
          "ModulusBitsMismatch",
          [] { return PrivateRsa([](Attributes& a) { ReplaceAttribute(a, t::kAttrModulusBits, U32Be(2047)); }); },
          "private.attributes", "OBJ_ATTR_MODULUS_BITS at offset 726: is 2047 but the modulus has 2048 bits"),
      Failed(
          "ModulusBitsMissing",
          [] { return PrivateRsa([](Attributes& a) { RemoveAttribute(a, t::kAttrModulusBits); }); },
          "private.attributes", "OBJ_ATTR_MODULUS_BITS at offset 20: is missing for an RSA key"),
      Failed(
          "ExponentEven",
          [] { return PrivateRsa([](Attributes& a) {
                 ReplaceAttribute(a, t::kAttrPublicExponent, {1, 0, 0});
               }); },
          "private.attributes", "OBJ_ATTR_PUBLIC_EXPONENT at offset 738: is 65536, not an odd value >= 3"),
      Failed(
          "ExponentOne",
          [] { return PrivateRsa([](Attributes& a) { ReplaceAttribute(a, t::kAttrPublicExponent, {1}); }); },
          "private.attributes", "OBJ_ATTR_PUBLIC_EXPONENT at offset 738: is 1, not an odd value >= 3"),
      Failed(
          "ExponentNineBytes",
          [] {
            return PrivateRsa([](Attributes& a) {
              Bytes e(9, 0);
              e[0] = 1;
              e[8] = 1;
              ReplaceAttribute(a, t::kAttrPublicExponent, e);
            });
          },
          "private.attributes", "OBJ_ATTR_PUBLIC_EXPONENT at offset 738: has length 9, expected 1 to 8"),
      Failed(
          "ExponentLeadingZero",
          [] { return PrivateRsa([](Attributes& a) {
                 ReplaceAttribute(a, t::kAttrPublicExponent, {0, 1, 0, 1});
               }); },
          "private.attributes", "OBJ_ATTR_PUBLIC_EXPONENT at offset 738: has a non-minimal leading zero byte"),
      Failed(
          "ExponentEmpty",
          [] { return PrivateRsa([](Attributes& a) { ReplaceAttribute(a, t::kAttrPublicExponent, {}); }); },
          "private.attributes", "OBJ_ATTR_PUBLIC_EXPONENT at offset 738: has length 0, expected 1 to 8"),
      Failed(
          "ExponentMissing",
          [] { return PrivateRsa([](Attributes& a) { RemoveAttribute(a, t::kAttrPublicExponent); }); },
          "private.attributes", "OBJ_ATTR_PUBLIC_EXPONENT at offset 20: is missing for an RSA key"),
      Failed(
          "EcPointCompressedPrefix",
          [] {
            return PrivateEc([](Attributes& a) {
              Bytes p = t::FindAttribute(a, t::kAttrModulus)->value;
              p[0] = 0x02;
              ReplaceAttribute(a, t::kAttrModulus, p);
            });
          },
          "private.attributes",
          "OBJ_ATTR_MODULUS at offset 462: EC point is not in uncompressed form (must start with 04)"),
      Failed(
          "EcPointShort",
          [] {
            return PrivateEc([](Attributes& a) {
              Bytes p = t::FindAttribute(a, t::kAttrModulus)->value;
              p.pop_back();
              ReplaceAttribute(a, t::kAttrModulus, p);
            });
          },
          "private.attributes",
          "OBJ_ATTR_MODULUS at offset 462: EC point is 64 bytes, expected 65 for P-256 (prime256v1)"),
      Failed(
          "EcPointOffCurve",
          [] {
            return PrivateEc([](Attributes& a) {
              Bytes p = t::FindAttribute(a, t::kAttrModulus)->value;
              p.back() = static_cast<std::uint8_t>(p.back() ^ 1);
              ReplaceAttribute(a, t::kAttrModulus, p);
            });
          },
          "private.attributes", "OBJ_ATTR_MODULUS at offset 462: EC point is not on P-256 (prime256v1)"),
      Failed(
          "EcUnsupportedCurve",
          [] { return PrivateEc([](Attributes& a) { ReplaceAttribute(a, t::kAttrModulusBits, U32Be(409)); }); },
          "private.attributes", "OBJ_ATTR_MODULUS_BITS at offset 535: 409 is not the NID of a supported curve"),
      Failed(
          "EcModulusBitsLengthTwo",
          [] { return PrivateEc([](Attributes& a) {
                 ReplaceAttribute(a, t::kAttrModulusBits, {0x01, 0x9f});
               }); },
          "private.attributes", "OBJ_ATTR_MODULUS_BITS at offset 535: has length 2, expected 4"),
      Failed(
          "EcEkcvLength31",
          [] { return PrivateEc([](Attributes& a) { AppendAttribute(a, t::kAttrEkcv, Bytes(31, 7)); }); },
          "private.attributes", "OBJ_ATTR_EKCV at offset 773: has length 31, expected 32"),
      Failed(
          "EcWithPublicExponent",
          [] { return PrivateEc([](Attributes& a) {
                 AppendAttribute(a, t::kAttrPublicExponent, {1, 0, 1});
               }); },
          "private.attributes", "OBJ_ATTR_PUBLIC_EXPONENT at offset 773: is present on an EC key"),
      Failed(
          "KcvLengthFour",
          [] { return PrivateRsa([](Attributes& a) {
                 ReplaceAttribute(a, t::kAttrKcv, {1, 2, 3, 4});
               }); },
          "private.attributes", "OBJ_ATTR_KCV at offset 451: has length 4, expected 3"),
      Failed(
          "EkcvLength31",
          [] { return PrivateRsa([](Attributes& a) { AppendAttribute(a, t::kAttrEkcv, Bytes(31, 7)); }); },
          "private.attributes", "OBJ_ATTR_EKCV at offset 987: has length 31, expected 32"),
      Failed(
          "LabelOver128Bytes",
          [] { return PrivateRsa([](Attributes& a) { ReplaceAttribute(a, t::kAttrLabel, Bytes(129, 'a')); }); },
          "private.attributes", "OBJ_ATTR_LABEL at offset 149: has length 129, more than 128"),
      Failed(
          "IdBytesAfterNul",
          [] {
            return PrivateRsa([](Attributes& a) {
              Bytes id = t::Text128(World::Id());
              id[100] = 'x';
              ReplaceAttribute(a, t::kAttrId, id);
            });
          },
          "private.attributes", "OBJ_ATTR_ID at offset 285: has non-NUL bytes after its terminating NUL"),
      Failed(
          "WrongKcvIsCaughtByBinding",
          [] { return PrivateRsa([](Attributes& a) {
                 ReplaceAttribute(a, t::kAttrKcv, {1, 2, 3});
               }); },
          "blobs.same_key", "key check values (OBJ_ATTR_KCV) differ"),
  };
}

// ---- Signatures (§9.2, §13 signature errors) -------------------------------------------------

std::vector<Case> SignatureCases() {
  return {
      Failed(
          "SignatureZero", [] { return PrivateBlob(t::Concat(W().PrivateB().Unsigned(), Bytes(256, 0))); },
          "private.signature", "signature value is zero"),
      Failed(
          "SignatureAllOnes", [] { return PrivateBlob(t::Concat(W().PrivateB().Unsigned(), Bytes(256, 0xFF))); },
          "private.signature", "signature value is not less than the partition key's modulus"),
      Failed(
          "SignatureEqualsModulus",
          [] {
            BIGNUM* n = nullptr;
            EVP_PKEY_get_bn_param(W().partition_key(), "n", &n);
            Bytes s(256);
            BN_bn2binpad(n, s.data(), 256);
            BN_free(n);
            return PrivateBlob(t::Concat(W().PrivateB().Unsigned(), s));
          },
          "private.signature", "signature value is not less than the partition key's modulus"),
      Failed(
          "LayoutBSignedWithDigestInfo", [] { return PrivateBlob(W().SignA(W().PrivateB().Unsigned())); },
          "private.signature",
          "signature uses the other layout's encoding; layout B requires PKCS#1 type-1 padding around the bare SHA-256 "
          "(no DigestInfo)"),
      Failed(
          "LayoutASignedWithoutDigestInfo", [] { return Gcloud(t::Gzip(W().SignB(SingleA().Unsigned(256)))); },
          "private.signature",
          "signature uses the other layout's encoding; layout A requires RSASSA-PKCS1-v1_5 with SHA-256 DigestInfo"),
      Failed(
          "SignatureByAnotherKey",
          [] {
            auto other = t::LoadTestKey(TestKeyId::kOtherPartitionRsa2048);
            return PrivateBlob(W().PrivateB().Sign(other.get()));
          },
          "private.signature",
          "signature does not verify (PKCS#1 type-1 padding around the bare SHA-256 (no DigestInfo)) under the "
          "partition key"),
      Failed(
          "SignedBytesChanged",
          [] {
            Bytes blob = W().Sign(W().PrivateB());
            // The label text "customer_key" -> "bustomer_key": still a valid label.
            const Bytes label = t::Text128("customer_key");
            auto it = std::search(blob.begin(), blob.end(), label.begin(), label.begin() + 12);
            *it = 'b';
            return PrivateBlob(blob);
          },
          "private.signature",
          "signature does not verify (PKCS#1 type-1 padding around the bare SHA-256 (no DigestInfo)) under the "
          "partition key"),
      Failed(
          "EncodedMessageWithType2Padding",
          [] {
            const Bytes data = W().PrivateB().Unsigned();
            Bytes em = t::Pkcs1Type1Encode(256, Sha256(data));
            em[1] = 0x02;
            return PrivateBlob(t::Concat(data, t::RsaPrivateRaw(W().partition_key(), em)));
          },
          "private.signature",
          "signature does not verify (PKCS#1 type-1 padding around the bare SHA-256 (no DigestInfo)) under the "
          "partition key"),
      Failed(
          "SignatureOneByteShort",
          [] {
            Bytes blob = W().Sign(W().PrivateB());
            blob.pop_back();
            return PrivateBlob(blob);
          },
          "private.signature",
          "signature does not verify (PKCS#1 type-1 padding around the bare SHA-256 (no DigestInfo)) under the "
          "partition key"),
      Failed(
          "SignatureFromA4096BitKey",
          [] {
            auto big = t::LoadTestKey(TestKeyId::kPartitionRsa4096);
            return PrivateBlob(W().PrivateB().Sign(big.get()));
          },
          "private.structure",
          "layout at offset 0: not a valid layout A or B blob; as layout B: zero_fill at offset 1267: byte is 0x2f, "
          "expected 0 between the last attribute and the signature"),
      Failed(
          "PublicBlobSignatureByAnotherKey",
          [] {
            auto other = t::LoadTestKey(TestKeyId::kOtherPartitionRsa2048);
            return PublicBlob(W().PublicB().Sign(other.get()));
          },
          "public.signature",
          "signature does not verify (PKCS#1 type-1 padding around the bare SHA-256 (no DigestInfo)) under the "
          "partition key"),
  };
}

// ---- Certificates (§10, §12 steps 3-6, §13 certificate errors) ------------------------------

std::vector<Case> CertificateCases() {
  return {
      Failed(
          "BundleEmptyOfCertificates", [] { return Bundle("\n \n"); }, "certificates.bundle",
          "certificate bundle: no certificates"),
      Failed(
          "BundlePublicKeyBlock",
          [] { return Bundle(BundleWithout(-1, PemBlock("PUBLIC KEY", t::SpkiDer(W().rsa())))); },
          "certificates.bundle", "certificate bundle: block 5 is 'PUBLIC KEY', only CERTIFICATE blocks are allowed"),
      Failed(
          "BundleCrlBlockFirst", [] { return Bundle(PemBlock("X509 CRL", Bytes(40, 1)) + BundleWithout(-1)); },
          "certificates.bundle", "certificate bundle: block 1 is 'X509 CRL', only CERTIFICATE blocks are allowed"),
      // RFC 7468 §5.2: printable explanatory text may surround blocks.
      Verified("BundleTextBetweenBlocks",
               [] { return Bundle(Pem(W().chain().card.get()) + "junk\r\n" + BundleWithout(0)); }),
      Failed(
          "BundleControlByteBetweenBlocks",
          [] { return Bundle(Pem(W().chain().card.get()) + "junk\x1b[8m\n" + BundleWithout(0)); },
          "certificates.bundle", "certificate bundle: byte 1277 (0x1b) outside the PEM blocks is not printable text"),
      Failed(
          "BundleBlockInBase64Url",
          [] {
            std::string card = Pem(W().chain().card.get());
            const std::size_t end = card.find("-----END");
            for (std::size_t i = 28; i < end; ++i) {
              if (card[i] == '+') card[i] = '-';
              if (card[i] == '/') card[i] = '_';
            }
            return Bundle(card + BundleWithout(0));
          },
          "certificates.bundle",
          "certificate bundle: block 1 uses the base64url alphabet ('-' or '_'); PEM requires standard base64"),
      Failed(
          "BundleUnterminatedBeginLine", [] { return Bundle(BundleWithout(-1) + "-----BEGIN CERTIFICATE"); },
          "certificates.bundle", "certificate bundle: unterminated BEGIN line"),
      // Found by fuzzing: the prefix followed only by line space trims to
      // shorter than the prefix itself.
      Failed(
          "BundleBeginPrefixThenSpace", [] { return Bundle(BundleWithout(-1) + "-----BEGIN \n"); },
          "certificates.bundle", "certificate bundle: unterminated BEGIN line"),
      Failed(
          "BundleBeginPrefixThenTabs", [] { return Bundle("-----BEGIN \t\t\r\n" + BundleWithout(-1)); },
          "certificates.bundle", "certificate bundle: unterminated BEGIN line"),
      Failed(
          "BundleMissingEndLine",
          [] {
            std::string pem = BundleWithout(-1);
            return Bundle(pem.substr(0, pem.rfind("-----END")));
          },
          "certificates.bundle", "certificate bundle: block 4 has no END line"),
      Failed(
          "BundleBlockNotBase64",
          [] { return Bundle("-----BEGIN CERTIFICATE-----\nMII*\n-----END CERTIFICATE-----\n" + BundleWithout(-1)); },
          "certificates.bundle", "certificate bundle: block 1 is not base64: invalid character '*' at position 3"),
      Failed(
          "BundleBlockNotDer", [] { return Bundle(PemBlock("CERTIFICATE", Bytes(64, 0x30)) + BundleWithout(-1)); },
          "certificates.bundle", "certificate bundle: block 1 is not a DER X.509 certificate"),
      Failed(
          "BundleBlockTrailingBytes",
          [] {
            Bytes der = Der(W().chain().card.get());
            der.push_back(0);
            return Bundle(PemBlock("CERTIFICATE", der) + BundleWithout(0));
          },
          "certificates.bundle", "certificate bundle: block 1 has bytes after the certificate"),
      Unreadable(
          "BundleOverSixteenPemBlocks",
          [] {
            std::string pem = BundleWithout(-1);
            for (int i = 0; i < 13; ++i) pem += Pem(W().chain().owner_root.get());
            return Bundle(pem);
          },
          "field 'attributes.attestation.certificatePemFile' holds more than 16 PEM blocks"),
      Verified("BundleOfSixteenPemBlocksWithDuplicatesVerifies",
               [] {
                 std::string pem = BundleWithout(-1);
                 for (int i = 0; i < 12; ++i) pem += Pem(W().chain().owner_root.get());
                 return Bundle(pem);
               }),
      Verified("BundleExactDuplicatesAreIgnored",
               [] { return Bundle(BundleWithout(-1) + Pem(W().chain().card.get())); }),
      Failed(
          "BundleCertificateWithUndecodableKey",
          [] {
            // The partition certificate with its rsaEncryption OID changed
            // to 1.2.840.113549.1.1.99: still DER, but OpenSSL cannot
            // decode the key (found by fuzz_pem_bundle).
            Bytes der = Der(W().chain().partition.get());
            const Bytes oid = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01};
            auto it = std::search(der.begin(), der.end(), oid.begin(), oid.end());
            it[8] = 0x63;
            const t::TestChain& c = W().chain();
            return Bundle(Pem(c.card.get()) + PemBlock("CERTIFICATE", der) + Pem(c.owner_root.get()) +
                          Pem(c.owner_partition.get()));
          },
          "certificates.bundle", "certificate bundle: block 2 has a public key that cannot be decoded"),
      Failed(
          "MissingCardCertificate", [] { return Bundle(BundleWithout(0)); }, "chain.manufacturer",
          "no certificate in the bundle is issued by a pinned Marvell root"),
      Failed(
          "MissingPartitionCertificate", [] { return Bundle(BundleWithout(1)); }, "chain.manufacturer",
          "no certificate in the bundle is issued by the HSM card certificate 'HSM:TEST1234-ICM000001, for non-FIPS "
          "mode'"),
      Failed(
          "MissingOwnerRoot", [] { return Bundle(BundleWithout(2)); }, "chain.owner",
          "no self-signed owner root in the bundle issued the owner partition certificate "
          "'CN=HSM:TEST1234-ICM000001:PARTN:1\\, for non-FIPS mode,L=SanJose,OU=N3FIPS,O=Cavium,ST=CA,C=US'"),
      Failed(
          "MissingOwnerPartition", [] { return Bundle(BundleWithout(3)); }, "chain.owner",
          "no owner certificate in the bundle carries the partition's public key"),
      Failed(
          "ExtraLookAlikeRoot", [] { return Bundle(BundleWithout(-1, t::LookAlikeRootPem())); },
          "certificates.all_used",
          "certificates outside both chains: CN=localca.liquidsecurity.cavium.com,OU=LiquidSecurity,O=Cavium\\, "
          "Inc.,L=San Jose,ST=California,C=US"),
      Failed(
          "ExtraTrustedRootCertificate", [] { return Bundle(BundleWithout(-1, W().chain().RootPem())); },
          "certificates.all_used",
          "certificates outside both chains: CN=localca.liquidsecurity.cavium.com,OU=LiquidSecurity,O=Cavium\\, "
          "Inc.,L=San Jose,ST=California,C=US"),
      Failed(
          "ChainTooShortPartitionIssuedByRoot",
          [] {
            const t::TestChain& c = W().chain();
            X509Ptr p = t::IssueCertificate(PartitionSpec(1), c.partition_key.get(), c.root.get(), c.root_key.get());
            return Bundle(Pem(p.get()) + Pem(c.owner_root.get()) + Pem(c.owner_partition.get()));
          },
          "chain.manufacturer",
          "no certificate in the bundle is issued by the HSM card certificate 'HSM:TEST1234-ICM000001:PARTN:1, for "
          "non-FIPS mode'"),
      Failed(
          "AmbiguousCardCertificates",
          [] {
            const t::TestChain& c = W().chain();
            X509Ptr card2 = t::IssueCertificate(CardSpec(2), c.card_key.get(), c.root.get(), c.root_key.get());
            return Bundle(BundleWithout(-1, Pem(card2.get())));
          },
          "chain.manufacturer",
          "ambiguous: 2 certificates could be the HSM card certificate: CN=HSM:TEST1234-ICM000001\\, for non-FIPS "
          "mode,L=SanJose+OU=N3FIPS+O=Cavium+ST=CA+C=US; CN=HSM:TEST1234-ICM000001\\, for non-FIPS "
          "mode,L=SanJose+OU=N3FIPS+O=Cavium+ST=CA+C=US"),
      Failed(
          "AmbiguousPartitionCertificates",
          [] {
            const t::TestChain& c = W().chain();
            X509Ptr p2 = t::IssueCertificate(PartitionSpec(2), c.partition_key.get(), c.card.get(), c.card_key.get());
            return Bundle(BundleWithout(-1, Pem(p2.get())));
          },
          "chain.manufacturer",
          "ambiguous: 2 certificates could be the partition certificate: CN=HSM:TEST1234-ICM000001:PARTN:1\\, for "
          "non-FIPS mode,L=SanJose+OU=N3FIPS+O=Cavium+ST=CA+C=US; CN=HSM:TEST1234-ICM000001:PARTN:1\\, for non-FIPS "
          "mode,L=SanJose+OU=N3FIPS+O=Cavium+ST=CA+C=US"),
      Failed(
          "AmbiguousOwnerPartitions",
          [] {
            t::ChainOptions o;
            o.owner_partition_validity = {t::Utc(2025, 2, 1), t::Utc(2050, 1, 1)};
            t::TestChain other = t::MakeTestChain(o);
            return Bundle(BundleWithout(-1, Pem(other.owner_partition.get())));
          },
          "chain.owner",
          "ambiguous: 2 owner certificates carry the partition's public key: CN=HSM:TEST1234-ICM000001:PARTN:1\\, for "
          "non-FIPS mode,L=SanJose,OU=N3FIPS,O=Cavium,ST=CA,C=US; CN=HSM:TEST1234-ICM000001:PARTN:1\\, for non-FIPS "
          "mode,L=SanJose,OU=N3FIPS,O=Cavium,ST=CA,C=US"),
      Failed(
          "AmbiguousOwnerRoots",
          [] {
            t::ChainOptions o;
            o.owner_root_validity = {t::Utc(2025, 2, 1), t::Utc(2050, 1, 1)};
            t::TestChain other = t::MakeTestChain(o);
            return Bundle(BundleWithout(-1, Pem(other.owner_root.get())));
          },
          "chain.owner",
          "ambiguous: 2 self-signed roots could have issued the owner partition certificate: CN=testpool,O=Microsoft "
          "Corporation,L=Redmond,ST=Washington,C=US; CN=testpool,O=Microsoft Corporation,L=Redmond,ST=Washington,C=US"),
      Failed(
          "CardIssuedByLookAlikeRoot",
          [] {
            t::ChainOptions o;
            o.root_key = TestKeyId::kLookAlikeRootRsa2048;
            return Text(ChainDoc(o));
          },
          "chain.manufacturer",
          "OpenSSL: certificate signature failure (error 7, depth 1, CN=HSM:TEST1234-ICM000001\\, for non-FIPS "
          "mode,L=SanJose+OU=N3FIPS+O=Cavium+ST=CA+C=US)"),
      Failed(
          "CardExpired",
          [] {
            t::ChainOptions o;
            o.card_validity = {t::Utc(2016, 1, 1), t::Utc(2026, 1, 1)};
            return Text(ChainDoc(o));
          },
          "chain.manufacturer",
          "OpenSSL: certificate has expired (error 10, depth 1, CN=HSM:TEST1234-ICM000001\\, for non-FIPS "
          "mode,L=SanJose+OU=N3FIPS+O=Cavium+ST=CA+C=US)"),
      Failed(
          "PartitionNotYetValid",
          [] {
            t::ChainOptions o;
            o.partition_validity = {t::Utc(2026, 7, 1), t::Utc(2036, 1, 1)};
            return Text(ChainDoc(o));
          },
          "chain.manufacturer",
          "OpenSSL: certificate is not yet valid (error 9, depth 0, CN=HSM:TEST1234-ICM000001:PARTN:1\\, for non-FIPS "
          "mode,L=SanJose+OU=N3FIPS+O=Cavium+ST=CA+C=US)"),
      Failed(
          "OwnerPartitionExpired",
          [] {
            t::ChainOptions o;
            o.owner_partition_validity = {t::Utc(2025, 1, 1), t::Utc(2026, 5, 1)};
            return Text(ChainDoc(o));
          },
          "chain.owner",
          "OpenSSL: certificate has expired (error 10, depth 0, CN=HSM:TEST1234-ICM000001:PARTN:1\\, for non-FIPS "
          "mode,L=SanJose,OU=N3FIPS,O=Cavium,ST=CA,C=US)"),
      Failed(
          "PartitionKeyNotRsa",
          [] {
            t::ChainOptions o;
            o.partition_key = TestKeyId::kEcP256Signer;
            return Text(ChainDoc(o));
          },
          "chain.manufacturer", "partition certificate key is not RSA (EC-256)"),
      Failed(
          "PartitionKeyTooShort",
          [] {
            t::ChainOptions o;
            o.partition_key = TestKeyId::kWeakRsa1024;
            return Text(ChainDoc(o));
          },
          "chain.manufacturer", "partition certificate key is 1024-bit RSA, minimum 2048"),
      Failed(
          "PartitionExponentThree",
          [] {
            t::ChainOptions o;
            o.partition_key = TestKeyId::kRsa2048Exponent3;
            return Text(ChainDoc(o));
          },
          "chain.manufacturer", "partition certificate key's public exponent is not 65537"),
      Failed(
          "PartitionIsACa",
          [] {
            t::ChainOptions o;
            o.partition_basic_constraints = true;
            return Text(ChainDoc(o));
          },
          "chain.manufacturer", "partition certificate is a CA (basicConstraints CA:TRUE)"),
      Failed(
          "PartitionKeyUsageWithoutDigitalSignature",
          [] {
            t::ChainOptions o;
            o.partition_key_usage = KU_KEY_ENCIPHERMENT;
            return Text(ChainDoc(o));
          },
          "chain.manufacturer", "partition certificate's keyUsage lacks digitalSignature"),
      Failed(
          "CardV3NotACa",
          [] {
            t::ChainOptions o;
            o.card_version = 3;
            o.card_basic_constraints = false;
            return Text(ChainDoc(o));
          },
          "chain.manufacturer", "card certificate has basicConstraints CA:FALSE"),
      Failed(
          "CardSignedWithSha1",
          [] {
            t::ChainOptions o;
            o.card_md = EVP_sha1();
            return Text(ChainDoc(o));
          },
          "chain.manufacturer",
          "card certificate is signed with sha1WithRSAEncryption; only SHA-256/384/512 with RSA is accepted"),
      Failed(
          "OwnerPartitionWithAnotherKey",
          [] {
            t::ChainOptions o;
            o.owner_partition_key = TestKeyId::kOtherPartitionRsa2048;
            return Text(ChainDoc(o));
          },
          "chain.owner", "no owner certificate in the bundle carries the partition's public key"),
      Failed(
          "SyntheticChainUnderBuiltinRoots",
          [] {
            return Input{W().Json(), "", Anchors::kBuiltin};
          },
          "chain.manufacturer",
          "OpenSSL: certificate signature failure (error 7, depth 1, CN=HSM:TEST1234-ICM000001\\, for non-FIPS "
          "mode,L=SanJose+OU=N3FIPS+O=Cavium+ST=CA+C=US)"),
  };
}

// ---- Real recordings (testdata/azure), built-in pinned roots -----------------------------

std::vector<Case> RealSampleCases() {
  return {
      Verified("RealJsRsaVerifies", [] { return Real(RealSampleText("azure-sdk-js-rsa2048")); }),
      Verified("RealEcVerifies", [] { return Real(RealSampleText("azure-sdk-net-ec-p256")); }),
      Verified("RealAesVerifies", [] { return Real(RealSampleText("azure-sdk-net-oct-aes256")); }),
      Verified("RealReformattedVerifies",
               [] {
                 nlohmann::json j = RealSample("azure-sdk-js-rsa2048");
                 return Real(j.dump(7));
               }),
      Failed(
          "RealCliSanitizedKid", [] { return Real(RealSampleText("azure-cli-rsa2048")); }, "binding.key_id",
          "kid key name 'key1-000003' differs from the signed name 'key1-hnhgsllilfcl3pdtpld'"),
      Failed(
          "RealSignatureBitFlip",
          [] {
            return RealEdited("azure-sdk-js-rsa2048", [](nlohmann::json& j) {
              Bytes blob = RealField("azure-sdk-js-rsa2048", "privateKeyAttestation");
              Att(j)["privateKeyAttestation"] = Base64Url(Xor(blob, blob.size() - 1, 0x01));
            });
          },
          "private.signature",
          "signature does not verify (PKCS#1 type-1 padding around the bare SHA-256 (no DigestInfo)) under the "
          "partition key"),
      Failed(
          "RealSignedByteFlip",
          [] {
            return RealEdited("azure-sdk-js-rsa2048", [](nlohmann::json& j) {
              Bytes blob = RealField("azure-sdk-js-rsa2048", "privateKeyAttestation");
              Att(j)["privateKeyAttestation"] = Base64Url(Xor(blob, 40, 0x01));
            });
          },
          "private.signature",
          "signature does not verify (PKCS#1 type-1 padding around the bare SHA-256 (no DigestInfo)) under the "
          "partition key"),
      Failed(
          "RealPrivateBlobOfAnotherPool",
          [] {
            return RealEdited("azure-sdk-js-rsa2048", [](nlohmann::json& j) {
              Att(j)["privateKeyAttestation"] =
                  RealSample("azure-cli-rsa2048")["attributes"]["attestation"]["privateKeyAttestation"];
            });
          },
          "private.signature",
          "signature does not verify (PKCS#1 type-1 padding around the bare SHA-256 (no DigestInfo)) under the "
          "partition key"),
      Failed(
          "RealBundleOfAnotherPool",
          [] {
            return RealEdited("azure-sdk-js-rsa2048", [](nlohmann::json& j) {
              Att(j)["certificatePemFile"] =
                  RealSample("azure-sdk-net-ec-p256")["attributes"]["attestation"]["certificatePemFile"];
            });
          },
          "private.signature",
          "signature does not verify (PKCS#1 type-1 padding around the bare SHA-256 (no DigestInfo)) under the "
          "partition key"),
      Failed(
          "RealBlobsSwapped",
          [] {
            return RealEdited("azure-sdk-js-rsa2048", [](nlohmann::json& j) {
              std::swap(Att(j)["privateKeyAttestation"], Att(j)["publicKeyAttestation"]);
            });
          },
          "private.object_class", "0 private or secret key objects, expected exactly 1"),
      Failed(
          "RealJwkOfAnotherKey",
          [] {
            return RealEdited("azure-sdk-js-rsa2048",
                              [](nlohmann::json& j) { j["key"]["n"] = RealSample("azure-cli-rsa2048")["key"]["n"]; });
          },
          "binding.key_material", "RSA modulus differs from the attestation JWK"),
      Failed(
          "RealVersionChanged",
          [] { return RealEdited("azure-sdk-net-ec-p256", [](nlohmann::json& j) { Att(j)["version"] = "MRVL-2"; }); },
          "document.version", "unsupported version 'MRVL-2', expected 'MRVL-1'"),
  };
}

// ---- gzip (docs/marvell-format.md §2.4; gcloud key versions always carry gzip) -----------------

Bytes GzippedBlob() { return testing::Gzip(W().Sign(SingleA())); }

std::vector<Case> GzipCases() {
  return {
      Verified("GzipWellFormedVerifies", [] { return Gcloud(GzippedBlob()); }),
      Unreadable(
          "GzipContentNotCompressed", [] { return Gcloud(W().Sign(SingleA())); },
          "field 'attestation.content' is not gzip-compressed"),
      Unreadable(
          "GzipTruncated",
          [] {
            Bytes gz = GzippedBlob();
            gz.resize(gz.size() - 4);
            return Gcloud(gz);
          },
          "field 'attestation.content': gzip: truncated trailer (4 of 8 bytes at offset 829)"),
      Unreadable(
          "GzipTruncatedInDeflateStream",
          [] {
            Bytes gz = GzippedBlob();
            gz.resize(gz.size() / 2);
            return Gcloud(gz);
          },
          "field 'attestation.content': gzip: truncated: the deflate stream ends before its final block (408 "
          "compressed bytes)"),
      Unreadable(
          "GzipTrailingGarbage", [] { return Gcloud(t::Concat(GzippedBlob(), Bytes{'x'})); },
          "field 'attestation.content': gzip: trailing data after the gzip member (a second member?): 1 bytes at "
          "offset 837"),
      Unreadable(
          "GzipSecondMember", [] { return Gcloud(t::Concat(GzippedBlob(), GzippedBlob())); },
          "field 'attestation.content': gzip: trailing data after the gzip member (a second member?): 837 bytes at "
          "offset 837"),
      Unreadable(
          "GzipCrcMismatch",
          [] {
            Bytes gz = GzippedBlob();
            return Gcloud(Xor(gz, gz.size() - 8, 0x01));
          },
          "field 'attestation.content': gzip: CRC-32 mismatch (stored f8cbb9b7, computed f8cbb9b6)"),
      Unreadable(
          "GzipSizeMismatch",
          [] {
            Bytes gz = GzippedBlob();
            return Gcloud(Xor(gz, gz.size() - 4, 0x01));
          },
          "field 'attestation.content': gzip: ISIZE mismatch (stored 1254, decompressed 1255 bytes)"),
      Unreadable(
          "GzipReservedFlagBitShownInHex", [] { return Gcloud(Xor(GzippedBlob(), 3, 0x20)); },
          "field 'attestation.content': gzip: reserved FLG bits are set (FLG 0x20)"),
      Unreadable(
          "GzipMethodNotDeflate", [] { return Gcloud(Xor(GzippedBlob(), 2, 0x01)); },
          "field 'attestation.content': gzip: compression method 9 is not deflate (8)"),
      Unreadable(
          "GzipOverCap", [] { return Gcloud(testing::Gzip(Bytes((64u << 10) + 1, 0))); },
          "field 'attestation.content': gzip: decompressed size exceeds 65536 bytes"),
      Failed(
          "GzipNestedIsDecompressedOnce", [] { return Gcloud(testing::Gzip(GzippedBlob())); }, "private.structure",
          "layout at offset 0: not a valid layout A or B blob; as layout A: header.response_code at offset 0: is "
          "529205248, expected 0"),
  };
}

std::vector<Case> AllCases() {
  std::vector<Case> all;
  for (auto group : {JsonCases, DocumentCases, BlobStructureCases, ObjectCases, ValueCases, SignatureCases,
                     CertificateCases, RealSampleCases, GzipCases}) {
    for (Case& c : group()) all.push_back(std::move(c));
  }
  return all;
}

// ---- The runner -------------------------------------------------------------------------

struct Outcome {
  int exit_code = 0;
  std::string check_id;
  std::string message;
};

void ReplaceAll(std::string& s, const std::string& from, const std::string& to) {
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
}

Outcome RunCase(const Case& c) {
  const Input in = c.make();
  std::string path;
  if (!in.file.empty()) {
    path = std::string(KEYATTEST_REGRESSION_CASES) + "/" + in.file;
  } else {
    path = ::testing::TempDir() + "keyattest_regression_" + c.name + ".json";
    std::ofstream(path, std::ios::binary | std::ios::trunc) << in.json;
  }
  const Report r = VerifyAttestationFile(path, OptionsFor(in.anchors));
  if (in.file.empty()) std::filesystem::remove(path);
  Outcome out;
  out.exit_code = static_cast<int>(r.exit_code());
  if (r.input_error) {
    out.message = *r.input_error;
    ReplaceAll(out.message, path, "<file>");
    return out;
  }
  for (const CheckResult& check : r.checks) {
    if (check.status == CheckStatus::kFail) {
      out.check_id = check.id.view();
      out.message = check.detail;
      break;
    }
  }
  return out;
}

class RegressionTest : public ::testing::TestWithParam<Case> {};

TEST_P(RegressionTest, ExitCodeAndMessage) {
  const Case& c = GetParam();
  const Outcome got = RunCase(c);
  EXPECT_EQ(got.exit_code, c.exit_code) << "first failure: " << got.check_id << ": " << got.message;
  EXPECT_EQ(got.check_id, c.check_id);
  if (c.match == Match::kPrefix) {
    EXPECT_EQ(got.message.substr(0, c.message.size()), c.message) << "full message: " << got.message;
  } else {
    EXPECT_EQ(got.message, c.message);
  }
}

/// The cases named DISABLED_* (known library defects), or all the others.
std::vector<Case> Cases(bool known_defects) {
  std::vector<Case> out;
  for (Case& c : AllCases()) {
    if ((c.name.rfind("DISABLED_", 0) == 0) == known_defects) out.push_back(std::move(c));
  }
  return out;
}

std::string CaseName(const ::testing::TestParamInfo<Case>& param) { return param.param.name; }

INSTANTIATE_TEST_SUITE_P(Hostile, RegressionTest, ::testing::ValuesIn(Cases(false)), CaseName);
// A suite name starting with DISABLED_ is what both GoogleTest and CMake's
// gtest_discover_tests recognise as disabled for value-parameterized tests.
INSTANTIATE_TEST_SUITE_P(DISABLED_KnownDefects, RegressionTest, ::testing::ValuesIn(Cases(true)), CaseName);

}  // namespace
}  // namespace keyattest::regression
