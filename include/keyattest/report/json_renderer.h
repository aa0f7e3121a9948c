// Machine-readable rendering of reports: one JSON document per run, whose
// shape is fixed by schema/report.schema.json. Field names are stable.
#pragma once

#include <nlohmann/json.hpp>

#include <ostream>
#include <string>
#include <vector>

#include "keyattest/report/report.h"
#include "keyattest/run/batch.h"

namespace keyattest {

/// Version of the JSON document's shape; bumped on incompatible changes.
/// 2: every file has a `kind`; verifiers other than key attestation carry
/// their facts in `facts` (docs/json-output.md).
inline constexpr int kJsonSchemaVersion = 2;

/// Ordered: members appear in the order the report (and its facts) gives them.
nlohmann::ordered_json ReportToJson(const Report& report);

/// Streams the run's one JSON document: the header, then each file's report
/// as it arrives (input order), then the summary. Nothing is buffered, so a
/// batch of any size runs in flat memory.
class JsonRunWriter {
 public:
  explicit JsonRunWriter(std::ostream& out);
  void Add(const Report& report);
  void Finish(const BatchSummary& summary);

 private:
  std::ostream& out_;
  bool first_ = true;
};

/// One report as one line of JSON (`--output jsonl`: a line per file,
/// written as each report arrives; no summary line).
std::string RenderJsonLine(const Report& report);

/// The whole run as one string (tests, small runs).
std::string RenderJsonDocument(const std::vector<Report>& reports);

}  // namespace keyattest
