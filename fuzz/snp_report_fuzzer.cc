// Fuzz target: the SEV-SNP report input and parser (docs/snp.md "Report
// layout"). DecodeSnpReportInput throws only std::invalid_argument,
// ParseSnpReport only ParseError (and accepts exactly 1184 bytes, keeping
// them verbatim); ValidateSnpReportFormat and the facts never throw, and
// every problem names an offset.
#include <cstddef>
#include <cstdint>
#include <stdexcept>

#include "fuzz/fuzz_common.h"
#include "keyattest/amd/snp_report.h"
#include "keyattest/core/byte_reader.h"
#include "keyattest/snp/report_facts.h"

namespace keyattest::fuzz {
namespace {

void Run(ByteSpan input) {
  Bytes raw;
  try {
    raw = amd::DecodeSnpReportInput(input);
  } catch (const std::invalid_argument& e) {
    KEYATTEST_FUZZ_CHECK(*e.what() != '\0', "rejection without a reason");
    return;
  } catch (...) {
    UnexpectedException("DecodeSnpReportInput must throw only std::invalid_argument");
  }
  amd::SnpReport report;
  try {
    report = amd::ParseSnpReport(raw);
  } catch (const ParseError&) {
    KEYATTEST_FUZZ_CHECK(raw.size() != amd::kSnpReportSize, "a 1184-byte input did not parse");
    return;
  } catch (...) {
    UnexpectedException("ParseSnpReport must throw only ParseError");
  }
  KEYATTEST_FUZZ_CHECK(report.raw == raw, "the parsed report does not keep its bytes");
  KEYATTEST_FUZZ_CHECK(report.signed_bytes().size() == amd::kSnpSignedSize, "signed area size");
  try {
    for (const std::string& problem : amd::ValidateSnpReportFormat(report)) {
      KEYATTEST_FUZZ_CHECK(problem.find("0x") != std::string::npos, "a format problem without an offset: " + problem);
    }
    for (amd::Product p : {amd::Product::kMilan, amd::Product::kTurin}) {
      (void)snp::SnpReportFacts(report, p).dump();
    }
    (void)snp::SnpReportFacts(report, std::nullopt).dump();
  } catch (...) {
    UnexpectedException("format validation and facts must not throw");
  }
}

}  // namespace
}  // namespace keyattest::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  keyattest::fuzz::Run(keyattest::ByteSpan(data, size));
  return 0;
}
