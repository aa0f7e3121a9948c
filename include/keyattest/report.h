// The verification report: an ordered list of named checks plus the parsed
// facts. Text and JSON output are renderings of this one structure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace keyattest {

enum class CheckStatus { kPass, kFail, kSkip, kWarn };
const char* CheckStatusName(CheckStatus status);  // "pass", "fail", ...

struct CheckResult {
  std::string id;     // stable, e.g. "chain.manufacturer"
  std::string title;  // short human title
  CheckStatus status = CheckStatus::kFail;
  std::string detail;  // what was seen, or exactly what was wrong
};

struct CertificateFacts {
  std::string role;  // "Marvell card", "Marvell partition", "owner root", ...
  std::string subject;
  std::string issuer;
  std::string serial;
  std::string not_before;
  std::string not_after;
  std::string sha256;       // certificate fingerprint
  std::string spki_sha256;  // public-key pin
  std::string key;          // "RSA-2048"
  std::string signature_algorithm;
  long version = 0;
};

struct AttributeFacts {
  std::uint32_t type = 0;
  std::string name;
  std::string raw_hex;
  std::string value;
  std::string meaning;
};

struct ObjectFacts {
  std::uint32_t handle = 0;
  std::string object_class;
  std::string key_type;
  std::vector<AttributeFacts> attributes;
};

struct BlobFacts {
  std::string field;   // "privateKeyAttestation" / "publicKeyAttestation"
  std::string layout;  // "A" / "B", empty if not parsed
  std::size_t length = 0;
  std::size_t signature_length = 0;
  std::string id;        // signed OBJ_ATTR_ID
  std::string key_name;  // from the ID /keys/<name>/<version>
  std::string key_version;
  std::vector<ObjectFacts> objects;
};

/// The attested key, as the report names it. Name and version come from the
/// signed ID; kid from the expected key (unsigned).
struct KeyFacts {
  std::string kid;
  std::string name;
  std::string version;
  std::string type;   // "RSA", "EC", "AES", ...
  int size_bits = 0;  // RSA modulus or symmetric key size; 0 when unknown
  std::string curve;  // EC only
};

enum class Verdict { kVerified, kFailed, kUnreadable };

/// Exit codes are a contract (README "Exit codes").
enum class ExitCode : int { kVerified = 0, kVerificationFailed = 1, kUsage = 2, kUnreadable = 3 };

struct Report {
  std::string source;                      // path as given, "-" for stdin
  std::optional<std::string> input_error;  // set => unreadable (exit 3)
  std::string checked_at;                  // RFC 3339 time used for validity
  std::vector<CheckResult> checks;
  std::vector<CertificateFacts> certificates;
  std::vector<BlobFacts> blobs;
  std::optional<KeyFacts> key;
  std::string owner_chain_style;  // "azure", "google", or "" when undecided

  void Add(std::string id, std::string title, CheckStatus status, std::string detail);
  /// Verified only if readable, at least one check ran, and none failed
  /// (warnings do not fail; a report with no checks fails closed).
  Verdict verdict() const;
  ExitCode exit_code() const;
  const CheckResult* Find(const std::string& id) const;
};

/// The worst exit code of several reports (3 over 1 over 0).
ExitCode WorstExitCode(ExitCode a, ExitCode b);

}  // namespace keyattest
