#include "src/key_attestation/binding_checks.h"

#include <algorithm>
#include <cctype>

#include "keyattest/key_attestation/checks.h"
#include "keyattest/key_attestation/expected_key.h"

namespace keyattest {

namespace {

namespace checks = key_attestation;

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

/// Empty when the attested key material equals the expected key's.
std::string CompareMaterial(const ExpectedKey& want, const marvell::AttestedKey& got) {
  if (!want.rsa_n.empty()) {
    if (got.key_type != marvell::kKeyTypeRsa) {
      return "expected an RSA key but the attested key is " + marvell::KeyTypeName(got.key_type);
    }
    if (got.modulus != want.rsa_n) return "RSA modulus differs from the " + want.source;
    if (got.public_exponent != want.rsa_e) return "RSA public exponent differs from the " + want.source;
    return "";
  }
  if (got.key_type != marvell::kKeyTypeEc) {
    return "expected an EC key but the attested key is " + marvell::KeyTypeName(got.key_type);
  }
  if (got.modulus_bits != static_cast<std::uint32_t>(want.ec_nid)) {
    return "curve differs: attested OBJ_ATTR_MODULUS_BITS " + std::to_string(got.modulus_bits.value_or(0)) +
           ", expected NID " + std::to_string(want.ec_nid) + " (" + want.Description() + ")";
  }
  if (got.modulus != want.ec_point) return "EC public point differs from the " + want.source;
  return "";
}

/// binding.check_value: KCV = SHA-1(SPKI)[0..3), EKCV = SHA-256(SPKI)
/// (docs/marvell-format.md §7.1) of the expected key equal the attested ones.
void CheckValue(const ExpectedKey& expected, const marvell::AttestedKey& attested, Report& report) {
  std::string problem;
  std::string seen;
  if (attested.kcv) {
    Bytes kcv = Sha1(expected.spki_der);
    kcv.resize(3);
    seen += "KCV " + HexEncode(*attested.kcv);
    if (kcv != *attested.kcv) {
      problem = "attested KCV " + HexEncode(*attested.kcv) + " != " + HexEncode(kcv) + " computed from the " +
                expected.source;
    }
  }
  if (attested.ekcv) {
    seen += std::string(seen.empty() ? "" : ", ") + "EKCV";
    if (Sha256(expected.spki_der) != *attested.ekcv && problem.empty()) {
      problem = "attested EKCV differs from SHA-256 of the " + expected.source + "'s SubjectPublicKeyInfo";
    }
  }
  if (seen.empty()) {
    report.Set(checks::kCheckValue, CheckStatus::kFail, "attested key has neither KCV nor EKCV");
    return;
  }
  report.Set(checks::kCheckValue, problem.empty() ? CheckStatus::kPass : CheckStatus::kFail,
             problem.empty() ? seen + (seen.find(',') == std::string::npos ? " matches" : " match") +
                                   std::string(" the SubjectPublicKeyInfo of the ") + expected.source
                             : problem);
}

/// binding.key_material and binding.check_value. Key material: only signed
/// bytes are attested; the JWK (or --key) is the claim.
void CheckKeyMaterial(const ExpectedKey& expected, const marvell::AttestedKey& attested, Report& report) {
  if (expected.IsAsymmetric() != attested.IsAsymmetric()) {
    report.Set(checks::kKeyMaterial, CheckStatus::kFail,
               "the " + expected.source + " is " + expected.Description() + " but the attested key is " +
                   marvell::KeyTypeName(attested.key_type));
    report.Set(checks::kCheckValue, CheckStatus::kSkip, "key types differ");
  } else if (!expected.IsAsymmetric()) {
    report.Set(checks::kKeyMaterial, CheckStatus::kSkip, "symmetric key: there is no public key material to bind");
    report.Set(checks::kCheckValue, CheckStatus::kSkip, "symmetric key: its KCV cannot be derived from public data");
  } else {
    std::string diff = CompareMaterial(expected, attested);
    report.Set(checks::kKeyMaterial, diff.empty() ? CheckStatus::kPass : CheckStatus::kFail,
               diff.empty() ? expected.Description() + " public key equals the " + expected.source : diff);
    CheckValue(expected, attested, report);
  }
}

/// binding.key_id: the kid's name/version against the blob's ID, called
/// "signed" only when the blob's signature verified.
void CheckKeyId(const ExpectedKey& expected, const marvell::AttestedKey& attested, bool signature_verified,
                const std::string& kid_error, Report& report) {
  if (!kid_error.empty()) {
    report.Set(checks::kKeyId, CheckStatus::kFail, kid_error);
    return;
  }
  if (!expected.key_id) {
    report.Set(checks::kKeyId, CheckStatus::kSkip, "the " + expected.source + " has no kid");
    return;
  }
  if (!attested.id) {
    report.Set(checks::kKeyId, CheckStatus::kFail, "the attested key has no OBJ_ATTR_ID");
    return;
  }
  const std::optional<KeyPath> signed_path = ParseKeyPath(*attested.id);
  const bool shaped = signed_path && signed_path->version;
  const std::string name = shaped ? signed_path->name : "";
  const std::string version = shaped ? *signed_path->version : "";
  const KeyIdentifier& kid = *expected.key_id;
  const std::string source = signature_verified ? "signed" : "unverified";
  const std::string note = signature_verified ? "" : " (the private blob's signature does not verify)";
  if (!shaped) {
    report.Set(checks::kKeyId, CheckStatus::kFail,
               source + " ID '" + *attested.id + "' is not of the form /keys/<name>/<version>" + note);
  } else if (kid.name != name) {
    report.Set(checks::kKeyId, CheckStatus::kFail,
               "kid key name '" + kid.name + "' differs from the " + source + " name '" + name + "'" + note);
  } else if (kid.version && *kid.version != version) {
    report.Set(checks::kKeyId, CheckStatus::kFail,
               "kid version '" + *kid.version + "' differs from the " + source + " version '" + version + "'" + note);
  } else if (!kid.version) {
    report.Set(
        checks::kKeyId, CheckStatus::kPass,
        "name '" + name + "' bound; the kid has no version, so the version ('" + version + "') is not bound" + note);
  } else {
    report.Set(checks::kKeyId, CheckStatus::kPass,
               "kid name '" + name + "' and version '" + version + "' equal the " + source + " ID" + note);
  }
}

/// owner.pool_name: the owner root's CN is the pool name (§10.2); a
/// difference is worth a warning (recorders sanitize hosts), not a failure.
void CheckPoolName(const ExpectedKey& expected, const Certificate* owner_root, Report& report) {
  if (!expected.key_id) {
    report.Set(checks::kPoolName, CheckStatus::kSkip, "no kid");
  } else if (owner_root == nullptr) {
    report.Set(checks::kPoolName, CheckStatus::kSkip, "no owner root identified");
  } else {
    const std::string& cn = owner_root->common_name();
    bool same = Lower(cn) == Lower(expected.key_id->pool);
    report.Set(checks::kPoolName, same ? CheckStatus::kPass : CheckStatus::kWarn,
               same ? "owner root CN '" + cn + "' equals the kid's pool"
                    : "owner root CN '" + cn + "' differs from the kid's pool '" + expected.key_id->pool + "'");
  }
}

}  // namespace

void AddKeyBindingChecks(const ExpectedKey* expected, const std::string& expected_error, const std::string& kid_error,
                         const marvell::AttestedKey* attested, bool signature_verified, const Certificate* owner_root,
                         Report& report) {
  // The three binding checks, all skipped (or the first failed) for one reason.
  auto all = [&](CheckStatus first, const std::string& first_detail, const std::string& why) {
    report.Set(checks::kKeyMaterial, first, first_detail);
    report.Set(checks::kCheckValue, CheckStatus::kSkip, why);
    report.Set(checks::kKeyId, CheckStatus::kSkip, why);
  };
  if (!expected_error.empty()) {
    all(CheckStatus::kFail, expected_error, "no usable expected key");
    return;
  }
  if (expected == nullptr) {
    const std::string why = "nothing to bind: the input has no 'key' JWK and no --key was given";
    all(CheckStatus::kSkip, why, why);
    report.Set(checks::kPoolName, CheckStatus::kSkip, "no kid");
    return;
  }
  if (attested == nullptr) {
    const std::string why = "needs the attested private key object";
    all(CheckStatus::kSkip, why, why);
  } else {
    CheckKeyMaterial(*expected, *attested, report);
    CheckKeyId(*expected, *attested, signature_verified, kid_error, report);
  }
  CheckPoolName(*expected, owner_root, report);
}

}  // namespace keyattest
