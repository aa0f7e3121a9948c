// The forms a release policy arrives in (docs/skr.md "Policy inputs"): the
// policy JSON, the key's release_policy object, a key bundle, and the SKR
// sidecar's importkeyconfig.json.
#include <string>

#include "keyattest/io/base64.h"
#include "keyattest/io/json_reader.h"
#include "keyattest/skr/release_policy.h"

namespace keyattest::skr {

namespace {

using Json = nlohmann::ordered_json;

Json ParseJsonText(std::string_view text, const std::string& what) {
  try {
    return Json(ParseStrictJson(text, kMaxPolicyJsonDepth));
  } catch (const JsonSyntaxError& e) {
    throw PolicyFormatError(what + " is not valid JSON: " + e.what());
  }
}

/// The sidecar's importkey tool makes one statement per inner claims list,
/// each under "https://" + key.authority.endpoint, version 1.0.0.
Json PolicyFromImportKeyConfig(const Json& config) {
  const Json* endpoint = nullptr;
  if (config.contains("key") && config["key"].is_object() && config["key"].contains("authority") &&
      config["key"]["authority"].is_object() && config["key"]["authority"].contains("endpoint")) {
    endpoint = &config["key"]["authority"]["endpoint"];
  }
  if (endpoint == nullptr || !endpoint->is_string() || endpoint->get_ref<const std::string&>().empty()) {
    throw PolicyFormatError("importkeyconfig: key.authority.endpoint must be a non-empty string");
  }
  const Json& claims = config["claims"];
  if (!claims.is_array()) throw PolicyFormatError("importkeyconfig: \"claims\" must be an array of arrays");
  Json any_of = Json::array();
  for (std::size_t i = 0; i < claims.size(); ++i) {
    if (!claims[i].is_array()) {
      throw PolicyFormatError("importkeyconfig: claims[" + std::to_string(i) + "] must be an array of conditions");
    }
    Json statement = Json::object();
    statement["authority"] = "https://" + endpoint->get<std::string>();
    statement["allOf"] = claims[i];
    any_of.push_back(std::move(statement));
  }
  Json policy = Json::object();
  policy["version"] = "1.0.0";
  policy["anyOf"] = std::move(any_of);
  return policy;
}

}  // namespace

const char* PolicyInputFormName(PolicyInputForm form) {
  switch (form) {
    case PolicyInputForm::kPolicy:
      return "release policy JSON";
    case PolicyInputForm::kReleasePolicyObject:
      return "release_policy object (base64url data)";
    case PolicyInputForm::kKeyBundle:
      return "key bundle (its release_policy)";
    case PolicyInputForm::kImportKeyConfig:
      return "SKR sidecar importkeyconfig.json (claims under key.authority.endpoint)";
  }
  return "release policy JSON";
}

Json DecodeReleasePolicyData(const Json& release_policy) {
  if (!release_policy.is_object()) throw PolicyFormatError("release_policy must be an object");
  for (const auto& [name, value] : release_policy.items()) {
    if (name != "data" && name != "contentType" && name != "immutable") {
      throw PolicyFormatError("release_policy: unknown member \"" + name + "\"");
    }
  }
  if (!release_policy.contains("data") || !release_policy["data"].is_string()) {
    throw PolicyFormatError("release_policy: \"data\" (base64url policy JSON) must be a string");
  }
  std::string error;
  const auto decoded = DecodeBase64Any(release_policy["data"].get_ref<const std::string&>(), &error);
  if (!decoded) throw PolicyFormatError("release_policy: \"data\" is not base64url: " + error);
  return ParseJsonText(std::string_view(reinterpret_cast<const char*>(decoded->data()), decoded->size()),
                       "release_policy data");
}

PolicyInput LoadPolicyInput(std::string_view text) {
  const Json doc = ParseJsonText(text, "the policy input");
  if (!doc.is_object()) throw PolicyFormatError("the policy input must be a JSON object");
  PolicyInput input;
  const Json* release_policy = nullptr;
  if (doc.contains("claims")) {
    input.form = PolicyInputForm::kImportKeyConfig;
    input.policy = PolicyFromImportKeyConfig(doc);
    return input;
  }
  if (doc.contains("release_policy")) {
    input.form = PolicyInputForm::kKeyBundle;
    release_policy = &doc["release_policy"];
  } else if (doc.contains("data")) {
    input.form = PolicyInputForm::kReleasePolicyObject;
    release_policy = &doc;
  } else {
    input.policy = doc;
    return input;
  }
  input.policy = DecodeReleasePolicyData(*release_policy);
  if (release_policy->contains("contentType")) {
    const Json& type = (*release_policy)["contentType"];
    if (!type.is_string()) throw PolicyFormatError("release_policy: \"contentType\" must be a string");
    input.content_type = type.get<std::string>();
  }
  if (release_policy->contains("immutable")) {
    const Json& immutable = (*release_policy)["immutable"];
    if (!immutable.is_boolean()) throw PolicyFormatError("release_policy: \"immutable\" must be a boolean");
    input.immutable = immutable.get<bool>();
  }
  return input;
}

}  // namespace keyattest::skr
