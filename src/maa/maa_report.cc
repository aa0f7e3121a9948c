// The `maa` command's report (docs/maa.md "Output").
#include "keyattest/maa/maa_token.h"
#include "keyattest/sgx_evidence/token_key_evidence.h"
#include "src/maa/token_checks.h"

namespace keyattest::maa {

namespace {

nlohmann::ordered_json HeaderFacts(const MaaTokenResult& result) {
  nlohmann::ordered_json token = nlohmann::ordered_json::object();
  if (result.header.is_object()) {
    for (const char* name : {"alg", "kid", "jku", "typ"}) {
      if (const auto it = result.header.find(name); it != result.header.end()) token[name] = *it;
    }
  }
  if (result.key) {
    token["signing_key"] =
        "RSA-" + std::to_string(result.key->bits) + ", " +
        (result.key->x5c_der.empty() ? std::string("JWKS n/e")
                                     : "JWKS x5c (" + std::to_string(result.key->x5c_der.size()) + " certificate(s))");
  }
  return token;
}

}  // namespace

Report VerifyMaa(std::string_view token_text, std::string_view jwks_text, const MaaTokenOptions& options,
                 const MaaReportOptions& report_options) {
  RequireIssuer(options);  // before the JWKS is parsed, as ever
  return VerifyMaa(token_text, IssuerKeys(jwks_text), options, report_options);
}

Report VerifyMaa(std::string_view token_text, const IssuerKeys& keys, const MaaTokenOptions& options,
                 const MaaReportOptions& report_options) {
  Report report;
  report.kind = "maa";
  report.checked_at = options.time.Rfc3339();
  report.verified_meaning =
      "the token is signed by the JWKS key its kid names, issued by " + options.issuer + " and valid at the check time";
  MaaTokenResult result = VerifyMaaToken(token_text, keys, options, report);
  if (nlohmann::ordered_json token = HeaderFacts(result); !token.empty()) report.facts["token"] = std::move(token);
  nlohmann::ordered_json check_time = nlohmann::ordered_json::object();
  check_time["at"] = options.time.Rfc3339();
  check_time["skew_seconds"] = options.time.skew_seconds;
  report.facts["check_time"] = std::move(check_time);
  if (report_options.signing_key_evidence) {
    sgx_evidence::VerifyTokenKeyEvidence(result, *report_options.signing_key_evidence, report);
  }
  if (!result.verified) {
    report.facts["claims_shown"] = "none: claims are shown only for a token that verified";
    return report;
  }
  nlohmann::ordered_json families = ClaimFamilies(result.claims, options.time);
  for (auto it = families.begin(); it != families.end(); ++it) report.facts[it.key()] = std::move(it.value());
  if (report_options.all_claims) report.facts["claims"] = std::move(result.claims);
  return report;
}

}  // namespace keyattest::maa
