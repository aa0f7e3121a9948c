// `validate_attestation release-policy`: explains a Key Vault / Managed HSM
// key release policy offline (docs/skr.md "release-policy").
#include "cli/commands/commands.h"
#include "cli/commands/skr_token_options.h"
#include "keyattest/core/errors.h"
#include "keyattest/io/input_file.h"
#include "keyattest/skr/release_policy_verifier.h"

namespace keyattest::cli {

namespace {

constexpr std::size_t kMaxSecurityPolicyBytes = 1 << 20;

struct ReleasePolicyOptions {
  std::string policy;
  std::optional<std::string> security_policy;
  std::optional<std::string> security_policy_b64;
  SkrTokenOptions token;
};

}  // namespace

CommandRunner DeclareReleasePolicyCommand(CLI::App& app, CommonOptions& common) {
  auto options = std::make_shared<ReleasePolicyOptions>();
  app.description(
      "Explain a Secure Key Release policy offline: grammar, lint, and (with a\n"
      "token) which statement and condition decide whether Key Vault releases the key.\n"
      "\n"
      "Examples:\n"
      "  validate_attestation release-policy --policy cvm-release-policy.json\n"
      "  validate_attestation release-policy --policy cvm-release-policy.json \\\n"
      "    --token token.jwt --jwks certs.json \\\n"
      "    --issuer https://sharedweu.weu.attest.azure.net --at 2022-12-24T00:00:18Z\n"
      "  validate_attestation release-policy --policy importkeyconfig.json \\\n"
      "    --security-policy-b64 cce-policy.base64\n"
      "  az keyvault key show --vault-name V --name K > key.json\n"
      "  validate_attestation release-policy --policy key.json --output json");
  AddFileOption(app, "--policy", options->policy,
                "The policy JSON, a release_policy object (base64url data), a key\n"
                "bundle holding one, or the SKR sidecar's importkeyconfig.json")
      ->required();
  auto* rego = AddOptionalFileOption(app, "--security-policy", options->security_policy,
                                     "The container's Rego security policy (text): its SHA-256 must be\n"
                                     "the policy's x-ms-sevsnpvm-hostdata");
  auto* b64 = AddOptionalFileOption(app, "--security-policy-b64", options->security_policy_b64,
                                    "The ARM template's ccePolicy (base64 of the Rego policy)");
  rego->excludes(b64);
  options->token.Declare(app);
  AddSkewOption(app, common);
  return [options](const CommonOptions& run) {
    skr::ReleasePolicyRequest request;
    request.policy_text = ReadInputFile(options->policy, skr::kMaxPolicyInputBytes, "a release policy");
    request.policy_source = options->policy;
    request.check_time = run.check_time;
    request.token = options->token.Read(run.check_time);
    if (options->security_policy) {
      request.security_policy = skr::SecurityPolicyInput{
          ReadInputFile(*options->security_policy, kMaxSecurityPolicyBytes, "a security policy"), false,
          *options->security_policy};
    } else if (options->security_policy_b64) {
      request.security_policy =
          skr::SecurityPolicyInput{ReadInputFile(*options->security_policy_b64, kMaxSecurityPolicyBytes, "a ccePolicy"),
                                   true, *options->security_policy_b64};
    }
    return skr::VerifyReleasePolicy(request);
  };
}

}  // namespace keyattest::cli
