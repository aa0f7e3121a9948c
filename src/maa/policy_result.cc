// The result token of a policy change (docs/maa.md "maa-policy"): an MAA
// token whose x-ms-policy-token-hash and x-ms-policy-signer must name the
// policy JWS that was sent.
#include <optional>

#include "keyattest/core/errors.h"
#include "keyattest/io/base64.h"
#include "keyattest/sgx_evidence/token_key_evidence.h"
#include "src/maa/policy_result.h"

namespace keyattest::maa {

namespace {

/// The x5c of x-ms-policy-signer, decoded; nullopt with `why` when absent or
/// malformed.
std::optional<std::vector<Bytes>> SignerX5c(const nlohmann::ordered_json& claims, std::string* why) {
  const auto signer = claims.find("x-ms-policy-signer");
  if (signer == claims.end()) {
    *why = "the result token has no x-ms-policy-signer";
    return std::nullopt;
  }
  const auto x5c = signer->is_object() ? signer->find("x5c") : signer->end();
  if (!signer->is_object() || x5c == signer->end() || !x5c->is_array()) {
    *why = "x-ms-policy-signer has no x5c array";
    return std::nullopt;
  }
  std::vector<Bytes> out;
  for (const auto& cert : *x5c) {
    std::optional<Bytes> der =
        cert.is_string() ? DecodeBase64Any(cert.get_ref<const std::string&>(), why) : std::nullopt;
    if (!der) {
      *why = "x-ms-policy-signer.x5c holds a value that is not base64";
      return std::nullopt;
    }
    out.push_back(std::move(*der));
  }
  return out;
}

void CheckSigner(const std::vector<Bytes>& policy_x5c, const nlohmann::ordered_json& claims, Report& report) {
  if (policy_x5c.empty()) {
    const bool absent = !claims.contains("x-ms-policy-signer");
    return report.Set(kResultPolicySigner, absent ? CheckStatus::kPass : CheckStatus::kFail,
                      absent ? "unsigned policy and no x-ms-policy-signer"
                             : "the policy JWS is unsigned but the result token names a signer");
  }
  std::string why;
  const std::optional<std::vector<Bytes>> token_x5c = SignerX5c(claims, &why);
  if (!token_x5c) return report.Fail(kResultPolicySigner, why);
  const bool same = *token_x5c == policy_x5c;
  report.Set(kResultPolicySigner, same ? CheckStatus::kPass : CheckStatus::kFail,
             same ? "x-ms-policy-signer.x5c equals the policy JWS's jwk.x5c (" + std::to_string(policy_x5c.size()) +
                        " certificate(s), exact DER)"
                  : "x-ms-policy-signer.x5c differs from the policy JWS's jwk.x5c");
}

}  // namespace

void CheckResultToken(const std::vector<Bytes>* policy_x5c, const std::string& hash, const MaaPolicyOptions& options,
                      Report& report) {
  if (!options.result_token) return;
  MaaTokenOptions token_options = options.result_token->options;
  token_options.check_prefix = "result_token.";
  const MaaTokenResult result =
      VerifyMaaToken(options.result_token->token_text, options.result_token->jwks_text, token_options, report);
  if (options.result_token->signing_key_evidence) {
    sgx_evidence::SgxEvidenceOptions evidence = *options.result_token->signing_key_evidence;
    evidence.check_prefix = token_options.check_prefix;
    sgx_evidence::VerifyTokenKeyEvidence(result, evidence, report);
  }
  if (!result.verified) {
    report.Skip(kResultPolicyHash, "the result token did not verify");
    report.Skip(kResultPolicySigner, "the result token did not verify");
    return;
  }
  nlohmann::ordered_json facts = nlohmann::ordered_json::object();
  for (const char* name : {"iss", "x-ms-policy-result", "x-ms-policy-token-hash"}) {
    if (const auto it = result.claims.find(name); it != result.claims.end()) facts[name] = *it;
  }
  report.facts["result_token"] = std::move(facts);
  const auto claimed = result.claims.find("x-ms-policy-token-hash");
  if (claimed == result.claims.end() || !claimed->is_string()) {
    report.Fail(kResultPolicyHash, "the result token has no x-ms-policy-token-hash string");
  } else {
    const std::string& got = claimed->get_ref<const std::string&>();
    report.Set(kResultPolicyHash, got == hash ? CheckStatus::kPass : CheckStatus::kFail,
               got == hash ? hash + " = base64url(SHA-256(policy JWS))"
                           : "x-ms-policy-token-hash " + got + " is not the policy JWS's " + hash);
  }
  if (policy_x5c == nullptr) return report.Skip(kResultPolicySigner, "the policy JWS is malformed");
  CheckSigner(*policy_x5c, result.claims, report);
}

}  // namespace keyattest::maa
