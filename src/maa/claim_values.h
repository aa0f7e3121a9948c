// Internal to src/maa: claim paths and the text form of claim values.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

#include "keyattest/maa/maa_token.h"

namespace keyattest::maa {

/// The text a scalar claim compares as: strings as they are, true/false,
/// integers in decimal. nullopt for floats, null, objects and arrays (which
/// never equal anything).
std::optional<std::string> ScalarText(const nlohmann::ordered_json& value);

/// Walks `requirement.path` through objects only and compares the scalar's
/// text with `requirement.value`. `detail` says what was found.
bool ClaimEquals(const nlohmann::ordered_json& claims, const ClaimRequirement& requirement, std::string* detail);

}  // namespace keyattest::maa
