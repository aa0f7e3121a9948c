// `validate_attestation roots`: the compiled-in trust anchors, so users can
// compare them with the certificates Marvell, Google, AMD, Intel and
// DigiCert publish (docs/trust-anchors.md).
#include <iostream>

#include "cli/command.h"
#include "cli/commands/commands.h"
#include "keyattest/core/bytes.h"
#include "keyattest/report/report.h"
#include "keyattest/x509/trust_anchors.h"

namespace keyattest::cli {

namespace {

nlohmann::ordered_json AnchorFacts(const PinnedRoot& pin, const Certificate& cert) {
  nlohmann::ordered_json a;
  a["purpose"] = std::string(pin.purpose);
  a["name"] = std::string(pin.name);
  a["subject"] = cert.subject();
  a["not_before"] = cert.not_before();
  a["not_after"] = cert.not_after();
  a["key"] = cert.key_description();
  a["sha256"] = HexEncode(cert.sha256());
  a["spki_sha256"] = HexEncode(cert.spki_sha256());
  return a;
}

void PrintText(const nlohmann::ordered_json& anchors) {
  std::cout << anchors.size() << " compiled-in trust anchors (pinned by SPKI SHA-256):\n";
  for (const auto& a : anchors) {
    std::cout << "\n"
              << a["name"].get<std::string>() << "  [" << a["purpose"].get<std::string>() << "]\n"
              << "  subject:      " << a["subject"].get<std::string>() << "\n"
              << "  validity:     " << a["not_before"].get<std::string>() << " to " << a["not_after"].get<std::string>()
              << "\n"
              << "  key:          " << a["key"].get<std::string>() << "\n"
              << "  SHA-256:      " << a["sha256"].get<std::string>() << "\n"
              << "  SPKI SHA-256: " << a["spki_sha256"].get<std::string>() << "\n";
  }
}

}  // namespace

int RunRootsCommand(const std::vector<std::string>& args) {
  CLI::App app{
      "validate_attestation roots: list the compiled-in trust anchors with subject, validity and SHA-256 "
      "fingerprints, or write them as PEM",
      "validate_attestation roots"};
  UseEightyColumnHelp(app);
  std::string output = "text";
  app.add_option("--output", output, "text (default), json, or pem (every anchor's certificate, as compiled in)")
      ->check(CLI::IsMember({"text", "json", "pem"}))
      ->type_name("FORMAT");
  std::string purpose;
  app.add_option("--purpose", purpose, "Only the anchors of this purpose (e.g. marvell-manufacturer)")
      ->type_name("PURPOSE")
      ->check([](const std::string& v) { return v.empty() ? std::string("an empty value is not allowed") : ""; });
  app.footer(
      "Example:\n"
      "  validate_attestation roots --output pem --purpose marvell-manufacturer \\\n"
      "    > marvell-roots.pem");
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    (void)app.exit(e);
    return static_cast<int>(ExitCode::kUsage);
  }
  nlohmann::ordered_json anchors = nlohmann::ordered_json::array();
  std::string pem;
  try {
    for (const PinnedRoot& pin : BuiltinPins()) {
      if (!purpose.empty() && pin.purpose != purpose) continue;
      for (const TrustAnchor& anchor : BuiltinAnchors(pin.purpose)) {
        if (anchor.name() != pin.name) continue;
        anchors.push_back(AnchorFacts(pin, anchor.certificate()));
      }
      pem += pin.pem;
    }
  } catch (const std::exception& e) {
    std::cerr << "validate_attestation roots: a compiled-in anchor is unusable: " << e.what() << "\n";
    return static_cast<int>(ExitCode::kInternalError);
  }
  if (anchors.empty()) {
    std::cerr << "validate_attestation roots: no compiled-in anchor has purpose '" << purpose << "'\n";
    return static_cast<int>(ExitCode::kUsage);
  }
  if (output == "pem") {
    std::cout << pem;
  } else if (output == "json") {
    std::cout << nlohmann::ordered_json{{"anchors", anchors}}.dump(2) << "\n";
  } else {
    PrintText(anchors);
  }
  std::cout.flush();
  if (!std::cout.good()) {
    std::cerr << "validate_attestation roots: the output could not be written\n";
    return static_cast<int>(ExitCode::kOutputError);
  }
  return 0;
}

}  // namespace keyattest::cli
