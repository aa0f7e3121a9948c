#include "keyattest/verifier.h"

#include <cctype>

#include "keyattest/marvell/attributes.h"
#include "keyattest/marvell/blob.h"
#include "keyattest/marvell/signature.h"
#include "keyattest/trust_anchors.h"
#include "src/verify/binding_checks.h"

namespace keyattest {

namespace {

using marvell::AttestedKey;

constexpr char kSupportedVersion[] = "MRVL-1";

ObjectFacts DescribeObject(const AttestedKey& key) {
  ObjectFacts o;
  o.handle = key.handle;
  o.object_class = marvell::ObjectClassName(key.object_class);
  o.key_type = marvell::KeyTypeName(key.key_type);
  for (const auto& a : key.attributes) {
    o.attributes.push_back(AttributeFacts{a.type, a.name, HexEncode(a.raw), a.value, a.meaning});
  }
  return o;
}

/// Splits an Azure ID "/keys/<name>/<version>" (§7.1); empty parts if the ID
/// has another shape.
void SplitAzureKeyId(const std::string& id, std::string* name, std::string* version) {
  constexpr std::string_view kPrefix = "/keys/";
  if (id.compare(0, kPrefix.size(), kPrefix) != 0) return;
  std::string rest = id.substr(kPrefix.size());
  auto slash = rest.find('/');
  if (slash == std::string::npos) {
    *name = rest;
    return;
  }
  *name = rest.substr(0, slash);
  *version = rest.substr(slash + 1);
}

/// Empty if `a` and `b` describe the same key; otherwise what differs.
std::string DescribeKeyMismatch(const AttestedKey& a, const AttestedKey& b) {
  if (a.key_type != b.key_type) return "key types differ";
  if (a.modulus != b.modulus) return "key material (OBJ_ATTR_MODULUS) differs";
  if (a.public_exponent != b.public_exponent) return "public exponents differ";
  if (a.modulus_bits != b.modulus_bits) return "OBJ_ATTR_MODULUS_BITS differs";
  if (a.kcv != b.kcv) return "key check values (OBJ_ATTR_KCV) differ";
  if (a.ekcv && b.ekcv && a.ekcv != b.ekcv) return "OBJ_ATTR_EKCV differs";
  if (a.id != b.id) return "IDs differ";
  if (a.label != b.label) return "labels differ";
  return "";
}

struct BlobOutcome {
  bool parsed = false;
  std::vector<AttestedKey> keys;     // interpreted objects, blob order
  const AttestedKey* key = nullptr;  // the object this blob attests
};

/// Runs <prefix>.structure/.attributes/.signature/.object_class.
BlobOutcome VerifyBlob(const std::string& prefix, const std::string& field, const Bytes& blob, bool is_private,
                       const RsaPublicKey* partition_key, Report& report) {
  BlobOutcome out;
  BlobFacts facts;
  facts.field = field;
  facts.length = blob.size();
  const std::string what = is_private ? "private key attestation" : "public key attestation";

  if (partition_key == nullptr) {
    const char* why = "needs the partition certificate's RSA key (the manufacturer chain did not identify one)";
    report.Add(prefix + ".structure", "Blob structure (" + what + ")", CheckStatus::kSkip, why);
    report.Add(prefix + ".attributes", "Attribute values (" + what + ")", CheckStatus::kSkip, why);
    report.Add(prefix + ".signature", "Signature (" + what + ")", CheckStatus::kSkip, why);
    report.Add(prefix + ".object_class", "Object class (" + what + ")", CheckStatus::kSkip, why);
    report.blobs.push_back(std::move(facts));
    return out;
  }
  const std::size_t k = partition_key->size();
  facts.signature_length = k;

  marvell::ParsedBlob parsed;
  try {
    parsed = marvell::ParseBlob(blob, k);
    out.parsed = true;
    std::size_t attrs = 0;
    for (const auto& o : parsed.objects) attrs += o.attributes.size();
    facts.layout = marvell::LayoutName(parsed.layout);
    report.Add(prefix + ".structure", "Blob structure (" + what + ")", CheckStatus::kPass,
               std::string("layout ") + facts.layout + ", " + std::to_string(blob.size()) + " bytes, " +
                   std::to_string(parsed.objects.size()) + (parsed.objects.size() == 1 ? " object, " : " objects, ") +
                   std::to_string(attrs) + " attributes");
    for (const auto& w : parsed.warnings) {
      report.Add(prefix + ".structure.note", "Blob structure note (" + what + ")", CheckStatus::kWarn, w);
    }
  } catch (const ParseError& e) {
    report.Add(prefix + ".structure", "Blob structure (" + what + ")", CheckStatus::kFail, e.what());
  }
  if (!out.parsed) {
    const char* why = "blob structure did not parse";
    report.Add(prefix + ".attributes", "Attribute values (" + what + ")", CheckStatus::kSkip, why);
    report.Add(prefix + ".signature", "Signature (" + what + ")", CheckStatus::kSkip, why);
    report.Add(prefix + ".object_class", "Object class (" + what + ")", CheckStatus::kSkip, why);
    report.blobs.push_back(std::move(facts));
    return out;
  }

  bool attributes_ok = true;
  try {
    for (const auto& object : parsed.objects) out.keys.push_back(marvell::InterpretKeyObject(object));
    report.Add(prefix + ".attributes", "Attribute values (" + what + ")", CheckStatus::kPass,
               "all attribute values well-formed");
  } catch (const ParseError& e) {
    attributes_ok = false;
    report.Add(prefix + ".attributes", "Attribute values (" + what + ")", CheckStatus::kFail, e.what());
  }

  marvell::SignatureVerdict sig = marvell::VerifyBlobSignature(blob, parsed.layout, *partition_key);
  report.Add(prefix + ".signature", "Signature (" + what + ")", sig.ok ? CheckStatus::kPass : CheckStatus::kFail,
             sig.detail);

  if (!attributes_ok) {
    report.Add(prefix + ".object_class", "Object class (" + what + ")", CheckStatus::kSkip,
               "attribute values did not validate");
    out.keys.clear();
    report.blobs.push_back(std::move(facts));
    return out;
  }
  // Which object does the blob attest? Private: exactly one private/secret
  // object (a layout-A key pair adds its public half, which must match).
  // Public: exactly one object, and it is a public key.
  std::string problem;
  if (is_private) {
    std::vector<const AttestedKey*> secret;
    for (const auto& key : out.keys) {
      if (key.object_class == marvell::kClassPrivateKey || key.object_class == marvell::kClassSecretKey) {
        secret.push_back(&key);
      }
    }
    if (secret.size() != 1) {
      problem = std::to_string(secret.size()) + " private or secret key objects, expected exactly 1";
    } else {
      out.key = secret[0];
      for (const auto& key : out.keys) {
        if (&key == out.key) continue;
        if (key.object_class != marvell::kClassPublicKey) {
          problem = "unexpected " + marvell::ObjectClassName(key.object_class) + " object beside the private key";
        } else if (std::string diff = DescribeKeyMismatch(*out.key, key); !diff.empty()) {
          problem = "public and private objects of the key pair disagree: " + diff;
        }
      }
    }
  } else if (out.keys.size() != 1) {
    problem = std::to_string(out.keys.size()) + " objects, expected exactly 1 public key object";
  } else if (out.keys[0].object_class != marvell::kClassPublicKey) {
    problem = "object class is " + marvell::ObjectClassName(out.keys[0].object_class) + ", expected CKO_PUBLIC_KEY";
  } else {
    out.key = &out.keys[0];
  }
  if (!problem.empty()) out.key = nullptr;
  report.Add(prefix + ".object_class", "Object class (" + what + ")",
             problem.empty() ? CheckStatus::kPass : CheckStatus::kFail,
             problem.empty()
                 ? marvell::ObjectClassName(out.key->object_class) + " " + marvell::KeyTypeName(out.key->key_type)
                 : problem);

  for (const auto& key : out.keys) facts.objects.push_back(DescribeObject(key));
  if (out.key != nullptr && out.key->id) {
    facts.id = *out.key->id;
    SplitAzureKeyId(facts.id, &facts.key_name, &facts.key_version);
  }
  report.blobs.push_back(std::move(facts));
  return out;
}

}  // namespace

VerifyOptions DefaultVerifyOptions() {
  VerifyOptions options;
  options.marvell_roots = BuiltinMarvellRoots();
  options.google_roots = BuiltinGoogleRoots();
  return options;
}

void SetOwnerRoot(VerifyOptions& options, const std::string& file_or_hex) {
  options.owner_root_spki_sha256 = ParseOwnerRootPin(file_or_hex);
  if (file_or_hex.size() != 64 || file_or_hex.find_first_not_of("0123456789abcdefABCDEF:") != std::string::npos) {
    if (FILE* f = std::fopen(file_or_hex.c_str(), "rb")) {
      std::fclose(f);
      options.owner_root_certificate = ParseSinglePemCertificate(AsBytes(ReadInputFile(file_or_hex)));
    }
  }
}

Report VerifyAzureAttestation(const AttestationDocument& doc, const VerifyOptions& options) {
  Report report;
  const std::time_t at = options.at.value_or(std::time(nullptr));
  report.checked_at = FormatRfc3339(at);

  report.Add("document.version", "Attestation format version",
             doc.version == kSupportedVersion ? CheckStatus::kPass : CheckStatus::kFail,
             doc.version == kSupportedVersion
                 ? doc.version
                 : "unsupported version '" + doc.version.substr(0, 64) + "', expected '" + kSupportedVersion + "'");

  std::shared_ptr<const BundleVerification> certs =
      options.chain_cache ? options.chain_cache->GetOrVerify(doc.certificate_pem, options, at)
                          : VerifyCertificateBundle(doc.certificate_pem, options, at);
  report.checks.insert(report.checks.end(), certs->checks.begin(), certs->checks.end());
  report.certificates = certs->certificates;
  report.owner_chain_style = certs->owner_style;
  // The signature is checked against the partition key even when a chain
  // failed, so the report says everything that is wrong; the verdict still
  // fails through the chain check.
  const Certificate* partition = certs->Partition();
  const Certificate* card = certs->Card();
  const Certificate* owner_root = certs->OwnerRoot();

  BlobOutcome priv =
      VerifyBlob("private", "privateKeyAttestation", doc.private_key_attestation, true, certs->PartitionKey(), report);
  if (doc.public_key_attestation) {
    BlobOutcome pub =
        VerifyBlob("public", "publicKeyAttestation", *doc.public_key_attestation, false, certs->PartitionKey(), report);
    if (priv.key != nullptr && pub.key != nullptr) {
      std::string diff = DescribeKeyMismatch(*priv.key, *pub.key);
      report.Add("blobs.same_key", "Private and public attestations describe one key",
                 diff.empty() ? CheckStatus::kPass : CheckStatus::kFail,
                 diff.empty() ? "key type, key material, KCV, ID and label agree" : diff);
    } else {
      report.Add("blobs.same_key", "Private and public attestations describe one key", CheckStatus::kSkip,
                 "needs both attested key objects");
    }
  } else {
    const bool asymmetric = priv.key != nullptr && priv.key->IsAsymmetric();
    // An asymmetric key should come with its public attestation (§2.2);
    // its absence removes a cross-check but is not itself a forgery.
    report.Add("public.present", "Public key attestation", asymmetric ? CheckStatus::kWarn : CheckStatus::kSkip,
               asymmetric ? "absent for an asymmetric key" : "absent (symmetric key: no public half)");
  }

  // The expected key: --key overrides the response's JWK; the kid still
  // comes from the response when --key has none.
  std::optional<ExpectedKey> expected;
  std::string expected_error;
  std::optional<KeyIdentifier> doc_kid;
  if (doc.key.is_object() && doc.key.contains("kid") && doc.key["kid"].is_string()) {
    doc_kid = ParseKeyIdentifier(doc.key["kid"].get<std::string>(), nullptr);
  }
  if (options.expected_key) {
    expected = *options.expected_key;
    if (!expected->key_id) expected->key_id = doc_kid;
  } else if (!doc.key.is_null()) {
    try {
      expected = ExpectedKeyFromJwk(doc.key, "attestation JWK");
    } catch (const KeyError& e) {
      expected_error = std::string("attestation JWK: ") + e.what();
    }
  }
  AddKeyBindingChecks(expected ? &*expected : nullptr, expected_error, priv.key, owner_root, report);
  AddPolicyChecks(options.requirements, priv.key, card, partition, report);

  if (priv.key != nullptr) {
    KeyFacts k;
    if (expected && expected->key_id) k.kid = expected->key_id->kid;
    if (!report.blobs.empty()) {
      k.name = report.blobs[0].key_name;
      k.version = report.blobs[0].key_version;
    }
    std::string type = marvell::KeyTypeName(priv.key->key_type);
    k.type = type.rfind("CKK_", 0) == 0 ? type.substr(4) : type;
    if (priv.key->key_type == marvell::kKeyTypeRsa && priv.key->modulus_bits) {
      k.size_bits = static_cast<int>(*priv.key->modulus_bits);
    } else if (priv.key->key_type == marvell::kKeyTypeEc && priv.key->modulus_bits) {
      k.curve = marvell::CurveNameForNid(*priv.key->modulus_bits);
    } else if (const auto* len = priv.key->Find(marvell::attr::kValueLen); len && len->raw.size() == 4) {
      k.size_bits = static_cast<int>(((std::uint32_t{len->raw[0]} << 24) | (std::uint32_t{len->raw[1]} << 16) |
                                      (std::uint32_t{len->raw[2]} << 8) | len->raw[3]) *
                                     8);
    }
    report.key = k;
  }
  return report;
}

Bytes ParseOwnerRootPin(const std::string& value) {
  std::string hex;
  for (char c : value) {
    if (c != ':') hex += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (hex.size() == 64 && hex.find_first_not_of("0123456789abcdef") == std::string::npos) {
    Bytes out;
    for (std::size_t i = 0; i < 64; i += 2)
      out.push_back(static_cast<std::uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    return out;
  }
  try {
    std::string pem = ReadInputFile(value);
    return ParseSinglePemCertificate(AsBytes(pem)).spki_sha256();
  } catch (const std::exception& e) {
    throw std::invalid_argument("--owner-root: '" + value +
                                "' is neither 64 hex digits of an SPKI SHA-256 nor a readable PEM certificate (" +
                                e.what() + ")");
  }
}

Report VerifyAttestationFile(const std::string& path, const VerifyOptions& options) {
  Report report;
  report.source = path;
  AttestationDocument doc;
  try {
    doc = ParseAttestationDocument(ReadInputFile(path));
  } catch (const InputError& e) {
    report.input_error = e.what();
    return report;
  }
  try {
    report = VerifyAzureAttestation(doc, options);
  } catch (const std::exception& e) {
    // Fail closed: an unexpected library error is a failed verification with
    // its reason, never a crash or a partial success.
    report.Add("internal", "Verification completed", CheckStatus::kFail, e.what());
  }
  report.source = path;
  return report;
}

}  // namespace keyattest
