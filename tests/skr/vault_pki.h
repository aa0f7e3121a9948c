// A synthetic vault TLS PKI made in-process (test root -> issuing CA ->
// vault leaf with SAN and EKU), fixed dates, fixed test keys; and builders
// for release-response headers and payloads.
#pragma once

#include <nlohmann/json.hpp>

#include <ctime>
#include <string>
#include <vector>

#include "keyattest/crypto/openssl_ptr.h"

namespace keyattest::testing {

struct VaultPkiOptions {
  std::string leaf_san = "DNS:*.vault.test, DNS:vault.test";
  std::string leaf_eku = "serverAuth, clientAuth";  // "" = no EKU extension
  std::time_t leaf_not_before = 0;                  // 0 = default window
  std::time_t leaf_not_after = 0;
};

struct VaultPki {
  EvpPkeyPtr root_key, ca_key, leaf_key;
  X509Ptr root, ca, leaf;
  std::string RootPem() const;
  /// x5c entries (standard base64 DER): leaf, issuing CA, root.
  std::vector<std::string> X5c() const;
};

/// Default validity: root 2020-2040, CA 2021-2031, leaf 2022-01-01..2023-01-01.
VaultPki MakeVaultPki(const VaultPkiOptions& options = {});

/// {"alg":"RS256","kid":..,"x5t":..,"x5t#S256":..,"x5c":[...]} for `pki`.
nlohmann::ordered_json ResponseHeader(const VaultPki& pki);

/// A release payload for key `name` version `version` on `host`, with a
/// release policy (authority `authority`) and a key_hsm blob wrapped to
/// `kek_kid`.
nlohmann::ordered_json ResponsePayload(const std::string& host, const std::string& name, const std::string& version,
                                       const std::string& authority, const std::string& kek_kid);

/// Signs `header.payload` (both JSON, base64url-encoded) with RS256 under
/// `key`; returns the compact JWS.
std::string SignCompactJws(const nlohmann::ordered_json& header, const nlohmann::ordered_json& payload, EVP_PKEY* key);

}  // namespace keyattest::testing
