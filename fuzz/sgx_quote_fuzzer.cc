// Fuzz target: the SGX evidence parsers of MAA signing certificates
// (vendor/intel, docs/sgx-evidence.md §2-§4). The first input byte picks the
// entry point (Open Enclave header form, 2020 OCTET STRING form, bare quote);
// the rest is the extension value.
//
// Properties:
//  * the parsers throw only ParseError (with an offset inside the input) or
//    UnsupportedEvidence;
//  * an accepted quote is version 3 with an ECDSA P-256 key and PCK-chain
//    certification data, and every length adds up to exactly the input:
//    nothing missing, nothing trailing;
//  * the signed prefix and the QE report are copies of the input at their
//    places;
//  * ParsePckChain on the certification data throws only BundleError.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "fuzz/fuzz_common.h"
#include "keyattest/intel/sgx_quote.h"
#include "keyattest/sgx_evidence/pck_chain.h"

namespace keyattest::fuzz {
namespace {

using intel::Quote;

// Where the bare quote starts inside the value, for each entry point.
std::size_t QuoteStart(std::uint8_t mode, ByteSpan value) {
  if (mode == 0) return intel::kOeReportHeaderSize;
  if (mode == 1) return value[1] < 0x80 ? 2 : 2 + (value[1] & 0x7fU);
  return 0;
}

void CheckQuote(ByteSpan quote, const Quote& q) {
  KEYATTEST_FUZZ_CHECK(q.header.version == 3 && q.header.attestation_key_type == 2, "unsupported header accepted");
  KEYATTEST_FUZZ_CHECK(q.signature_data.certification_data_type == 5, "certification data type other than 5");
  const auto& sd = q.signature_data;
  const std::size_t total = intel::kSignedQuotePrefixSize + 4 + 64 + 64 + intel::kReportBodySize + 64 + 2 +
                            sd.qe_auth_data.size() + 2 + 4 + sd.certification_data.size();
  KEYATTEST_FUZZ_CHECK(total == quote.size(), "fields do not add up to the input: " + std::to_string(total) + " vs " +
                                                  std::to_string(quote.size()));
  KEYATTEST_FUZZ_CHECK(q.signature_data_length == quote.size() - 436, "signature data length disagrees");
  KEYATTEST_FUZZ_CHECK(std::equal(q.signed_prefix.begin(), q.signed_prefix.end(), quote.begin()),
                       "signed prefix is not the input's first 432 bytes");
  KEYATTEST_FUZZ_CHECK(std::equal(sd.qe_report.raw.begin(), sd.qe_report.raw.end(), quote.begin() + 436 + 128),
                       "QE report is not a copy of the input at 564");
  KEYATTEST_FUZZ_CHECK(std::equal(sd.certification_data.begin(), sd.certification_data.end(),
                                  quote.end() - static_cast<std::ptrdiff_t>(sd.certification_data.size())),
                       "certification data is not the input's tail");
}

}  // namespace
}  // namespace keyattest::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace keyattest;  // NOLINT(google-build-using-namespace)
  if (size < 1) return 0;
  const std::uint8_t mode = data[0] % 3;
  const ByteSpan value(data + 1, size - 1);
  std::optional<intel::Quote> quote;
  try {
    if (mode == 0) quote = intel::ParseOeEvidence(value).quote;
    if (mode == 1) quote = intel::ParseWrappedQuote(value);
    if (mode == 2) quote = intel::ParseQuoteV3(value);
  } catch (const ParseError& e) {
    KEYATTEST_FUZZ_CHECK(e.offset() <= value.size(), std::string("offset outside the input: ") + e.what());
    return 0;
  } catch (const intel::UnsupportedEvidence&) {
    return 0;
  } catch (...) {
    fuzz::UnexpectedException("SGX evidence parsers");
  }
  fuzz::CheckQuote(value.subspan(fuzz::QuoteStart(mode, value)), *quote);
  try {
    (void)sgx_evidence::ParsePckChain(quote->signature_data.certification_data);
  } catch (const BundleError&) {
  } catch (...) {
    fuzz::UnexpectedException("ParsePckChain");
  }
  return 0;
}
