// jwks.key, token.kid, signing_key.size and token.signature (docs/maa.md
// "Checks"): the key comes from the JWKS by exact kid and from nowhere else.
#include <algorithm>
#include <string>

#include "keyattest/jose/rs256.h"
#include "keyattest/maa/maa_checks.h"
#include "src/maa/token_checks.h"

namespace keyattest::maa {

namespace {

constexpr int kMinKeyBits = 1024;
constexpr int kRecommendedKeyBits = 2048;

/// Header members that could carry a key or point at one; never used.
std::string IgnoredKeyMembers(const nlohmann::ordered_json& header) {
  std::string out;
  for (const char* name : {"jwk", "x5c", "x5u", "x5t", "x5t#S256"}) {
    if (!header.contains(name)) continue;
    if (!out.empty()) out.append(", ");
    out.append(name);
  }
  return out.empty() ? "" : "; header " + out + " ignored (a token never supplies its own key)";
}

/// Why a JWKS entry may not verify an RS256 signature by its own declared
/// restrictions (RFC 7517 §4.2-4.4, RFC 7518 §3.1), or "" when it may.
std::string DeclaredRestriction(const nlohmann::ordered_json& jwk) {
  if (const auto use = jwk.find("use"); use != jwk.end() && *use != "sig") {
    return "is declared for \"use\" " + use->dump() + ", not \"sig\"";
  }
  if (const auto alg = jwk.find("alg"); alg != jwk.end() && *alg != "RS256") {
    return "is declared for \"alg\" " + alg->dump() + ", not \"RS256\"";
  }
  if (const auto ops = jwk.find("key_ops"); ops != jwk.end()) {
    const bool verify = ops->is_array() && std::find(ops->begin(), ops->end(), "verify") != ops->end();
    if (!verify) return "has \"key_ops\" without \"verify\"";
  }
  return "";
}

void SelectKey(MaaTokenResult& result, TokenState& state, TokenChecks& checks) {
  const std::string& kid = state.jws->header["kid"].get_ref<const std::string&>();
  state.jwk = state.jwks->FindKid(kid);
  if (state.jwk == nullptr) {
    std::string kids;
    for (const auto& k : state.jwks->keys) kids.append(kids.empty() ? "\"" : ", \"").append(k.kid).append("\"");
    return checks.Fail(kTokenKid,
                       "no JWKS entry has kid \"" + kid + "\" (the JWKS has " + kids + "); no other key is tried");
  }
  if (const std::string restriction = DeclaredRestriction(state.jwk->json); !restriction.empty()) {
    const std::string detail = "the JWKS entry with kid \"" + kid + "\" " + restriction;
    state.jwk = nullptr;
    return checks.Fail(kTokenKid, detail);
  }
  SelectedKey key;
  key.kid = state.jwk->kid;
  key.x5c_der = state.jwk->x5c_der;
  key.certificate = state.jwk->certificate;
  key.public_key = state.jwk->key;
  key.bits = state.jwk->bits;
  key.jwk = state.jwk->json;
  result.key = std::move(key);
  const std::string source = !state.jwk->x5c_der.empty() ? (state.jwk->has_n_e ? "x5c[0] (= n/e)" : "x5c[0]") : "n/e";
  checks.Pass(kTokenKid, "kid \"" + kid + "\", key from " + source + IgnoredKeyMembers(state.jws->header));
}

void CheckKeySize(TokenState& state, TokenChecks& checks) {
  if (state.jwk == nullptr) return checks.Skip(kSigningKeySize, "no signing key was selected");
  if (!state.jwk->key) return checks.Fail(kSigningKeySize, "the JWKS entry is unusable: " + state.jwk->unusable_reason);
  const int bits = state.jwk->bits;
  const std::string what = "RSA-" + std::to_string(bits);
  if (bits < kMinKeyBits) return checks.Fail(kSigningKeySize, what + " is below the 1024-bit minimum");
  state.key_usable = true;
  if (bits < kRecommendedKeyBits) {
    return checks.Warn(kSigningKeySize, what + ": accepted (MAA signed with 1024-bit keys in 2021), below 2048");
  }
  checks.Pass(kSigningKeySize, what);
}

}  // namespace

void CheckJwksAndKid(const IssuerKeys& keys, MaaTokenResult& result, TokenState& state, TokenChecks& checks) {
  // The set was parsed before the token (perhaps once for many tokens); its
  // verdict is reported here, where a JWKS parsed per token reported it.
  if (keys.usable()) {
    state.jwks = &keys.jwks();
    checks.Pass(kJwksKey, std::to_string(state.jwks->keys.size()) + " keys, kids unique, x5c and n/e consistent");
  } else {
    checks.FailTrust(kJwksKey, keys.error());
  }
  if (!state.header_ok) {
    checks.Skip(kTokenKid, "the token header is unusable");
  } else if (state.jwks == nullptr) {
    checks.Skip(kTokenKid, "the JWKS is unusable");
  } else {
    SelectKey(result, state, checks);
  }
  CheckKeySize(state, checks);
}

void CheckSignature(const TokenState& state, TokenChecks& checks) {
  if (!state.header_ok) return checks.Skip(kTokenSignature, "the token header is unusable");
  const std::string& alg = state.jws->header["alg"].get_ref<const std::string&>();
  if (alg != "RS256")
    return checks.Skip(kTokenSignature, "alg is not RS256: nothing is verified with another algorithm");
  if (!state.key_usable) return checks.Skip(kTokenSignature, "no usable signing key");
  std::string why;
  // The modulus was read when the set was parsed, once for every token.
  if (jose::VerifyRs256(state.jwk->key.get(), state.jwk->modulus.get(), state.jws->signing_input, state.jws->signature,
                        &why)) {
    return checks.Pass(kTokenSignature, "RS256 over header.payload verifies with kid \"" + state.jwk->kid + "\"");
  }
  checks.Fail(kTokenSignature, why);
}

}  // namespace keyattest::maa
