#include "keyattest/report/json_renderer.h"

#include <sstream>

#include "keyattest/version.h"

namespace keyattest {

nlohmann::ordered_json ReportToJson(const Report& r) {
  nlohmann::json checks = nlohmann::json::array();
  for (const auto& c : r.checks) {
    checks.push_back(
        {{"id", c.id.view()}, {"title", c.title.view()}, {"status", CheckStatusName(c.status)}, {"detail", c.detail}});
  }
  nlohmann::json error = nullptr;
  if (r.internal_error) {
    error = "internal error: " + *r.internal_error;
  } else if (r.input_error) {
    error = *r.input_error;
  } else if (r.trust_error) {
    error = *r.trust_error;
  }
  const TreeFacts tree(r.facts);
  const ReportFacts& facts = r.verifier_facts ? *r.verifier_facts : static_cast<const ReportFacts&>(tree);
  nlohmann::ordered_json file = {
      {"kind", r.kind},
      {"source", r.source},
      {"verdict", VerdictName(r.verdict())},
      {"exit_code", static_cast<int>(r.exit_code())},
      {"error", std::move(error)},
      {"checked_at", r.checked_at.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.checked_at)}};
  facts.AddJsonMembersBeforeChecks(file);
  file["checks"] = checks;  // converted to an ordered object: a copy
  facts.AddJsonMembers(file);
  return file;
}

namespace {
template <class Json>
std::string Dump(const Json& j, int indent) {
  // Invalid UTF-8 in untrusted text is replaced rather than aborting output.
  return j.dump(indent, ' ', false, Json::error_handler_t::replace);
}
}  // namespace

JsonRunWriter::JsonRunWriter(std::ostream& out) : out_(out) {
  out_ << "{\n  \"tool\": \"validate_attestation\",\n  \"tool_version\": " << nlohmann::json(kVersion).dump()
       << ",\n  \"schema_version\": " << kJsonSchemaVersion << ",\n  \"files\": [";
}

void JsonRunWriter::Add(const Report& report) {
  out_ << (first_ ? "\n" : ",\n") << Dump(ReportToJson(report), -1);
  first_ = false;
}

void JsonRunWriter::Finish(const BatchSummary& s) {
  nlohmann::json summary = {{"files", s.files},     {"verified", s.verified},
                            {"failed", s.failed},   {"unreadable", s.unreadable},
                            {"seconds", s.seconds}, {"exit_code", static_cast<int>(s.exit_code)}};
  out_ << (first_ ? "],\n" : "\n  ],\n") << "  \"summary\": " << Dump(summary, -1) << "\n}\n";
  out_.flush();
}

std::string RenderJsonLine(const Report& report) { return Dump(ReportToJson(report), -1) + "\n"; }

std::string RenderJsonDocument(const std::vector<Report>& reports) {
  std::ostringstream out;
  JsonRunWriter writer(out);
  BatchSummary summary;
  for (const auto& r : reports) {
    writer.Add(r);
    summary.Count(r);
  }
  writer.Finish(summary);
  return out.str();
}

}  // namespace keyattest
