// Key names: the signed OBJ_ATTR_ID "/keys/<name>/<version>" of an Azure
// key and the kid "https://<host>/keys/<name>[/<version>]" that claims it
// (docs/marvell-format.md §7.1). One parser for both.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace keyattest {

/// "/keys/<name>[/<version>]": a non-empty name and, when present, a
/// non-empty version without further slashes.
struct KeyPath {
  std::string name;
  std::optional<std::string> version;
};

/// Parses a key path; nullopt (with `why`, if given) when `path` is not of
/// that shape.
std::optional<KeyPath> ParseKeyPath(std::string_view path, std::string* why = nullptr);

/// The parts of an Azure kid: https://<host>/keys/<name>[/<version>].
struct KeyIdentifier {
  std::string kid;
  std::string host;
  std::string pool;  // first DNS label of the host
  std::string name;
  std::optional<std::string> version;
};

/// Parses a kid; nullopt (with `why`) when it is not of that shape.
std::optional<KeyIdentifier> ParseKeyIdentifier(const std::string& kid, std::string* why);

}  // namespace keyattest
