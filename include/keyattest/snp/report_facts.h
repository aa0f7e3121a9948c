// Every field of an SNP report, decoded for the report's facts (docs/snp.md
// "Output").
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

#include "keyattest/amd/product.h"
#include "keyattest/amd/snp_report.h"
#include "keyattest/x509/certificate.h"

namespace keyattest::snp {

/// The report's fields in spec order; TCBs are split into components in
/// the layout of `product` (nullopt: raw values only, the product unknown).
nlohmann::ordered_json SnpReportFacts(const amd::SnpReport& report, std::optional<amd::Product> product);

/// The guest policy bits by name (docs/snp.md "Guest policy").
nlohmann::ordered_json PolicyFacts(std::uint64_t policy);

nlohmann::ordered_json TcbFacts(std::uint64_t tcb, std::optional<amd::Product> product);

}  // namespace keyattest::snp
