// `maa-policy` (docs/maa.md "maa-policy").
#include "keyattest/maa/maa_policy.h"

#include "keyattest/io/base64.h"
#include "keyattest/jose/jwks.h"
#include "keyattest/jose/jws.h"
#include "keyattest/jose/rs256.h"
#include "keyattest/x509/certificate.h"
#include "src/maa/policy_result.h"

namespace keyattest::maa {

namespace {

struct PolicyJws {
  jose::CompactJws jws;
  std::string alg;
  std::string policy_text;
  std::vector<Bytes> x5c;  // header jwk.x5c, decoded
};

/// Structure only: alg a string, jwk.x5c (if any) base64 certificates,
/// payload {"AttestationPolicy": base64url}. Throws std::runtime_error.
PolicyJws ParsePolicyJws(std::string_view text) {
  PolicyJws p{jose::ParseCompactJws(text), "", "", {}};
  const auto alg = p.jws.header.find("alg");
  if (alg == p.jws.header.end() || !alg->is_string()) throw std::runtime_error("header has no \"alg\" string");
  p.alg = alg->get<std::string>();
  if (const auto jwk = p.jws.header.find("jwk"); jwk != p.jws.header.end()) {
    if (!jwk->is_object()) throw std::runtime_error("header \"jwk\" is not an object");
    if (const auto x5c = jwk->find("x5c"); x5c != jwk->end()) {
      nlohmann::ordered_json one = nlohmann::ordered_json::object();
      one["kid"] = "policy signer";
      one["x5c"] = *x5c;
      nlohmann::ordered_json set = nlohmann::ordered_json::object();
      set["keys"] = nlohmann::ordered_json::array({one});
      p.x5c = jose::ParseJwks(set.dump()).keys[0].x5c_der;
    }
  }
  const auto policy = p.jws.payload.find("AttestationPolicy");
  if (p.jws.payload.size() != 1 || policy == p.jws.payload.end() || !policy->is_string()) {
    throw std::runtime_error("payload is not exactly {\"AttestationPolicy\": \"<base64url policy text>\"}");
  }
  std::string why;
  const std::optional<Bytes> decoded = DecodeBase64UrlStrict(policy->get_ref<const std::string&>(), &why);
  if (!decoded) throw std::runtime_error("AttestationPolicy is not base64url: " + why);
  p.policy_text.assign(decoded->begin(), decoded->end());
  return p;
}

void CheckSignature(const PolicyJws& p, const MaaPolicyOptions& options, Report& report) {
  if (p.alg == "none") {
    if (!p.jws.signature.empty()) return report.Fail(kPolicySignature, "alg none with a non-empty signature");
    if (options.signer_der)
      return report.Fail(kPolicySignature, "the policy is unsigned (alg none) but --signer pins a signer");
    return report.Warn(kPolicySignature, "unsigned policy (alg none): nothing vouches for who wrote it");
  }
  if (p.alg != "RS256" && p.alg != "RSA256") {
    return report.Fail(kPolicySignature, "alg \"" + p.alg + "\" is not RS256");
  }
  if (p.jws.header.contains("crit")) return report.Fail(kPolicySignature, "header has \"crit\"");
  if (p.x5c.empty()) return report.Fail(kPolicySignature, "header has no jwk.x5c certificate to verify with");
  EvpPkeyPtr key;
  try {
    key = jose::PublicKeyOfCertificate(p.x5c[0], "jwk.x5c[0]");
  } catch (const jose::JwksError& e) {
    return report.Fail(kPolicySignature, e.what());
  }
  std::string why;
  if (!jose::VerifyRs256(key.get(), p.jws.signing_input, p.jws.signature, &why)) {
    return report.Fail(kPolicySignature, why);
  }
  const std::string detail = "RS256 verifies with header jwk.x5c[0] (RSA-" +
                             std::to_string(jose::RsaModulusBits(key.get())) +
                             "); by itself this proves only "
                             "that the JWS is intact: pin the signer with --signer or a result token";
  if (p.alg == "RSA256") {
    return report.Warn(kPolicySignature, "alg \"RSA256\" (the Python SDK's nonstandard name) read as RS256; " + detail);
  }
  report.Pass(kPolicySignature, detail);
}

void CheckPolicySignerAndHash(const PolicyJws& p, const std::string& hash, const MaaPolicyOptions& options,
                              Report& report) {
  if (!options.signer_der) {
    report.Skip(kPolicySigner, "no --signer given");
  } else if (p.x5c.empty()) {
    report.Fail(kPolicySigner, "the policy JWS carries no signer certificate");
  } else {
    report.Set(kPolicySigner, p.x5c[0] == *options.signer_der ? CheckStatus::kPass : CheckStatus::kFail,
               p.x5c[0] == *options.signer_der ? "jwk.x5c[0] is the --signer certificate (exact DER)"
                                               : "jwk.x5c[0] is not the --signer certificate (DER differs)");
  }
  if (!options.expect_hash) {
    report.Skip(kPolicyHash, "no --expect-hash given (the hash is " + hash + ")");
  } else {
    report.Set(kPolicyHash, hash == *options.expect_hash ? CheckStatus::kPass : CheckStatus::kFail,
               hash == *options.expect_hash ? hash : "hash is " + hash + ", expected " + *options.expect_hash);
  }
}

}  // namespace

std::string PolicyTokenHash(std::string_view jws_text) { return EncodeBase64Url(Sha256(AsBytes(jws_text))); }

Report VerifyMaaPolicy(std::string_view policy_jws_text, const MaaPolicyOptions& options) {
  Report report;
  report.kind = "maa-policy";
  report.checked_at = options.time.Rfc3339();
  report.verified_meaning = "the policy JWS and every given pin, hash and result token agree";
  const std::string_view text = jose::StripFinalLineEnding(policy_jws_text);
  const std::string hash = PolicyTokenHash(text);
  std::optional<PolicyJws> parsed;
  try {
    parsed = ParsePolicyJws(text);
    report.Pass(kPolicyFormat,
                "alg \"" + parsed->alg + "\", " + std::to_string(parsed->policy_text.size()) + "-byte policy text");
  } catch (const std::exception& e) {
    report.FailMalformed(kPolicyFormat, e.what());
  }
  nlohmann::ordered_json facts = nlohmann::ordered_json::object();
  facts["policy_token_hash"] = hash;
  if (parsed) {
    facts["alg"] = parsed->alg;
    if (!parsed->x5c.empty()) {
      if (auto cert = CertificateCache().Parse(parsed->x5c[0])) {
        facts["signer"] = cert->subject() + " (SHA-256 " + HexEncode(cert->sha256()) + ", " + cert->not_before() +
                          " to " + cert->not_after() + ")";
      }
    }
    facts["policy_text"] = parsed->policy_text;
    CheckSignature(*parsed, options, report);
    CheckPolicySignerAndHash(*parsed, hash, options, report);
  } else {
    report.Skip(kPolicySignature, "the policy JWS is malformed");
  }
  report.facts["policy"] = std::move(facts);
  CheckResultToken(parsed ? &parsed->x5c : nullptr, hash, options, report);
  return report;
}

}  // namespace keyattest::maa
