// `validate_attestation maa`: a Microsoft Azure Attestation token verified
// offline against a saved JWKS (docs/maa.md).
#include <memory>

#include "cli/commands/commands.h"
#include "keyattest/io/input_file.h"
#include "keyattest/maa/maa_token.h"

namespace keyattest::cli {

namespace {

constexpr std::size_t kMaxTokenFileBytes = std::size_t{1024} * 1024;
constexpr std::size_t kMaxJwksFileBytes = std::size_t{1024} * 1024;

constexpr char kFooter[] =
    "Examples:\n"
    "  validate_attestation maa --token cvm_guest_sharedweu_2022-12-23.jwt \\\n"
    "    --jwks sharedweu_certs.json --issuer https://sharedweu.weu.attest.azure.net \\\n"
    "    --at 2022-12-24T00:00:18Z\n"
    "  curl -s https://sharedweu.weu.attest.azure.net/certs > certs.json\n"
    "  validate_attestation maa --token - --jwks certs.json \\\n"
    "    --issuer https://sharedweu.weu.attest.azure.net \\\n"
    "    --require-claim x-ms-isolation-tee.x-ms-sevsnpvm-is-debuggable=false < token.jwt\n"
    "\n"
    "Checks: token.format token.header token.claims token.alg token.crit\n"
    "token.jku jwks.key token.kid signing_key.size token.signature\n"
    "token.issuer token.time claim.<path> (docs/maa.md).\n"
    "Only RS256 is accepted, the key is the JWKS entry whose kid equals the\n"
    "token's byte for byte (never a key from the token), and the token is\n"
    "valid iff nbf - skew <= at < exp + skew.\n"
    "Exit codes: 0 verified, 1 a check failed, 2 usage error or unusable JWKS,\n"
    "3 token unreadable or malformed, 4 report not written, 5 internal error.";

struct MaaOptions {
  std::string token;
  std::string jwks;
  std::string issuer;
  std::vector<std::string> require_claims;
  bool claims = false;
};

}  // namespace

CommandRunner DeclareMaaCommand(CLI::App& app, CommonOptions& common) {
  auto options = std::make_shared<MaaOptions>();
  AddFileOption(app, "--token", options->token,
                "The MAA token: compact JWT or the service's {\"token\": ...} body; - = stdin")
      ->required();
  AddFileOption(app, "--jwks", options->jwks, "The issuer's signing keys: the body of GET <issuer>/certs, saved")
      ->required();
  app.add_option("--issuer", options->issuer,
                 "The expected iss, compared exactly (e.g. https://sharedweu.weu.attest.azure.net)")
      ->type_name("URL")
      ->required()
      ->check([](const std::string& v) { return v.empty() ? std::string("an empty value is not allowed") : ""; });
  AddSkewOption(app, common);
  AddRepeatableOption(app, "--require-claim", options->require_claims,
                      "Require a claim: dot path through objects = value as text (repeatable)", "PATH=VALUE");
  app.add_flag("--claims", options->claims, "Print every claim, not only the families");
  app.footer(kFooter);
  return [options](const CommonOptions& run) {
    maa::MaaTokenOptions verify;
    verify.issuer = options->issuer;
    verify.time = run.check_time;
    for (const std::string& r : options->require_claims)
      verify.required_claims.push_back(maa::ParseClaimRequirement(r));
    const std::string jwks = ReadInputFile(options->jwks, kMaxJwksFileBytes, "a JWKS");
    const std::string token = ReadInputFile(options->token, kMaxTokenFileBytes, "an MAA token");
    Report report = maa::VerifyMaa(token, jwks, verify, maa::MaaReportOptions{options->claims || run.output == "json"});
    report.source = options->token;
    return report;
  };
}

}  // namespace keyattest::cli
