// `validate_attestation release-response`: verifies a Key Vault / Managed
// HSM key release response offline (docs/skr.md "release-response").
#include "cli/commands/commands.h"
#include "cli/commands/skr_token_options.h"
#include "keyattest/core/errors.h"
#include "keyattest/io/input_file.h"
#include "keyattest/skr/release_response.h"
#include "keyattest/skr/vault_chain.h"
#include "keyattest/x509/certificate.h"
#include "keyattest/x509/trust_anchors.h"

namespace keyattest::cli {

namespace {

constexpr std::size_t kMaxRootBytes = std::size_t{64} * 1024;

struct ReleaseResponseCliOptions {
  std::string response;
  std::string vault;
  std::vector<std::string> roots;
  std::optional<std::string> token_at;
  SkrTokenOptions token;
};

/// --root files replace the compiled-in root; an unreadable one is an
/// unusable trust input (exit 2).
std::vector<TrustAnchor> LoadRoots(const std::vector<std::string>& paths) {
  if (paths.empty()) return BuiltinAnchors(skr::kVaultRootPurpose);
  std::vector<TrustAnchor> roots;
  for (const std::string& path : paths) {
    std::string pem;
    try {
      pem = ReadInputFile(path, kMaxRootBytes, "a root certificate");
      roots.emplace_back(
          ParseSinglePemCertificate(ByteSpan(reinterpret_cast<const std::uint8_t*>(pem.data()), pem.size())));
    } catch (const std::exception& e) {
      throw UsageError("--root " + path + ": " + e.what());
    }
  }
  return roots;
}

}  // namespace

CommandRunner DeclareReleaseResponseCommand(CLI::App& app, CommonOptions& common) {
  auto options = std::make_shared<ReleaseResponseCliOptions>();
  app.description(
      "Verify a Key Vault / Managed HSM key release response offline: RS256 by x5c[0],\n"
      "the TLS chain to DigiCert Global Root G2 (pinned), the vault host name, the\n"
      "thumbprints and the requested key; with a token also the embedded release policy\n"
      "and the key the response is wrapped to. The wrapped key is never printed.\n"
      "\n"
      "Examples:\n"
      "  validate_attestation release-response --response release.json \\\n"
      "    --vault skr-kvq6srllol2jntw.vault.azure.net --at 2022-12-24T00:00:00Z\n"
      "  validate_attestation release-response --response release.json \\\n"
      "    --vault skr-kvq6srllol2jntw.vault.azure.net --at 2022-12-24T00:00:00Z \\\n"
      "    --token token.jwt --jwks certs.json \\\n"
      "    --issuer https://sharedweu.weu.attest.azure.net \\\n"
      "    --token-at 2022-12-24T00:00:18Z");
  AddFileOption(app, "--response", options->response,
                "The response of POST .../keys/<name>/release: {\"value\": JWS} or the JWS")
      ->required();
  app.add_option("--vault", options->vault, "The vault's host name, e.g. myvault.vault.azure.net")
      ->type_name("HOST")
      ->required();
  AddRepeatableOption(app, "--root", options->roots,
                      "A PEM root that replaces the compiled-in DigiCert Global Root G2\n(repeatable)", "PEM");
  options->token.Declare(app);
  app.add_option("--token-at", options->token_at, "Check the token's times as of this RFC 3339 time (default --at)")
      ->type_name("TIME");
  AddSkewOption(app, common);
  return [options](const CommonOptions& run) {
    skr::ValidateVaultHost(options->vault);
    skr::ReleaseResponseRequest request;
    request.response_text = ReadInputFile(options->response, skr::kMaxResponseBytes, "a release response");
    request.response_source = options->response;
    request.options.vault = options->vault;
    request.options.roots = LoadRoots(options->roots);
    request.options.check_time = run.check_time;
    const CheckTime token_time =
        options->token_at ? CheckTime::FromOptions(options->token_at, run.skew) : run.check_time;
    const std::optional<skr::TokenInput> token = options->token.Read(token_time);
    request.token = token ? &*token : nullptr;
    return skr::VerifyReleaseResponse(request);
  };
}

}  // namespace keyattest::cli
