#include "keyattest/key_attestation/key_identifier.h"

namespace keyattest {

std::optional<KeyPath> ParseKeyPath(std::string_view path, std::string* why) {
  auto fail = [&](const char* reason) -> std::optional<KeyPath> {
    if (why != nullptr) *why = reason;
    return std::nullopt;
  };
  constexpr std::string_view kKeys = "/keys/";
  if (path.substr(0, kKeys.size()) != kKeys) return fail("path does not start with /keys/");
  path.remove_prefix(kKeys.size());
  const std::size_t slash = path.find('/');
  KeyPath out;
  out.name = std::string(path.substr(0, slash));
  if (out.name.empty()) return fail("has an empty key name");
  if (slash != std::string_view::npos) {
    const std::string_view version = path.substr(slash + 1);
    if (version.empty() || version.find('/') != std::string_view::npos) return fail("has a malformed version");
    out.version = std::string(version);
  }
  return out;
}

std::optional<KeyIdentifier> ParseKeyIdentifier(const std::string& kid, std::string* why) {
  constexpr std::string_view kScheme = "https://";
  auto fail = [&](const char* reason) -> std::optional<KeyIdentifier> {
    if (why != nullptr) *why = reason;
    return std::nullopt;
  };
  if (kid.compare(0, kScheme.size(), kScheme) != 0) return fail("does not start with https://");
  const std::string_view rest = std::string_view(kid).substr(kScheme.size());
  const auto slash = rest.find('/');
  if (slash == std::string_view::npos || slash == 0) return fail("has no host");
  KeyIdentifier id;
  id.kid = kid;
  id.host = std::string(rest.substr(0, slash));
  id.pool = id.host.substr(0, id.host.find('.'));
  std::optional<KeyPath> path = ParseKeyPath(rest.substr(slash), why);
  if (!path) return std::nullopt;
  id.name = std::move(path->name);
  id.version = std::move(path->version);
  return id;
}

}  // namespace keyattest
