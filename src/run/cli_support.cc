#include "keyattest/run/cli_support.h"

namespace keyattest {

std::vector<std::string> NormalizeLegacyOptions(const std::vector<std::string>& args) {
  std::vector<std::string> out;
  out.reserve(args.size());
  bool passthrough = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (i == 0 || passthrough) {
      out.push_back(a);
      continue;
    }
    if (a == "--") {
      passthrough = true;
      out.push_back(a);
    } else if (a == "-af") {
      out.push_back("--attestation-file");
    } else if (a.rfind("-af=", 0) == 0) {
      out.push_back("--attestation-file=" + a.substr(4));
    } else {
      out.push_back(a);
    }
  }
  return out;
}

}  // namespace keyattest
