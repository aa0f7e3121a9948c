// Machine-readable rendering of reports: one JSON document per run, whose
// shape is fixed by schema/report.schema.json. Field names are stable.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "keyattest/report.h"

namespace keyattest {

/// Version of the JSON document's shape; bumped on incompatible changes.
inline constexpr int kJsonSchemaVersion = 1;

nlohmann::json ReportToJson(const Report& report);

/// The whole run: tool, version, every file's report in input order, and a
/// summary with the counts and the run's exit code.
std::string RenderJsonDocument(const std::vector<Report>& reports);

}  // namespace keyattest
