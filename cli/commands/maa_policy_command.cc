// `validate_attestation maa-policy`: the offline pieces of MAA policy
// management (docs/maa.md "maa-policy").
#include <memory>

#include "cli/commands/commands.h"
#include "keyattest/core/errors.h"
#include "keyattest/io/input_file.h"
#include "keyattest/maa/maa_policy.h"
#include "keyattest/sgx_evidence/signing_key_evidence.h"
#include "keyattest/x509/certificate.h"

namespace keyattest::cli {

namespace {

constexpr std::size_t kMaxFileBytes = std::size_t{1024} * 1024;

constexpr char kFooter[] =
    "Examples:\n"
    "  validate_attestation maa-policy --policy-jws set_policy_request_body.jws \\\n"
    "    --expect-hash h6bWT3Mqp8UQ2ciVtxhlk3WsMH8cnFgEjpEcfA6ySs4\n"
    "  validate_attestation maa-policy --policy-jws set_policy_request_body.jws \\\n"
    "    --result-token set_policy_result_token.jwt --jwks wus_certs.json \\\n"
    "    --issuer https://pylarryopythonaad.wus.attest.azure.net --at 2021-05-07T21:30:00Z\n"
    "\n"
    "Checks: policy_jws.format policy_jws.signature policy_jws.signer\n"
    "policy_jws.hash, the maa checks of the result token as result_token.*,\n"
    "result_token.policy_token_hash result_token.policy_signer (docs/maa.md),\n"
    "and the result token's signing-key evidence as result_token.signing_key.*\n"
    "(docs/sgx-evidence.md; --require-evidence, --require-mrsigner HEX).\n"
    "The hash is base64url(SHA-256(the JWS text as sent)); a final newline of\n"
    "the file is not part of it. Prints the policy text.\n"
    "Exit codes: 0 verified, 1 a check failed, 2 usage error or unusable\n"
    "--signer/--jwks, 3 policy JWS or token malformed.";

struct PolicyOptions {
  std::string policy_jws;
  std::optional<std::string> signer;
  std::optional<std::string> expect_hash;
  std::optional<std::string> result_token;
  std::optional<std::string> jwks;
  std::optional<std::string> issuer;
  bool require_evidence = false;
  std::vector<std::string> require_mrsigners;
};

Bytes ReadSigner(const std::string& path) {
  const std::string pem = ReadInputFile(path, kMaxFileBytes, "a signer certificate");
  try {
    return ParseSinglePemCertificate(AsBytes(pem)).der();
  } catch (const std::exception& e) {
    throw UsageError("--signer " + path + " is not one PEM certificate: " + e.what());
  }
}

std::optional<maa::MaaPolicyResultToken> ReadResultToken(const PolicyOptions& o, const CommonOptions& run) {
  if (!o.result_token) {
    if (o.jwks || o.issuer || o.require_evidence || !o.require_mrsigners.empty()) {
      throw UsageError("--jwks, --issuer, --require-evidence and --require-mrsigner are only used with --result-token");
    }
    return std::nullopt;
  }
  if (!o.jwks || !o.issuer) throw UsageError("--result-token needs --jwks FILE and --issuer URL");
  maa::MaaPolicyResultToken token;
  token.jwks_text = ReadInputFile(*o.jwks, kMaxFileBytes, "a JWKS");
  token.token_text = ReadInputFile(*o.result_token, kMaxFileBytes, "an MAA result token");
  token.options.issuer = *o.issuer;
  token.options.time = run.check_time;
  sgx_evidence::SgxEvidenceOptions evidence;
  evidence.check_time = run.check_time;
  evidence.require_evidence = o.require_evidence;
  for (const std::string& hex : o.require_mrsigners) {
    evidence.required_mrsigners.push_back(sgx_evidence::ParseMrsignerHex(hex));
  }
  token.signing_key_evidence = std::move(evidence);
  return token;
}

}  // namespace

CommandRunner DeclareMaaPolicyCommand(CLI::App& app, CommonOptions& common) {
  auto o = std::make_shared<PolicyOptions>();
  AddFileOption(app, "--policy-jws", o->policy_jws, "The policy JWS as sent (PUT /policies/<type> body); - = stdin")
      ->required();
  AddOptionalFileOption(app, "--signer", o->signer, "PEM certificate the policy must be signed with (exact DER)");
  app.add_option("--expect-hash", o->expect_hash, "Expected base64url(SHA-256(policy JWS)), as the service reports it")
      ->type_name("B64URL")
      ->check([](const std::string& v) { return v.empty() ? std::string("an empty value is not allowed") : ""; });
  AddOptionalFileOption(app, "--result-token", o->result_token,
                        "The service's answer (a JWT): verified as an MAA token");
  AddOptionalFileOption(app, "--jwks", o->jwks, "The issuer's signing keys (GET <issuer>/certs), for --result-token");
  app.add_option("--issuer", o->issuer, "The result token's expected iss, compared exactly")
      ->type_name("URL")
      ->check([](const std::string& v) { return v.empty() ? std::string("an empty value is not allowed") : ""; });
  app.add_flag("--require-evidence", o->require_evidence,
               "Require the result token's signing key to carry a verified SGX quote\n"
               "from a production enclave (docs/sgx-evidence.md)");
  AddRepeatableOption(app, "--require-mrsigner", o->require_mrsigners,
                      "Require that enclave's signer: 64 hex digits (repeatable)", "HEX");
  AddSkewOption(app, common);
  app.footer(kFooter);
  return [o](const CommonOptions& run) {
    maa::MaaPolicyOptions options;
    options.time = run.check_time;
    options.expect_hash = o->expect_hash;
    if (o->signer) options.signer_der = ReadSigner(*o->signer);
    options.result_token = ReadResultToken(*o, run);
    const std::string jws = ReadInputFile(o->policy_jws, kMaxFileBytes, "a policy JWS");
    Report report = maa::VerifyMaaPolicy(jws, options);
    report.source = o->policy_jws;
    return report;
  };
}

}  // namespace keyattest::cli
