#include "keyattest/key_attestation/verifier.h"

#include <algorithm>
#include <cctype>
#include <iterator>

#include "keyattest/core/byte_reader.h"
#include "keyattest/key_attestation/checks.h"
#include "keyattest/key_attestation/facts.h"
#include "keyattest/marvell/attributes.h"
#include "keyattest/marvell/blob.h"
#include "keyattest/marvell/signature.h"
#include "keyattest/x509/trust_anchors.h"
#include "src/key_attestation/binding_checks.h"

namespace keyattest {

namespace {

using marvell::AttestedKey;
namespace checks = key_attestation;

constexpr char kSupportedVersion[] = "MRVL-1";

/// The report's view of an attested object: the attributes' types and one
/// copy of their signed values (the blob does not outlive verification);
/// their texts are formatted only if the report is rendered.
ObjectFacts DescribeObject(const AttestedKey& key) {
  ObjectFacts o;
  o.handle = key.handle;
  o.object_class = marvell::ObjectClassName(key.object_class);
  o.key_type = marvell::KeyTypeName(key.key_type);
  o.key_type_code = key.key_type;
  std::size_t value_bytes = 0;
  for (const auto& a : key.attributes) value_bytes += a.raw.size();
  o.attributes.reserve(key.attributes.size());
  o.values.reserve(value_bytes);
  for (const auto& a : key.attributes) o.AddAttribute(a.type, a.raw);
  return o;
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
  marvell::Layout layout = marvell::Layout::kB;  // valid when parsed
  std::vector<AttestedKey> keys;                 // interpreted objects, blob order
  const AttestedKey* key = nullptr;              // the object this blob attests
  std::size_t facts_index = 0;                   // its entry in KeyAttestationFacts::blobs
};

/// Completes the blob's report entry with its objects. Runs while the blob
/// the keys view is alive.
void AddObjectsToReport(const BlobOutcome& blob, Report& report) {
  BlobFacts& facts = KeyAttestationFactsOf(report).blobs[blob.facts_index];
  facts.objects.reserve(blob.keys.size());
  for (const auto& key : blob.keys) facts.objects.push_back(DescribeObject(key));
}

/// The bundle checks when no certificate was given at all.
std::shared_ptr<BundleVerification> NoCertificates(AttestationSource source) {
  auto v = std::make_shared<BundleVerification>();
  std::string why = source == AttestationSource::kRaw      ? "no certificate bundle was given (--certs FILE)"
                    : source == AttestationSource::kGoogle ? "the document has no attestation.certChains"
                                                           : "certificatePemFile is empty";
  auto add = [&v](const CheckName& check, CheckStatus status, std::string detail) {
    v->checks.push_back(CheckResult{check.id, check.title, status, std::move(detail)});
  };
  add(checks::kBundle, CheckStatus::kFail, why + "; the blob's signature cannot be checked");
  for (const CheckDefinition& check : {checks::kManufacturerChain, checks::kOwnerChain, checks::kAllUsed}) {
    add(check, CheckStatus::kSkip, "no certificates");
  }
  add(checks::kOwnerRootPin, CheckStatus::kSkip, "no certificates");
  return v;
}

/// Parses a blob whose partition key is unknown by trying the RSA modulus
/// sizes seen or expected (2048, 3072, 4096 bits): exactly one must parse
/// cleanly (layout A pins the length through total_size; layout B's zero
/// trailer makes the warning-free parse the only clean one).
marvell::ParsedBlob ParseWithInferredSignatureLength(ByteSpan blob) {
  std::vector<marvell::ParsedBlob> clean;
  std::string first_error;
  for (std::size_t k : {256u, 384u, 512u}) {
    try {
      marvell::ParsedBlob p = marvell::ParseBlob(blob, k);
      if (p.warnings.empty()) clean.push_back(std::move(p));
    } catch (const ParseError& e) {
      if (first_error.empty()) first_error = e.what();
    }
  }
  if (clean.size() == 1) return std::move(clean.front());
  throw ParseError(0, "signature",
                   clean.empty() ? "no signature length parses the blob cleanly; with 256 bytes: " + first_error
                                 : "signature length is ambiguous without the partition key");
}

/// The layout a blob must have and why (docs/marvell-format.md §2: Azure documents
/// carry layout B, Google documents layout A; both blobs of a document share
/// one layout). No requirement for a raw blob.
struct LayoutRule {
  std::optional<marvell::Layout> layout;
  std::string why;  // "an Azure MRVL-1 document carries layout B"
};

/// Empty when the object's class and key type agree: a secret object
/// carries a symmetric key type, a private or public object an asymmetric
/// one (PKCS#11 §4.8-4.10).
std::string ClassTypeMismatch(const AttestedKey& key) {
  const bool secret = key.object_class == marvell::kClassSecretKey;
  const bool pair_half = key.object_class == marvell::kClassPrivateKey || key.object_class == marvell::kClassPublicKey;
  if (!secret && !pair_half) return "";  // the class rule below names it
  const bool asymmetric = marvell::IsAsymmetricKeyType(key.key_type);
  const bool symmetric = marvell::IsSymmetricKeyType(key.key_type);
  if (secret && !symmetric) {
    return "object " + std::to_string(key.handle) + " is CKO_SECRET_KEY but its key type " +
           marvell::KeyTypeName(key.key_type) + " is not a symmetric key type";
  }
  if (pair_half && !asymmetric) {
    return "object " + std::to_string(key.handle) + " is " + marvell::ObjectClassName(key.object_class) +
           " but its key type " + marvell::KeyTypeName(key.key_type) + " is not an asymmetric key type";
  }
  return "";
}

/// Which object does the blob attest? Private: exactly one private/secret
/// object (a layout-A key pair adds its public half, which must match).
/// Public: exactly one object, and it is a public key. Every object's class
/// must agree with its key type. Sets out.key; returns the problem or "".
std::string SelectAttestedObject(BlobOutcome& out, bool is_private) {
  for (const auto& key : out.keys) {
    if (std::string mismatch = ClassTypeMismatch(key); !mismatch.empty()) return mismatch;
  }
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
  return problem;
}

/// blob.structure (and its notes): parses the blob, with the signature
/// length of the partition key (or inferred from the structure without
/// one), and applies the layout rule. nullopt when the structure failed;
/// `skip_why` then says why the later blob checks are skipped.
std::optional<marvell::ParsedBlob> CheckStructure(const checks::BlobChecks& ids, const Bytes& blob,
                                                  const RsaPublicKey* partition_key, const LayoutRule& rule,
                                                  BlobFacts& facts, const char** skip_why, Report& report) {
  *skip_why = "blob structure did not parse";
  try {
    marvell::ParsedBlob parsed;
    std::string inferred;
    if (partition_key != nullptr) {
      parsed = marvell::ParseBlob(blob, partition_key->size());
    } else {
      // No partition key (no usable chain): still show what the blob says.
      // The signature length is inferred from the structure; the signature
      // itself cannot be checked, so the verdict fails through the chain.
      parsed = ParseWithInferredSignatureLength(blob);
      inferred = " (signature length " + std::to_string(parsed.signature_length) +
                 " inferred from the structure: no partition key)";
    }
    facts.signature_length = parsed.signature_length;
    facts.layout = marvell::LayoutName(parsed.layout);
    if (rule.layout && parsed.layout != *rule.layout) {
      report.Set(ids.structure, CheckStatus::kFail,
                 std::string("the blob is layout ") + facts.layout + ", but " + rule.why);
      *skip_why = "wrong layout";
      return std::nullopt;
    }
    std::size_t attrs = 0;
    for (const auto& o : parsed.objects) attrs += o.attributes.size();
    report.Set(ids.structure, CheckStatus::kPass,
               std::string("layout ") + facts.layout + ", " + std::to_string(blob.size()) + " bytes, " +
                   std::to_string(parsed.objects.size()) + (parsed.objects.size() == 1 ? " object, " : " objects, ") +
                   std::to_string(attrs) + " attributes" + inferred);
    for (const auto& w : parsed.warnings) report.Set(ids.structure_note, CheckStatus::kWarn, w);
    return parsed;
  } catch (const ParseError& e) {
    report.Set(ids.structure, CheckStatus::kFail, e.what());
    return std::nullopt;
  }
}

/// blob.attributes: every object's attribute values are well-formed; fills
/// out.keys. False when one is not.
bool CheckAttributes(const checks::BlobChecks& ids, const marvell::ParsedBlob& parsed, BlobOutcome& out,
                     Report& report) {
  try {
    for (const auto& object : parsed.objects) out.keys.push_back(marvell::InterpretKeyObject(object));
    report.Set(ids.attributes, CheckStatus::kPass, "all attribute values well-formed");
    return true;
  } catch (const ParseError& e) {
    report.Set(ids.attributes, CheckStatus::kFail, e.what());
    return false;
  }
}

/// blob.signature, with the partition certificate's key.
void CheckBlobSignature(const checks::BlobChecks& ids, const Bytes& blob, marvell::Layout layout,
                        const RsaPublicKey* partition_key, Report& report) {
  if (partition_key == nullptr) {
    report.Set(ids.signature, CheckStatus::kSkip, "cannot be checked: no partition certificate key");
    return;
  }
  marvell::SignatureVerdict sig = marvell::VerifyBlobSignature(blob, layout, *partition_key);
  report.Set(ids.signature, sig.ok ? CheckStatus::kPass : CheckStatus::kFail, sig.detail);
}

/// blob.object_class: selects the attested object (out.key); its signed ID
/// names the key in the facts (an Azure ID: /keys/<name>/<version>).
void CheckObjectClass(const checks::BlobChecks& ids, bool is_private, bool azure_ids, BlobOutcome& out,
                      BlobFacts& facts, Report& report) {
  const std::string problem = SelectAttestedObject(out, is_private);
  if (!problem.empty()) out.key = nullptr;
  report.Set(ids.object_class, problem.empty() ? CheckStatus::kPass : CheckStatus::kFail,
             problem.empty()
                 ? marvell::ObjectClassName(out.key->object_class) + " " + marvell::KeyTypeName(out.key->key_type)
                 : problem);
  if (out.key != nullptr && out.key->id) {
    facts.id = *out.key->id;
    if (std::optional<KeyPath> path = azure_ids ? ParseKeyPath(facts.id) : std::nullopt) {
      facts.key_name = std::move(path->name);
      facts.key_version = path->version.value_or("");
    }
  }
}

/// Runs the blob's structure, attributes, signature and object_class checks
/// and adds its entry to the report's blobs.
BlobOutcome VerifyBlob(const checks::BlobChecks& ids, const std::string& field, const Bytes& blob, bool is_private,
                       const RsaPublicKey* partition_key, bool azure_ids, const LayoutRule& rule, Report& report) {
  std::vector<BlobFacts>& blobs = KeyAttestationFactsOf(report).blobs;
  BlobOutcome out;
  out.facts_index = blobs.size();
  BlobFacts facts;
  facts.field = field;
  facts.length = blob.size();
  const char* skip_why = "";
  const std::optional<marvell::ParsedBlob> parsed =
      CheckStructure(ids, blob, partition_key, rule, facts, &skip_why, report);
  if (!parsed) {
    for (const CheckDefinition& check : {ids.attributes, ids.signature, ids.object_class}) {
      report.Set(check, CheckStatus::kSkip, skip_why);
    }
  } else {
    out.parsed = true;
    out.layout = parsed->layout;
    const bool attributes_ok = CheckAttributes(ids, *parsed, out, report);
    CheckBlobSignature(ids, blob, parsed->layout, partition_key, report);
    if (attributes_ok) {
      CheckObjectClass(ids, is_private, azure_ids, out, facts, report);
    } else {
      report.Set(ids.object_class, CheckStatus::kSkip, "attribute values did not validate");
      out.keys.clear();
    }
  }
  blobs.push_back(std::move(facts));
  return out;
}

/// The response JWK's kid (an unsigned claim), nullopt when there is none;
/// a kid that is not a string or not of the Azure shape sets `error`.
std::optional<KeyIdentifier> ResponseKid(const AttestationDocument& doc, std::string* error) {
  if (!doc.key.is_object()) return std::nullopt;
  auto it = doc.key.find("kid");
  if (it == doc.key.end()) return std::nullopt;
  if (!it->is_string()) {
    *error = "the response JWK's kid is not a string";
    return std::nullopt;
  }
  std::string why;
  std::optional<KeyIdentifier> kid = ParseKeyIdentifier(it->get<std::string>(), &why);
  if (!kid) *error = "the response kid '" + it->get<std::string>().substr(0, 200) + "' " + why;
  return kid;
}

/// A blob is attested when its structure, attributes and signature passed
/// and both chains verified the partition key that signed it.
void MarkAttestedBlobs(Report& report) {
  auto passed = [&report](const CheckDefinition& check) {
    const CheckResult* c = report.Find(check.id);
    return c != nullptr && c->status == CheckStatus::kPass;
  };
  const bool chains = passed(checks::kBundle) && passed(checks::kManufacturerChain) && passed(checks::kOwnerChain);
  for (BlobFacts& blob : KeyAttestationFactsOf(report).blobs) {
    const checks::BlobChecks& ids = blob.field == "publicKeyAttestation" ? checks::kPublicBlob : checks::kPrivateBlob;
    blob.attested = chains && passed(ids.structure) && passed(ids.attributes) && passed(ids.signature);
  }
}

/// --expect-key: the signed ID of the verified private blob must name the
/// expected key (and version). Another genuine attestation (a swapped file)
/// fails here.
void AddExpectedKeyCheck(const VerifyOptions& options, Report& report) {
  constexpr CheckDefinition kExpectedKey{"binding.expected_key", "Attested key is the one --expect-key names"};
  const std::string want =
      "'" + *options.expected_key_name + "'" +
      (options.expected_key_version ? " version '" + *options.expected_key_version + "'" : std::string());
  const std::vector<BlobFacts>& blobs = KeyAttestationFactsOf(report).blobs;
  const auto priv =
      std::find_if(blobs.begin(), blobs.end(), [](const BlobFacts& b) { return b.field == "privateKeyAttestation"; });
  if (priv == blobs.end() || !priv->attested) {
    report.Skip(kExpectedKey, "needs a verified private key attestation (its signed ID names the key)");
    return;
  }
  const BlobFacts& blob = *priv;
  if (blob.key_name.empty()) {
    report.Fail(kExpectedKey, "the signed ID '" + blob.id.substr(0, 128) +
                                  "' is not an Azure key ID /keys/<name>/<version>; expected key " + want);
    return;
  }
  const std::string got = "'" + blob.key_name + "' version '" + blob.key_version + "'";
  if (blob.key_name != *options.expected_key_name) {
    report.Fail(kExpectedKey, "the signed ID names key " + got + ", not the expected " + want);
  } else if (options.expected_key_version && blob.key_version != *options.expected_key_version) {
    report.Fail(kExpectedKey, "the signed ID names version '" + blob.key_version + "' of key '" + blob.key_name +
                                  "', not the expected version '" + *options.expected_key_version + "'");
  } else {
    report.Pass(kExpectedKey, "the signed ID names key " + got);
  }
}

/// document.version (Azure) or document.format (Google); nothing for a raw
/// blob.
void CheckDocumentFormat(const AttestationDocument& doc, Report& report) {
  switch (doc.source) {
    case AttestationSource::kAzure:
      report.Set(checks::kDocumentVersion, doc.version == kSupportedVersion ? CheckStatus::kPass : CheckStatus::kFail,
                 doc.version == kSupportedVersion
                     ? doc.version
                     : "unsupported version '" + doc.version.substr(0, 64) + "', expected '" + kSupportedVersion + "'");
      break;
    case AttestationSource::kGoogle: {
      // KeyOperationAttestation.AttestationFormat (docs/marvell-format.md §2.1).
      const bool known = doc.google_format.empty() || doc.google_format == "CAVIUM_V1_COMPRESSED" ||
                         doc.google_format == "CAVIUM_V2_COMPRESSED";
      report.Set(checks::kDocumentFormat, known ? CheckStatus::kPass : CheckStatus::kFail,
                 doc.google_format.empty() ? "not stated; gzip content"
                 : known                   ? doc.google_format
                                           : "unsupported format '" + doc.google_format.substr(0, 64) + "'");
      break;
    }
    case AttestationSource::kRaw:
      break;
  }
}

/// The bundle checks and the certificate of each role, from the chain cache
/// when there is one, and their checks and certificate facts added to the
/// report: copied from a cached (shared) verification, moved from this
/// document's own (about 60 strings a document).
std::shared_ptr<const BundleVerification> VerifyBundle(const AttestationDocument& doc, const VerifyOptions& options,
                                                       Report& report) {
  KeyAttestationFacts& facts = KeyAttestationFactsOf(report);
  const OwnerChainStyle style = RequiredOwnerChainStyle(doc);
  if (options.chain_cache && !doc.certificate_pem.empty()) {
    std::shared_ptr<const BundleVerification> shared =
        options.chain_cache->GetOrVerify(doc.certificate_pem, style, options);
    report.checks.insert(report.checks.end(), shared->checks.begin(), shared->checks.end());
    facts.certificates = shared->certificates;
    facts.owner_chain_style = shared->owner_style;
    return shared;
  }
  std::shared_ptr<BundleVerification> own = doc.certificate_pem.empty()
                                                ? NoCertificates(doc.source)
                                                : VerifyCertificateBundle(doc.certificate_pem, style, options);
  report.checks.insert(report.checks.end(), std::make_move_iterator(own->checks.begin()),
                       std::make_move_iterator(own->checks.end()));
  own->checks.clear();
  facts.certificates = std::move(own->certificates);
  own->certificates.clear();
  facts.owner_chain_style = own->owner_style;
  return own;
}

struct BlobOutcomes {
  BlobOutcome priv;
  std::optional<BlobOutcome> pub;
};

/// Both blobs' checks, then same_key (both blobs) or public.present (an
/// Azure document without a public blob).
BlobOutcomes VerifyBlobs(const AttestationDocument& doc, const RsaPublicKey* partition_key, Report& report) {
  const bool azure = doc.source == AttestationSource::kAzure;
  LayoutRule rule;
  if (azure) rule = {marvell::Layout::kB, "an Azure MRVL-1 document carries layout B"};
  if (doc.source == AttestationSource::kGoogle) rule = {marvell::Layout::kA, "a Google document carries layout A"};
  BlobOutcomes out;
  out.priv = VerifyBlob(checks::kPrivateBlob, "privateKeyAttestation", doc.private_key_attestation, true, partition_key,
                        azure, rule, report);
  const AttestedKey* priv = out.priv.key;
  if (doc.public_key_attestation) {
    // Both blobs of a document share one layout.
    if (!rule.layout && out.priv.parsed) {
      rule = {out.priv.layout, std::string("the private key attestation is layout ") +
                                   marvell::LayoutName(out.priv.layout) +
                                   " and both blobs of a document share one layout"};
    }
    out.pub = VerifyBlob(checks::kPublicBlob, "publicKeyAttestation", *doc.public_key_attestation, false, partition_key,
                         azure, rule, report);
    if (priv != nullptr && out.pub->key != nullptr) {
      std::string diff = DescribeKeyMismatch(*priv, *out.pub->key);
      report.Set(checks::kSameKey, diff.empty() ? CheckStatus::kPass : CheckStatus::kFail,
                 diff.empty() ? "key type, key material, KCV, ID and label agree" : diff);
    } else {
      report.Set(checks::kSameKey, CheckStatus::kSkip, "needs both attested key objects");
    }
  } else if (azure) {
    const bool asymmetric = priv != nullptr && priv->IsAsymmetric();
    // An asymmetric key should come with its public attestation (§2.2);
    // its absence removes a cross-check but is not itself a forgery.
    report.Set(checks::kPublicPresent, asymmetric ? CheckStatus::kWarn : CheckStatus::kSkip,
               asymmetric        ? "absent for an asymmetric key"
               : priv != nullptr ? "absent (symmetric key: no public half)"
                                 : "absent");
  }
  return out;
}

/// The key the attestation must bind, and why it cannot when it cannot.
struct ExpectedKeyClaim {
  std::optional<ExpectedKey> key;
  std::string error;      // the expected key is unusable
  std::string kid_error;  // the kid naming it cannot bind it
};

/// The expected key: --key overrides the response's JWK. The response's
/// kid binds the name and version whatever supplies the key material: a
/// --key without a kid borrows it, one with a kid must name the same key,
/// and a malformed one fails binding.key_id.
ExpectedKeyClaim ResolveExpectedKey(const AttestationDocument& doc, const VerifyOptions& options) {
  ExpectedKeyClaim claim;
  const std::optional<KeyIdentifier> response_kid = ResponseKid(doc, &claim.kid_error);
  if (options.expected_key) {
    claim.key = *options.expected_key;
    if (!claim.key->key_id) {
      claim.key->key_id = response_kid;
    } else if (response_kid && response_kid->kid != claim.key->key_id->kid) {
      claim.kid_error = "the " + claim.key->source + " kid '" + claim.key->key_id->kid +
                        "' differs from the response kid '" + response_kid->kid + "'";
    }
  } else if (!doc.key.is_null()) {
    try {
      claim.key = ExpectedKeyFromJwk(doc.key, "attestation JWK");
    } catch (const KeyError& e) {
      claim.error = std::string("attestation JWK: ") + e.what();
    }
  }
  return claim;
}

/// The report's key: named by the verified private blob's signed ID, else
/// by the unsigned kid's claim (and the report says so).
KeyFacts DescribeKey(const AttestedKey& key, const ExpectedKey* expected, const AttestationDocument& doc,
                     const std::vector<BlobFacts>& blobs) {
  KeyFacts k;
  if (expected != nullptr && expected->key_id) k.kid = expected->key_id->kid;
  if (k.kid.empty()) k.kid = doc.google_name;
  k.attested = !blobs.empty() && blobs[0].attested;
  if (k.attested) {
    k.name = blobs[0].key_name;
    k.version = blobs[0].key_version;
  } else if (expected != nullptr && expected->key_id) {
    k.name = expected->key_id->name;
    k.version = expected->key_id->version.value_or("");
  }
  std::string type = marvell::KeyTypeName(key.key_type);
  k.type = type.rfind("CKK_", 0) == 0 ? type.substr(4) : type;
  if (key.key_type == marvell::kKeyTypeRsa && key.modulus_bits) {
    k.size_bits = static_cast<int>(*key.modulus_bits);
  } else if (key.key_type == marvell::kKeyTypeEc && key.modulus_bits) {
    k.curve = marvell::CurveNameForNid(*key.modulus_bits);
  } else if (const auto* len = key.Find(marvell::attr::kValueLen); len && len->raw.size() == 4) {
    k.size_bits = static_cast<int>(ByteReader(len->raw).U32("OBJ_ATTR_VALUE_LEN") * 8);
  }
  return k;
}

}  // namespace

OwnerChainStyle RequiredOwnerChainStyle(const AttestationDocument& doc) {
  switch (doc.source) {
    case AttestationSource::kAzure:
      return OwnerChainStyle::kAzure;
    case AttestationSource::kGoogle:
      return OwnerChainStyle::kGoogle;
    case AttestationSource::kRaw:
      break;
  }
  // A raw blob: Google delivers layout A; anything else announced as layout
  // B is judged as Azure's. A blob that announces neither fails its
  // structure check; its bundle is judged against the pinned Google root.
  return marvell::AnnouncedLayout(doc.private_key_attestation) == marvell::Layout::kB ? OwnerChainStyle::kAzure
                                                                                      : OwnerChainStyle::kGoogle;
}

VerifyOptions DefaultVerifyOptions() {
  VerifyOptions options;
  options.marvell_roots = BuiltinMarvellRoots();
  options.google_roots = BuiltinGoogleRoots();
  return options;
}

Report VerifyAzureAttestation(const AttestationDocument& doc, const VerifyOptions& options) {
  Report report = NewKeyAttestationReport();
  KeyAttestationFacts& facts = KeyAttestationFactsOf(report);
  const CheckTime& check_time = options.check_time;
  report.checked_at = check_time.Rfc3339();
  CheckDocumentFormat(doc, report);

  const std::shared_ptr<const BundleVerification> certs = VerifyBundle(doc, options, report);
  // The signature is checked against the partition key even when a chain
  // failed, so the report says everything that is wrong; the verdict still
  // fails through the chain check.
  BlobOutcomes blobs = VerifyBlobs(doc, certs->PartitionKey(), report);

  const ExpectedKeyClaim claim = ResolveExpectedKey(doc, options);
  const ExpectedKey* expected = claim.key ? &*claim.key : nullptr;
  const CheckResult* private_signature = report.Find(checks::kPrivateBlob.signature.id);
  const bool private_signed = private_signature != nullptr && private_signature->status == CheckStatus::kPass;
  AddKeyBindingChecks(expected, claim.error, claim.kid_error, blobs.priv.key, private_signed, certs->OwnerRoot(),
                      report);
  AddPolicyChecks(options.requirements, blobs.priv.key, certs->Card(), certs->Partition(), report);

  MarkAttestedBlobs(report);
  if (options.expected_key_name) AddExpectedKeyCheck(options, report);
  if (blobs.priv.key != nullptr) facts.key = DescribeKey(*blobs.priv.key, expected, doc, facts.blobs);
  AddObjectsToReport(blobs.priv, report);
  if (blobs.pub) AddObjectsToReport(*blobs.pub, report);
  return report;
}

namespace {

/// Loads a document with `load` (InputError = unreadable, exit 3) and
/// verifies it. Fail closed: an unexpected library error (a bug) makes this
/// one report an internal error (exit 5) with its reason, never a crash of
/// the batch, a partial success or a "verification failed".
template <class Load>
Report LoadAndVerify(const std::string& source, const VerifyOptions& options, Load load) {
  Report report = NewKeyAttestationReport();
  try {
    AttestationDocument doc;
    try {
      doc = load();
    } catch (const InputError& e) {
      report.input_error = e.what();
      report.source = source;
      return report;
    }
    if (options.fault_for_tests) options.fault_for_tests(source, doc);
    report = VerifyAzureAttestation(doc, options);
  } catch (const std::exception& e) {
    report = NewKeyAttestationReport();
    report.checked_at = options.check_time.Rfc3339();
    report.FailInternal(e.what());
  }
  report.source = source;
  return report;
}

}  // namespace

Report VerifyRawAttestation(const std::string& source, ByteSpan blob, std::optional<Bytes> certificate_pem,
                            const VerifyOptions& options) {
  return LoadAndVerify(source, options, [&] { return MakeRawAttestationDocument(blob, std::move(certificate_pem)); });
}

Report VerifyAttestationDocument(const std::string& source, std::string_view json_text, const VerifyOptions& options) {
  return LoadAndVerify(source, options, [&] { return ParseAttestationDocument(json_text); });
}

}  // namespace keyattest
