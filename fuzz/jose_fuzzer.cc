// Fuzz target: the JOSE parsers and the MAA token verifier (docs/maa.md).
// The input is split at its first NUL byte: before it a token, after it a
// JWKS (no NUL: the whole input is both).
//
// Properties:
//  * ParseCompactJws throws only JwsError; an accepted JWS re-encodes to the
//    same text (each segment is the canonical base64url of its bytes);
//  * ParseJwks throws only JwksError; every entry it keeps has a kid, and
//    kids are unique;
//  * VerifyMaaToken (issuer and time fixed) throws nothing; its report has
//    checks, and "verified" means no check failed or was skipped and the
//    claims are an object; a report is never both verified and unreadable;
//  * the same token verified twice with one maa::IssuerKeys made from the
//    JWKS gives, each time, the checks and verdict of the text overload (no
//    state carried between verifications, one implementation).
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "fuzz/fuzz_common.h"
#include "keyattest/io/base64.h"
#include "keyattest/jose/jwks.h"
#include "keyattest/jose/jws.h"
#include "keyattest/maa/maa_token.h"

namespace keyattest::fuzz {
namespace {

void FuzzJws(std::string_view text) {
  jose::CompactJws jws;
  try {
    jws = jose::ParseCompactJws(text);
  } catch (const jose::JwsError&) {
    return;
  } catch (...) {
    UnexpectedException("ParseCompactJws");
  }
  const std::string again = jws.signing_input + "." + EncodeBase64Url(jws.signature);
  KEYATTEST_FUZZ_CHECK(again == text, "accepted JWS does not re-encode to its text");
  KEYATTEST_FUZZ_CHECK(jws.header.is_object() && jws.payload.is_object(), "header or payload not an object");
}

void FuzzJwks(std::string_view text) {
  jose::Jwks jwks;
  try {
    jwks = jose::ParseJwks(text);
  } catch (const jose::JwksError&) {
    return;
  } catch (...) {
    UnexpectedException("ParseJwks");
  }
  std::set<std::string> kids;
  for (const auto& k : jwks.keys) {
    KEYATTEST_FUZZ_CHECK(!k.kid.empty(), "entry without kid kept");
    KEYATTEST_FUZZ_CHECK(kids.insert(k.kid).second, "duplicate kid kept");
    KEYATTEST_FUZZ_CHECK(k.key != nullptr || !k.unusable_reason.empty(), "keyless entry without a reason");
    KEYATTEST_FUZZ_CHECK((k.key == nullptr) == (k.modulus == nullptr), "modulus not read with the key");
  }
}

bool SameChecks(const Report& a, const Report& b) {
  if (a.checks.size() != b.checks.size() || a.exit_code() != b.exit_code()) return false;
  for (std::size_t i = 0; i < a.checks.size(); ++i) {
    const CheckResult& x = a.checks[i];
    const CheckResult& y = b.checks[i];
    if (x.id.view() != y.id.view() || x.status != y.status || x.detail != y.detail) return false;
  }
  return true;
}

void FuzzKeySet(std::string_view token, std::string_view jwks, const maa::MaaTokenOptions& options,
                const Report& text_report, const maa::MaaTokenResult& text_result) {
  try {
    const maa::IssuerKeys keys(jwks);
    for (int round = 0; round < 2; ++round) {
      Report report;
      const maa::MaaTokenResult result = maa::VerifyMaaToken(token, keys, options, report);
      KEYATTEST_FUZZ_CHECK(SameChecks(report, text_report), "the key set's report differs from the text's");
      KEYATTEST_FUZZ_CHECK(result.verified == text_result.verified && result.claims == text_result.claims,
                           "the key set's verdict differs from the text's");
    }
  } catch (...) {
    UnexpectedException("VerifyMaaToken with IssuerKeys");
  }
}

void FuzzToken(std::string_view token, std::string_view jwks) {
  maa::MaaTokenOptions options;
  options.issuer = "https://sharedweu.weu.attest.azure.net";
  options.time = CheckTime{1671843618, 60, false};  // 2022-12-24T00:00:18Z
  Report report;
  maa::MaaTokenResult result;
  try {
    result = maa::VerifyMaaToken(token, jwks, options, report);
  } catch (...) {
    UnexpectedException("VerifyMaaToken");
  }
  KEYATTEST_FUZZ_CHECK(!report.checks.empty(), "no checks");
  FuzzKeySet(token, jwks, options, report, result);
  if (!result.verified) {
    KEYATTEST_FUZZ_CHECK(result.claims.is_null(), "claims handed out for an unverified token");
    return;
  }
  KEYATTEST_FUZZ_CHECK(result.claims.is_object(), "verified without claims");
  KEYATTEST_FUZZ_CHECK(report.verdict() == Verdict::kVerified, "verified token, unverified report");
  for (const auto& c : report.checks) {
    KEYATTEST_FUZZ_CHECK(c.status == CheckStatus::kPass || c.status == CheckStatus::kWarn,
                         "verified with " + std::string(c.id.view()));
  }
}

}  // namespace
}  // namespace keyattest::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t nul = input.find('\0');
  const std::string_view token = input.substr(0, nul);
  const std::string_view jwks = nul == std::string_view::npos ? input : input.substr(nul + 1);
  keyattest::fuzz::FuzzJws(token);
  keyattest::fuzz::FuzzJwks(jwks);
  keyattest::fuzz::FuzzToken(token, jwks);
  return 0;
}
