// Release-policy lint (docs/skr.md "Lint"): the mistakes that make a key
// never release, or release to the wrong TEE, found before any token.
#include "keyattest/skr/policy_lint.h"

#include <algorithm>
#include <cctype>

#include "keyattest/io/base64.h"
#include "keyattest/skr/policy_evaluation.h"
#include "keyattest/skr/skr_checks.h"

namespace keyattest::skr {

namespace {

using Json = nlohmann::ordered_json;

constexpr std::string_view kSnpPrefix = "x-ms-sevsnpvm-";
constexpr std::string_view kTeePrefix = "x-ms-isolation-tee.";

bool StartsWith(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }
bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}
/// The claim name without the CVM token's x-ms-isolation-tee. prefix.
std::string_view LeafName(std::string_view claim) {
  return StartsWith(claim, kTeePrefix) ? claim.substr(kTeePrefix.size()) : claim;
}
bool ExpectsText(const Condition& c, std::string_view text) {
  const auto shown = ComparableText(c.expected);
  return c.op == Operator::kEquals && shown && *shown == text;
}
std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : "; ") + item;
  return out;
}

/// The conditions that must hold for a statement to hold: members reached
/// through allOf groups only.
void RequiredConditions(const Group& group, std::vector<const Condition*>& out) {
  if (group.kind != GroupKind::kAllOf) return;
  for (const auto& member : group.members) {
    if (member.condition) {
      out.push_back(&*member.condition);
    } else {
      RequiredConditions(*member.group, out);
    }
  }
}

struct StatementShape {
  bool snp = false;       // names SEV-SNP claims or attestation type
  bool sgx = false;       // names SGX claims or attestation type
  bool cvm = false;       // names CVM-token claims (nested tee, azurevm)
  bool flat_snp = false;  // x-ms-sevsnpvm-* at the top level
};

StatementShape ShapeOf(const ReleasePolicy& policy, const AuthorityStatement& statement) {
  StatementShape shape;
  for (const auto& ref : AllConditions(policy)) {
    if (ref.statement != &statement) continue;
    const Condition& c = *ref.condition;
    const std::string_view leaf = LeafName(c.claim);
    shape.snp =
        shape.snp || StartsWith(leaf, kSnpPrefix) || (leaf == "x-ms-attestation-type" && ExpectsText(c, "sevsnpvm"));
    shape.sgx =
        shape.sgx || StartsWith(leaf, "x-ms-sgx-") || (leaf == "x-ms-attestation-type" && ExpectsText(c, "sgx"));
    shape.cvm = shape.cvm || StartsWith(c.claim, kTeePrefix) || StartsWith(c.claim, "x-ms-azurevm-") ||
                (c.claim == "x-ms-attestation-type" && ExpectsText(c, "azurevm")) ||
                ExpectsText(c, "azure-compliant-cvm");
    shape.flat_snp = shape.flat_snp || StartsWith(c.claim, kSnpPrefix);
  }
  return shape;
}

void LintAuthority(const ReleasePolicy& policy, Report& report) {
  std::vector<std::string> problems;
  for (std::size_t i = 0; i < policy.statements.size(); ++i) {
    const std::string& authority = policy.statements[i].authority;
    const std::string where = "statement " + std::to_string(i + 1) + " '" + authority + "'";
    if (!StartsWith(authority, "https://")) {
      problems.push_back(where + " does not start with https:// (MAA's iss always does, so it never matches)");
      continue;
    }
    const std::string_view host = std::string_view(authority).substr(8);
    if (host.empty() || host.find_first_of("/?#@ :") != std::string_view::npos) {
      problems.push_back(where +
                         " is not https://<host> alone (MAA's iss has no path, port or trailing '/', "
                         "and Key Vault compares it exactly)");
    }
  }
  if (problems.empty()) {
    report.Pass(kLintAuthority, "every authority is https://<host>");
  } else {
    report.Warn(kLintAuthority, Join(problems));
  }
}

void LintSnpShapes(const ReleasePolicy& policy, const Json* claims, Report& report) {
  const Json* type = claims != nullptr ? LookupClaim(*claims, "x-ms-attestation-type") : nullptr;
  const bool cvm_token = type != nullptr && type->is_string() && type->get<std::string>() == "azurevm";
  std::vector<std::string> claim_paths, vmpl, debuggable;
  bool any_snp = false, any_tee = false;
  for (std::size_t i = 0; i < policy.statements.size(); ++i) {
    const AuthorityStatement& statement = policy.statements[i];
    const StatementShape shape = ShapeOf(policy, statement);
    const std::string where = "statement " + std::to_string(i + 1);
    if (shape.flat_snp && (shape.cvm || cvm_token)) {
      claim_paths.push_back(where + " has flat x-ms-sevsnpvm-* claims, but " +
                            (cvm_token ? std::string("this token is a CVM token (x-ms-attestation-type azurevm)")
                                       : std::string("it is meant for CVM tokens")) +
                            ", which nest them under x-ms-isolation-tee: those conditions never hold");
    }
    any_snp = any_snp || shape.snp;
    any_tee = any_tee || shape.snp || shape.sgx;
    std::vector<const Condition*> required;
    RequiredConditions(statement.group, required);
    auto find = [&](std::string_view suffix) -> const Condition* {
      for (const Condition* c : required) {
        if (EndsWith(c->claim, suffix)) return c;
      }
      return nullptr;
    };
    if (shape.snp && find("x-ms-sevsnpvm-vmpl") == nullptr) {
      vmpl.push_back(where +
                     " has no required x-ms-sevsnpvm-vmpl condition (the sidecar pins \"0\": a guest "
                     "at a less privileged VMPL could otherwise obtain the key)");
    }
    if (shape.snp || shape.sgx) {
      const Condition* c = find("-is-debuggable");
      if (c == nullptr) {
        debuggable.push_back(where + " does not require is-debuggable to be false");
      } else if (!ExpectsText(*c, "false")) {
        debuggable.push_back(where + " has '" + c->claim + "' " + OperatorName(c->op) + " " + c->expected.dump() +
                             ", not equals false: a debuggable TEE's memory is open to the host");
      }
    }
  }
  if (claim_paths.empty()) {
    report.Pass(kLintFlatSnpClaims, "no flat x-ms-sevsnpvm-* claims where the token nests them");
  } else {
    report.Warn(kLintFlatSnpClaims, Join(claim_paths));
  }
  if (!any_snp) {
    report.Skip(kLintVmpl, "no SEV-SNP statement");
  } else if (vmpl.empty()) {
    report.Pass(kLintVmpl, "every SEV-SNP statement requires x-ms-sevsnpvm-vmpl");
  } else {
    report.Warn(kLintVmpl, Join(vmpl));
  }
  if (!any_tee) {
    report.Skip(kLintDebuggable, "no SEV-SNP or SGX statement");
  } else if (debuggable.empty()) {
    report.Pass(kLintDebuggable, "every SEV-SNP/SGX statement requires is-debuggable equals false");
  } else {
    report.Warn(kLintDebuggable, Join(debuggable));
  }
}

bool IsPlaceholder(const std::string& text) {
  return text.size() >= 2 && text.find('<') != std::string::npos && text.find('>') != std::string::npos;
}

void LintOperatorsAndPlaceholders(const ReleasePolicy& policy, Report& report) {
  std::vector<std::string> operators, placeholders;
  for (const auto& ref : AllConditions(policy)) {
    const Condition& c = *ref.condition;
    if (c.op != Operator::kEquals) {
      operators.push_back(ref.position + " " + c.claim + " " + OperatorName(c.op));
    }
    if (c.expected.is_string() && IsPlaceholder(c.expected.get<std::string>())) {
      placeholders.push_back(ref.position + " " + c.claim + " = '" + c.expected.get<std::string>() + "'");
    }
  }
  for (std::size_t i = 0; i < policy.statements.size(); ++i) {
    if (IsPlaceholder(policy.statements[i].authority)) {
      placeholders.push_back("statement " + std::to_string(i + 1) + " authority '" + policy.statements[i].authority +
                             "'");
    }
  }
  if (operators.empty()) {
    report.Pass(kLintOperators, "only equals");
  } else {
    report.Warn(kLintOperators, "Key Vault documents only equals; evaluated here anyway: " + Join(operators));
  }
  if (placeholders.empty()) {
    report.Pass(kLintPlaceholders, "no <placeholder> values");
  } else {
    report.Warn(kLintPlaceholders, "template values never match a token: " + Join(placeholders));
  }
}

}  // namespace

void LintPolicy(const ReleasePolicy& policy, const Json* claims, Report& report) {
  LintAuthority(policy, report);
  LintSnpShapes(policy, claims, report);
  LintOperatorsAndPlaceholders(policy, report);
}

Bytes DecodeCcePolicy(std::string_view base64_text) {
  while (!base64_text.empty() && (base64_text.back() == '\n' || base64_text.back() == '\r')) {
    base64_text.remove_suffix(1);
  }
  if (base64_text.find_first_of("-_") != std::string_view::npos) {
    throw PolicyFormatError("ccePolicy is standard base64; '-' or '_' found");
  }
  std::string error;
  auto decoded = DecodeBase64Any(base64_text, &error);
  if (!decoded) throw PolicyFormatError("ccePolicy is not base64: " + error);
  return std::move(*decoded);
}

void CheckHostData(const ReleasePolicy& policy, ByteSpan security_policy, const std::string& source, Report& report) {
  const std::string digest = HexEncode(Sha256(security_policy));
  std::vector<std::string> seen;
  for (const auto& ref : AllConditions(policy)) {
    const Condition& c = *ref.condition;
    if (LeafName(c.claim) != "x-ms-sevsnpvm-hostdata" || c.op != Operator::kEquals) continue;
    if (!c.expected.is_string()) {
      seen.push_back(ref.position + " is " + c.expected.dump() + ", not a hex string");
      continue;
    }
    const std::string& value = c.expected.get_ref<const std::string&>();
    if (value == digest) {
      std::string detail = "condition " + ref.position;
      detail += " " + c.claim;
      detail += " = SHA-256 of " + source;
      detail += " (" + digest + ")";
      report.Pass(kPolicyHostData, detail);
      return;
    }
    std::string lower = value;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    seen.push_back(ref.position + " '" + value + "'" +
                   (lower == digest ? " (the digest in upper case: the token's hex is lower case, never equal)" : ""));
  }
  if (seen.empty()) {
    report.Fail(kPolicyHostData, "no x-ms-sevsnpvm-hostdata equals condition; SHA-256 of " + source + " is " + digest);
    return;
  }
  report.Fail(kPolicyHostData, "SHA-256 of " + source + " is " + digest + "; the policy has " + Join(seen));
}

}  // namespace keyattest::skr
