// A verifier's facts as the renderers see them: each verifier's facts render
// themselves (JSON members, the text body) and say how the text report
// frames them, so the renderers know no verifier (docs/architecture.md
// "Reports and facts").
#pragma once

#include <nlohmann/json.hpp>

#include <ostream>
#include <string>

namespace keyattest {

struct TextOptions;

/// The parts of the text report's frame that differ between verifiers. The
/// defaults are the generic layout.
struct TextFrame {
  /// "== SOURCE (KIND) ==" and the batch line's " (KIND)"; false: the kind
  /// is not named (the default command's reports).
  bool names_kind = true;
  /// What the time in the checks heading is: "Checks (<label> <time>):".
  std::string checked_at_label = "at";
  /// The checks heading even when there are no checks or no time.
  bool checks_heading_always = false;
  /// Non-empty: an unreadable input prints only "error: <reason>" and
  /// "Result: UNREADABLE - <this> (exit 3)".
  std::string unreadable_summary;
  /// false: every verdict but VERIFIED prints "Result: FAILED" with the
  /// first failed check (the key-attestation Result line).
  bool distinct_error_results = true;
};

class ReportFacts {
 public:
  virtual ~ReportFacts() = default;

  /// Members of the file's JSON object placed before "checks" (after
  /// "checked_at"); none by default.
  virtual void AddJsonMembersBeforeChecks(nlohmann::ordered_json& file) const;
  /// Members of the file's JSON object placed after "checks".
  virtual void AddJsonMembers(nlohmann::ordered_json& file) const = 0;
  /// The text between the heading and the checks (not called with --quiet);
  /// everything from the input must be escaped for the terminal.
  virtual void RenderText(const TextOptions& options, std::ostream& out) const = 0;
  virtual TextFrame Frame() const;
  /// Whom the text Result line is about, escaped ("for key 'k' version
  /// 'v'"); empty: nobody named.
  virtual std::string Subject() const;
  /// The same for a batch line ("key 'k' version 'v'"); empty: nothing.
  virtual std::string BatchSubject() const;
};

/// The default facts: a JSON tree (Report::facts, which most verifiers fill),
/// printed as the "facts" member and as an indented text tree.
class TreeFacts final : public ReportFacts {
 public:
  /// `facts` must outlive this view.
  explicit TreeFacts(const nlohmann::ordered_json& facts) : facts_(facts) {}
  void AddJsonMembers(nlohmann::ordered_json& file) const override;
  void RenderText(const TextOptions& options, std::ostream& out) const override;

 private:
  const nlohmann::ordered_json& facts_;
};

}  // namespace keyattest
