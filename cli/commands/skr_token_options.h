// The --token/--jwks/--issuer options both Secure Key Release commands take
// (docs/skr.md section 5): declared once here, read at the edge.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "cli/command.h"
#include "keyattest/core/errors.h"
#include "keyattest/io/input_file.h"
#include "keyattest/skr/release_policy_verifier.h"

namespace keyattest::cli {

struct SkrTokenOptions {
  std::optional<std::string> token;
  std::optional<std::string> jwks;
  std::optional<std::string> issuer;

  void Declare(CLI::App& app) {
    auto* t = AddOptionalFileOption(app, "--token", token,
                                    "An MAA token (compact JWT or {\"token\": ...}), verified as the maa\n"
                                    "command verifies it; the policy is evaluated on its claims");
    auto* j = AddOptionalFileOption(app, "--jwks", jwks, "The token issuer's keys: GET <issuer>/certs, saved");
    auto* i =
        app.add_option("--issuer", issuer, "The token's expected iss, exact (needed with --token)")
            ->type_name("URL")
            ->check([](const std::string& v) { return v.empty() ? std::string("an empty value is not allowed") : ""; });
    t->needs(j)->needs(i);
    j->needs(t);
    i->needs(t);
  }

  /// The token to verify, or nullopt without --token.
  std::optional<skr::TokenInput> Read(const CheckTime& time) const {
    constexpr std::size_t kMaxTokenBytes = std::size_t{1024} * 1024;
    if (!token) return std::nullopt;
    skr::TokenInput input;
    input.token_text = ReadInputFile(*token, kMaxTokenBytes, "an MAA token");
    input.jwks_text = ReadInputFile(*jwks, kMaxTokenBytes, "a JWKS");
    input.issuer = *issuer;
    input.source = *token;
    input.time = time;
    return input;
  }
};

}  // namespace keyattest::cli
