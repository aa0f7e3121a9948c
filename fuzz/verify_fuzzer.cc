// Fuzz target (e): one whole document, as the command line handles it: load,
// verify with the built-in pinned Marvell roots at a fixed time, and render
// the report as text and as JSON.
//
// Never crashes: the loader throws only InputError, verification does not
// throw, rendering does not throw and the JSON output parses.
//
// Never fooled: without forging an RSA signature, a fuzzer cannot make a
// document verify unless everything that is signed is genuine. Byte identity
// with a seed would be too strong (whitespace, member order, the base64
// alphabet and padding, PEM line breaks and the unsigned JWK may all change
// and still verify), so the invariant is on the signed content instead: a
// verified report has every mandatory check passed (none skipped), its
// private blob is byte-identical to the private blob of one real sample
// (testdata/azure), its public blob (if any) to that same sample's public
// blob, and every certificate of its bundle is one of the real certificates.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz/fuzz_common.h"
#include "keyattest/crypto/crypto_init.h"
#include "keyattest/key_attestation/attestation_document.h"
#include "keyattest/key_attestation/verifier.h"
#include "keyattest/report/json_renderer.h"
#include "keyattest/report/report.h"
#include "keyattest/report/text_renderer.h"
#include "keyattest/x509/certificate.h"

#ifndef KEYATTEST_FUZZ_TESTDATA
#error "KEYATTEST_FUZZ_TESTDATA must name the repository's testdata directory"
#endif

namespace keyattest::fuzz {
namespace {

// 2026-06-01T00:00:00Z: every certificate of every real sample is valid.
constexpr std::time_t kAt = 1780272000;

struct RealSample {
  std::string name;
  Bytes private_blob;
  std::optional<Bytes> public_blob;
};

struct GroundTruth {
  std::vector<RealSample> samples;
  std::set<Bytes> certificates;  // DER of every certificate of every sample
};

GroundTruth* truth = nullptr;

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

GroundTruth LoadGroundTruth() {
  const char* env = std::getenv("KEYATTEST_FUZZ_TESTDATA");
  const std::filesystem::path dir = std::filesystem::path(env ? env : KEYATTEST_FUZZ_TESTDATA) / "azure";
  GroundTruth t;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::filesystem::path file = entry.path() / "attestation.json";
    if (!std::filesystem::is_regular_file(file)) continue;
    AttestationDocument doc = ParseAttestationDocument(ReadFile(file));
    t.samples.push_back({entry.path().filename().string(), doc.private_key_attestation, doc.public_key_attestation});
    for (const Certificate& c : ParsePemBundle(doc.certificate_pem).certificates) t.certificates.insert(c.der());
  }
  if (t.samples.empty()) {
    std::fprintf(stderr, "verify_fuzzer: no real samples under %s (set KEYATTEST_FUZZ_TESTDATA)\n", dir.c_str());
    std::abort();
  }
  return t;
}

const VerifyOptions& Options() {
  static const VerifyOptions options = [] {
    VerifyOptions o = DefaultVerifyOptions();
    o.check_time = keyattest::CheckTime::At(kAt);
    return o;
  }();
  return options;
}

void CheckReportShape(const Report& r) {
  KEYATTEST_FUZZ_CHECK(!r.checks.empty(), "a verification produced no checks");
  KEYATTEST_FUZZ_CHECK(r.checked_at == "2026-06-01T00:00:00Z", "checked_at is not the --at time: " + r.checked_at);
  for (const CheckResult& c : r.checks) {
    KEYATTEST_FUZZ_CHECK(!c.id.empty() && !c.title.empty(), "check without id or title");
    KEYATTEST_FUZZ_CHECK(c.status != CheckStatus::kFail || !c.detail.empty(),
                         "failed check without detail: " + std::string(c.id.view()));
  }
  const bool any_fail = std::any_of(r.checks.begin(), r.checks.end(),
                                    [](const CheckResult& c) { return c.status == CheckStatus::kFail; });
  KEYATTEST_FUZZ_CHECK((r.verdict() == Verdict::kVerified) == !any_fail, "verdict disagrees with the checks");
  KEYATTEST_FUZZ_CHECK((r.exit_code() == ExitCode::kVerified) == (r.verdict() == Verdict::kVerified),
                       "exit code disagrees with the verdict");
}

void CheckNotFooled(const AttestationDocument& doc, const Report& r) {
  if (r.verdict() != Verdict::kVerified) return;
  // The format check is per source: "version" for Azure, "format" for gcloud.
  std::vector<std::string> mandatory = {
      doc.source == AttestationSource::kAzure ? "document.version" : "document.format",
      "certificates.bundle",
      "chain.manufacturer",
      "chain.owner",
      "certificates.all_used",
      "private.structure",
      "private.attributes",
      "private.signature",
      "private.object_class"};
  if (doc.public_key_attestation) {
    for (const char* id :
         {"public.structure", "public.attributes", "public.signature", "public.object_class", "blobs.same_key"}) {
      mandatory.emplace_back(id);
    }
  }
  for (const std::string& id : mandatory) {
    const CheckResult* c = r.Find(id);
    KEYATTEST_FUZZ_CHECK(c != nullptr && c->status == CheckStatus::kPass, "verified without passing " + id);
  }
  const RealSample* sample = nullptr;
  for (const RealSample& s : truth->samples) {
    if (s.private_blob == doc.private_key_attestation) sample = &s;
  }
  KEYATTEST_FUZZ_CHECK(sample != nullptr, "VERIFIED a private blob that is not a real sample's");
  if (doc.public_key_attestation) {
    KEYATTEST_FUZZ_CHECK(sample->public_blob == doc.public_key_attestation,
                         "VERIFIED a public blob that is not " + sample->name + "'s");
  }
  for (const Certificate& c : ParsePemBundle(doc.certificate_pem).certificates) {
    KEYATTEST_FUZZ_CHECK(truth->certificates.count(c.der()) == 1,
                         "VERIFIED with a certificate that is not a real one: " + c.subject());
  }
}

void CheckRendering(const Report& r) {
  (void)RenderText(r, TextOptions{.verbose = true, .color = false});
  (void)RenderText(r, TextOptions{.verbose = false, .color = true});
  const std::string json = RenderJsonDocument({r});
  nlohmann::json parsed = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  KEYATTEST_FUZZ_CHECK(!parsed.is_discarded(), "JSON output is not JSON");
  KEYATTEST_FUZZ_CHECK(
      parsed["files"].size() == 1 && parsed["files"][0]["exit_code"] == static_cast<int>(r.exit_code()),
      "JSON output disagrees with the report");
}

void Run(std::string_view text) {
  AttestationDocument doc;
  try {
    doc = ParseAttestationDocument(text);
  } catch (const InputError&) {
    return;  // exit 3; the loader has its own target
  } catch (...) {
    UnexpectedException("ParseAttestationDocument must throw only InputError");
    return;
  }
  Report report;
  try {
    report = VerifyAzureAttestation(doc, Options());
  } catch (...) {
    UnexpectedException("VerifyAzureAttestation threw");
    return;
  }
  CheckReportShape(report);
  CheckNotFooled(doc, report);
  try {
    CheckRendering(report);
  } catch (...) {
    UnexpectedException("rendering a report threw");
  }
}

}  // namespace
}  // namespace keyattest::fuzz

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  keyattest::InitializeCrypto();  // as the CLI does
  static keyattest::fuzz::GroundTruth truth = keyattest::fuzz::LoadGroundTruth();
  keyattest::fuzz::truth = &truth;
  (void)keyattest::fuzz::Options();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  keyattest::fuzz::Run(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
