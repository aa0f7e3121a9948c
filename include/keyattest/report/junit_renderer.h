// JUnit XML rendering of reports, as GitLab, Jenkins and GitHub test
// reporters read it: one <testsuite> per file, one <testcase> per check.
// Streamed: each file's suite is written when its report arrives.
#pragma once

#include <ostream>
#include <string>
#include <string_view>

#include "keyattest/report/report.h"

namespace keyattest {

class JunitRunWriter {
 public:
  explicit JunitRunWriter(std::ostream& out);
  void Add(const Report& report);
  void Finish();

 private:
  std::ostream& out_;
};

/// Text made safe inside XML 1.0 attributes and content: controls and
/// invalid UTF-8 become visible escapes (as on a terminal), and the five XML
/// specials become entities.
std::string EscapeXml(std::string_view text);

}  // namespace keyattest
