// release-response checks over the decoded JWS (docs/skr.md
// "release-response"): header shape and algorithm, thumbprints, TLS chain,
// host name, the requested key, and with a token the embedded policy and the
// wrapping key.
#include "keyattest/skr/release_response.h"

#include <algorithm>
#include <cctype>

#include "keyattest/io/base64.h"
#include "keyattest/io/json_reader.h"
#include "keyattest/jose/jws.h"
#include "keyattest/jose/rs256.h"
#include "keyattest/skr/release_policy.h"
#include "keyattest/skr/release_policy_verifier.h"
#include "keyattest/skr/skr_checks.h"
#include "keyattest/skr/vault_chain.h"
#include "keyattest/x509/certificate.h"
#include "keyattest/x509/certificate_facts.h"

namespace keyattest::skr {

namespace {

using Json = nlohmann::ordered_json;

/// The members of each certificate in facts.x5c (docs/skr.md).
constexpr CertificateField kX5cFields[] = {CertificateField::kSubject,   CertificateField::kIssuer,
                                           CertificateField::kNotBefore, CertificateField::kNotAfter,
                                           CertificateField::kKey,       CertificateField::kSha256};

const Json* Member(const Json& object, const char* name) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(name);
  return it == object.end() ? nullptr : &*it;
}

const Json* Path(const Json& root, std::initializer_list<const char*> names) {
  const Json* node = &root;
  for (const char* name : names) {
    node = Member(*node, name);
    if (node == nullptr) return nullptr;
  }
  return node;
}

std::string LowerAscii(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

bool IsSegment(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isalnum(c) != 0 || c == '-'; });
}

/// The payload members every check relies on: request.kid and
/// response.key.key.kid strings.
void RequirePayloadShape(const Json& payload) {
  if (!payload.is_object()) throw ResponseFormatError("the JWS payload is not a JSON object");
  const Json* request_kid = Path(payload, {"request", "kid"});
  if (request_kid == nullptr || !request_kid->is_string()) {
    throw ResponseFormatError("the payload has no request.kid string");
  }
  const Json* key = Path(payload, {"response", "key", "key"});
  if (key == nullptr || !key->is_object()) throw ResponseFormatError("the payload has no response.key.key object");
  const Json* kid = Member(*key, "kid");
  if (kid == nullptr || !kid->is_string()) throw ResponseFormatError("the released key has no kid string");
}

void CheckAlg(const Json& header, Report& report) {
  const Json* alg = Member(header, "alg");
  if (alg == nullptr || !alg->is_string() || alg->get<std::string>() != "RS256") {
    report.Fail(kResponseAlg, "alg " + (alg == nullptr ? std::string("missing") : alg->dump()) +
                                  ": only RS256 is accepted (the header does not choose the algorithm)");
    return;
  }
  if (Member(header, "crit") != nullptr) {
    report.Fail(kResponseAlg, "a crit header names extensions nothing here understands");
    return;
  }
  report.Pass(kResponseAlg, "RS256");
}

void CheckRequestKid(const Json& payload, const std::string& vault, Report& report) {
  const std::string request_kid = Path(payload, {"request", "kid"})->get<std::string>();
  const std::string released_kid = Path(payload, {"response", "key", "key", "kid"})->get<std::string>();
  const auto request = ParseKeyId(request_kid);
  const auto released = ParseKeyId(released_kid);
  if (!request) {
    report.Fail(kResponseRequestKid, "request.kid '" + request_kid + "' is not https://<host>/keys/<name>[/<version>]");
    return;
  }
  if (LowerAscii(request->host) != LowerAscii(vault)) {
    report.Fail(kResponseRequestKid, "request.kid '" + request_kid + "' is not on " + vault);
    return;
  }
  if (!released || released->version.empty()) {
    report.Fail(kResponseRequestKid,
                "the released key's kid '" + released_kid + "' is not https://<host>/keys/<name>/<version>");
    return;
  }
  if (LowerAscii(released->host) != LowerAscii(request->host) || released->name != request->name ||
      (!request->version.empty() && released->version != request->version)) {
    report.Fail(kResponseRequestKid,
                "the released key '" + released_kid + "' is not the requested key '" + request_kid + "'");
    return;
  }
  report.Pass(kResponseRequestKid, "key '" + released->name + "' version " + released->version + " on " + vault);
}

std::optional<Json> DecodeJsonB64(const Json* text) {
  if (text == nullptr || !text->is_string()) return std::nullopt;
  std::string error;
  const auto bytes = DecodeBase64Any(text->get_ref<const std::string&>(), &error);
  if (!bytes) return std::nullopt;
  try {
    return Json(ParseStrictJson(std::string_view(reinterpret_cast<const char*>(bytes->data()), bytes->size()), 16));
  } catch (const JsonSyntaxError&) {
    return std::nullopt;
  }
}

/// The key_hsm blob's header and sizes; the ciphertext itself is never shown.
Json KeyHsmFacts(const Json& key) {
  Json facts = Json::object();
  const auto blob = DecodeJsonB64(Member(key, "key_hsm"));
  if (!blob || !blob->is_object()) {
    facts["status"] = Member(key, "key_hsm") == nullptr ? "absent" : "not base64url JSON";
    return facts;
  }
  for (const char* name : {"schema_version", "generator"}) {
    if (const Json* v = Member(*blob, name); v != nullptr && v->is_string()) facts[name] = *v;
  }
  if (const Json* header = Member(*blob, "header"); header != nullptr && header->is_object()) {
    for (const char* name : {"kid", "alg", "enc"}) {
      if (const Json* v = Member(*header, name); v != nullptr) facts[name] = *v;
    }
  }
  if (const Json* ciphertext = Member(*blob, "ciphertext"); ciphertext != nullptr && ciphertext->is_string()) {
    std::string error;
    const auto bytes = DecodeBase64Any(ciphertext->get_ref<const std::string&>(), &error);
    facts["ciphertext"] = bytes ? std::to_string(bytes->size()) + " bytes (not shown)" : "not base64url (not shown)";
  }
  return facts;
}

Json ReleasedKeyFacts(const Json& payload) {
  const Json& key = *Path(payload, {"response", "key", "key"});
  Json facts = Json::object();
  for (const char* name : {"kid", "kty", "crv", "key_ops"}) {
    if (const Json* v = Member(key, name); v != nullptr) facts[name] = *v;
  }
  if (const Json* n = Member(key, "n"); n != nullptr && n->is_string()) {
    std::string error;
    if (const auto modulus = DecodeBase64Any(n->get_ref<const std::string&>(), &error)) {
      facts["modulus_bits"] = modulus->size() * 8;
    }
  }
  if (const Json* attributes = Path(payload, {"response", "key", "attributes"});
      attributes && attributes->is_object()) {
    Json shown = Json::object();
    for (const auto& [name, value] : attributes->items()) {
      const bool time = name == "created" || name == "updated" || name == "nbf" || name == "exp";
      shown[name] = time && value.is_number_integer() ? Json(FormatRfc3339(value.get<std::time_t>())) : value;
    }
    facts["attributes"] = std::move(shown);
  }
  if (const Json* tags = Path(payload, {"response", "key", "tags"}); tags && tags->is_object() && !tags->empty()) {
    facts["tags"] = *tags;
  }
  facts["key_hsm"] = KeyHsmFacts(key);
  return facts;
}

/// The embedded release policy: shown decoded, and with verified claims
/// evaluated (response.policy).
void ReleasePolicyStep(const Json& payload, const Json* claims, bool trusted, Report& report) {
  const Json* release_policy = Path(payload, {"response", "key", "release_policy"});
  Json& facts = report.facts["release_policy"];
  std::optional<ReleasePolicy> policy;
  std::string problem;
  if (release_policy == nullptr) {
    problem = "the response carries no release_policy";
  } else {
    try {
      const Json decoded = DecodeReleasePolicyData(*release_policy);
      facts["decoded"] = decoded;
      policy = ParseReleasePolicy(decoded);
    } catch (const std::runtime_error& e) {
      problem = std::string("the embedded release_policy is unusable: ") + e.what();
    }
  }
  if (!problem.empty()) facts["problem"] = problem;
  if (claims == nullptr) {
    report.Skip(kResponsePolicy, "no --token given");
    return;
  }
  if (!trusted) {
    report.Skip(kResponsePolicy, "the response's signature or chain did not verify");
    return;
  }
  if (!policy) {
    report.Fail(kResponsePolicy, problem);
    return;
  }
  Report scratch;
  const bool released = EvaluateIntoReport(*policy, *claims, kPolicyAuthority, kPolicyEvaluation, facts, scratch);
  std::string detail;
  for (const auto& c : scratch.checks) {
    if (c.status == CheckStatus::kFail) detail = c.detail;
  }
  if (released) {
    report.Pass(kResponsePolicy, "the embedded policy holds for the token");
  } else {
    report.Fail(kResponsePolicy, "the embedded policy does not hold for the token: " + detail);
  }
}

}  // namespace

std::string ExtractResponseJws(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  if (text.empty()) throw ResponseFormatError("the response is empty");
  if (text.front() != '{') return std::string(text);
  Json body;
  try {
    body = Json(ParseStrictJson(text, 8));
  } catch (const JsonSyntaxError& e) {
    throw ResponseFormatError(std::string("the response body is not valid JSON: ") + e.what());
  }
  if (!body.is_object() || body.size() != 1 || !body.contains("value") || !body["value"].is_string()) {
    throw ResponseFormatError("the response body must be exactly {\"value\": \"<compact JWS>\"}");
  }
  return body["value"].get<std::string>();
}

std::optional<KeyId> ParseKeyId(std::string_view kid) {
  constexpr std::string_view kScheme = "https://";
  if (kid.substr(0, kScheme.size()) != kScheme) return std::nullopt;
  kid.remove_prefix(kScheme.size());
  const std::size_t slash = kid.find('/');
  if (slash == std::string_view::npos || slash == 0) return std::nullopt;
  KeyId id;
  id.host = std::string(kid.substr(0, slash));
  std::string_view rest = kid.substr(slash);
  constexpr std::string_view kKeys = "/keys/";
  if (rest.substr(0, kKeys.size()) != kKeys) return std::nullopt;
  rest.remove_prefix(kKeys.size());
  const std::size_t next = rest.find('/');
  id.name = std::string(rest.substr(0, next));
  if (!IsSegment(id.name)) return std::nullopt;
  if (next != std::string_view::npos) {
    id.version = std::string(rest.substr(next + 1));
    if (!IsSegment(id.version)) return std::nullopt;
  }
  return id;
}

void CheckKek(const Json& payload, const Json& claims, Report& report) {
  const Json* key = Path(payload, {"response", "key", "key"});
  const auto blob = key != nullptr ? DecodeJsonB64(Member(*key, "key_hsm")) : std::nullopt;
  const Json* kid = blob ? Path(*blob, {"header", "kid"}) : nullptr;
  if (kid == nullptr || !kid->is_string()) {
    report.Fail(kResponseKek, "the released key has no key_hsm blob with a header kid");
    return;
  }
  const Json* keys = Path(claims, {"x-ms-runtime", "keys"});
  if (keys == nullptr || !keys->is_array()) {
    report.Fail(kResponseKek, "the token has no top-level x-ms-runtime.keys");
    return;
  }
  for (const Json& candidate : *keys) {
    const Json* candidate_kid = Member(candidate, "kid");
    if (candidate_kid == nullptr || *candidate_kid != *kid) continue;
    const Json* ops = Member(candidate, "key_ops");
    bool encrypt = ops != nullptr && ops->is_array() && std::find(ops->begin(), ops->end(), "encrypt") != ops->end();
    for (const char* use : {"use", "key_use"}) {
      const Json* value = Member(candidate, use);
      encrypt = encrypt || (value != nullptr && *value == "enc");
    }
    if (!encrypt) {
      report.Fail(kResponseKek, "x-ms-runtime key '" + kid->get<std::string>() + "' is not an encryption key");
      return;
    }
    report.Pass(kResponseKek, "wrapped to the token's x-ms-runtime key '" + kid->get<std::string>() + "'");
    return;
  }
  report.Fail(kResponseKek, "key_hsm kid " + kid->dump() + " is not a key of the token's top-level x-ms-runtime");
}

void VerifyDecodedResponse(const DecodedResponse& response, const ReleaseResponseOptions& options,
                           const ResponseSignatureCheck& check_signature, const Json* verified_claims, Report& report) {
  report.kind = kReleaseResponseKind;
  report.checked_at = options.check_time.Rfc3339();
  std::vector<Certificate> x5c;
  try {
    if (!response.header.is_object()) throw ResponseFormatError("the JWS header is not a JSON object");
    const Json* x5c_json = Member(response.header, "x5c");
    if (x5c_json == nullptr) throw ResponseFormatError("the header has no x5c");
    x5c = DecodeX5c(*x5c_json);
    RequirePayloadShape(response.payload);
  } catch (const ResponseFormatError& e) {
    report.FailMalformed(kResponseFormat, e.what());
    return;
  }
  report.Pass(kResponseFormat, "compact JWS, x5c of " + std::to_string(x5c.size()) + " certificate(s)");
  CheckAlg(response.header, report);
  const bool alg_ok = report.Find(kResponseAlg.id)->status == CheckStatus::kPass;
  if (alg_ok) {
    check_signature(x5c.front(), report);
  } else {
    report.Skip(kResponseSignature, "alg is not RS256");
  }
  CheckThumbprints(response.header, x5c.front(), report);
  const bool chain_ok = CheckVaultChain(x5c, options.roots, options.check_time, options.vault, report).chain_ok;
  CheckRequestKid(response.payload, options.vault, report);

  Json& facts = report.facts;
  facts["vault"] = options.vault;
  if (const Json* request = Member(response.payload, "request"); request != nullptr) facts["request"] = *request;
  facts["released_key"] = ReleasedKeyFacts(response.payload);
  Json header = Json::object();
  for (const auto& [name, value] : response.header.items()) {
    if (name != "x5c") header[name] = value;
  }
  facts["header"] = std::move(header);
  Json chain = Json::array();
  for (const auto& cert : x5c) chain.push_back(CertificateFactsToJson(DescribeCertificate(cert), kX5cFields));
  facts["x5c"] = std::move(chain);

  const CheckResult* signature = report.Find(kResponseSignature.id);
  const bool trusted = chain_ok && signature != nullptr && signature->status == CheckStatus::kPass;
  ReleasePolicyStep(response.payload, verified_claims, trusted, report);
  if (verified_claims == nullptr) {
    report.Skip(kResponseKek, "no --token given");
  } else if (!trusted) {
    report.Skip(kResponseKek, "the response's signature or chain did not verify");
  } else {
    CheckKek(response.payload, *verified_claims, report);
  }
  report.verified_meaning = "the response was signed by a TLS certificate of " + options.vault +
                            " chaining to the trusted root, for the requested key";
}

void CheckRs256Signature(const Certificate& leaf, std::string_view signing_input, ByteSpan signature, Report& report) {
  if (EVP_PKEY_get_base_id(leaf.public_key()) != EVP_PKEY_RSA) {
    report.Fail(kResponseSignature, "x5c[0] has a " + leaf.key_description() + " key; RS256 needs RSA");
    return;
  }
  std::string why;
  if (!jose::VerifyRs256(leaf.public_key(), signing_input, signature, &why)) {
    report.Fail(kResponseSignature, "RS256 signature does not verify with x5c[0]'s key: " + why);
    return;
  }
  report.Pass(kResponseSignature, "RS256 by x5c[0] (" + leaf.key_description() + ")");
}

Report VerifyReleaseResponse(const ReleaseResponseRequest& request) {
  Report report;
  report.kind = kReleaseResponseKind;
  report.source = request.response_source;
  report.checked_at = request.options.check_time.Rfc3339();
  std::optional<Json> claims;
  if (request.token != nullptr) claims = VerifyTokenInto(*request.token, report);
  jose::CompactJws jws;
  try {
    jws = jose::ParseCompactJws(ExtractResponseJws(request.response_text));
  } catch (const ResponseFormatError& e) {
    report.FailMalformed(kResponseFormat, e.what());
    return report;
  } catch (const jose::JwsError& e) {
    report.FailMalformed(kResponseFormat, e.what());
    return report;
  }
  const ResponseSignatureCheck check_signature = [&jws](const Certificate& leaf, Report& out) {
    CheckRs256Signature(leaf, jws.signing_input, jws.signature, out);
  };
  VerifyDecodedResponse(DecodedResponse{jws.header, jws.payload}, request.options, check_signature,
                        claims ? &*claims : nullptr, report);
  if (request.token != nullptr && !claims) {
    // The token's own checks carry the failure; nothing was compared with it.
    for (auto& c : report.checks) {
      if ((c.id == kResponsePolicy.id || c.id == kResponseKek.id) && c.status == CheckStatus::kSkip) {
        c.detail = "the token did not verify";
      }
    }
    if (report.verdict() == Verdict::kVerified) report.Fail(kResponsePolicy, "the token did not verify");
  }
  return report;
}

}  // namespace keyattest::skr
