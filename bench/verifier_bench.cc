// Throughput of the new verifiers next to their crypto floor, in one thread
// of one process (bench/run.sh prints it; no test asserts a time):
//   maa_token           VerifyMaa with the issuer's keys parsed once
//                       (maa::IssuerKeys; token text in, whole report out)
//                       against one RS256 verification (EVP_DigestVerify,
//                       SHA-256 over the signing input, the selected key
//                       prepared once), then the text API (token + JWKS
//                       text in: the JWKS parsed for every token) against
//                       the same floor, and the JWKS parse alone;
//   release_policy      the policy checks and the evaluation over verified
//                       claims (no token), then the same with the token
//                       verified first (VerifyReleasePolicy), the latter
//                       against the same RS256 floor;
//   snp_report          VerifySnpReport (report + PEM bundle in), alone and
//                       with a parse cache shared between reports, against one
//                       ECDSA P-384 verification (SHA-384 over 0x000-0x29F)
//                       plus the chain's RSA-PSS-4096 signatures
//                       X509_verify_cert checks: VCEK by ASK and ASK by ARK
//                       (the ARK is pinned by its SPKI, so its
//                       self-signature is not part of the verification).
// Each figure is the median rate of --repeats timed runs of --seconds each,
// with the slowest and fastest run as the spread.
// Inputs: the real samples of the shared corpus when present
// (KEYATTEST_SHARED_TESTDATA, as the tests find them), else synthetic ones
// made with the test builders. --write-inputs DIR saves the inputs used, so
// that bench/run.sh can time the CLI and the peers (jose, Python) on them.
#include <openssl/ecdsa.h>
#include <openssl/x509.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "keyattest/amd/snp_report.h"
#include "keyattest/crypto/crypto_init.h"
#include "keyattest/jose/jwks.h"
#include "keyattest/jose/jws.h"
#include "keyattest/maa/issuer_keys.h"
#include "keyattest/maa/maa_token.h"
#include "keyattest/skr/release_policy_verifier.h"
#include "keyattest/snp/verifier.h"
#include "keyattest/x509/certificate.h"
#include "tests/support/jws_builder.h"
#include "tests/support/real_testdata.h"
#include "tests/support/snp_builder.h"

namespace keyattest {
namespace {

struct Inputs {
  std::string origin;
  std::string token, jwks, issuer, token_at;
  std::string policy;
  Bytes snp_report;
  std::string snp_certs, snp_at, ark_pem;  // ark_pem: only for synthetic (not pinned)
};

Inputs RealInputs(const std::filesystem::path& dir) {
  Inputs in;
  in.origin =
      "real samples (shared corpus: sharedweu CVM token of 2022-12-23, its JWKS and release policy; "
      "the confidential-sidecar SNP report and its AMD certificates)";
  in.token = testing::ReadFileText(dir / "thomvanl-cvm-skr/cvm_guest_sharedweu_2022-12-23.jwt");
  in.jwks = testing::ReadFileText(dir / "thomvanl-cvm-skr/sharedweu_certs_snapshot_2023.json");
  in.issuer = "https://sharedweu.weu.attest.azure.net";
  in.token_at = "2022-12-24T00:00:18Z";
  in.policy = testing::ReadFileText(dir / "thomvanl-cvm-skr/cvm-release-policy.json");
  const std::string report = testing::ReadFileText(dir / "confidential-sidecar-containers/snp_report.bin");
  in.snp_report.assign(report.begin(), report.end());
  in.snp_certs = testing::ReadFileText(dir / "confidential-sidecar-containers/uvm_host_amd_certificate.pem");
  in.snp_at = "2024-01-01T00:00:00Z";
  return in;
}

Inputs SyntheticInputs() {
  Inputs in;
  in.origin = "synthetic (tests/support builders: RSA-2048 token key, test ARK/ASK/VCEK shaped like AMD's)";
  static EvpPkeyPtr key = testing::FreshRsaKey(2048);
  in.token = testing::TokenBuilder(key.get(), "bench-kid").Build();
  in.jwks = testing::JwksText({testing::MakeJwk(key.get(), "bench-kid")});
  in.issuer = testing::kTestIssuer;
  in.token_at = FormatRfc3339(testing::TestIat() + 60);
  in.policy = std::string(R"({"version":"1.0.0","anyOf":[{"authority":")") + testing::kTestIssuer +
              R"(","allOf":[{"claim":"x-ms-attestation-type","equals":"sevsnpvm"},)"
              R"({"claim":"x-ms-sevsnpvm-is-debuggable","equals":"false"}]}]})";
  static const testing::SnpTestPki pki = testing::MakeSnpTestPki();
  in.snp_report = testing::SnpReportBuilder().SignedWith(pki.vcek_key.get());
  in.snp_certs = pki.BundlePem();
  in.snp_at = "2024-01-01T00:00:00Z";
  in.ark_pem = pki.ArkPem();
  return in;
}

struct Rate {
  double median = 0, min = 0, max = 0;
};

Rate Measure(const std::function<void()>& op, double seconds, int repeats) {
  using Clock = std::chrono::steady_clock;
  for (auto until = Clock::now() + std::chrono::milliseconds(100); Clock::now() < until;) op();  // warm-up
  std::vector<double> rates;
  for (int r = 0; r < repeats; ++r) {
    const auto start = Clock::now();
    double elapsed = 0;
    std::size_t n = 0;
    do {
      op();
      ++n;
      elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    } while (elapsed < seconds);
    rates.push_back(static_cast<double>(n) / elapsed);
  }
  std::sort(rates.begin(), rates.end());
  return {rates[rates.size() / 2], rates.front(), rates.back()};
}

void Print(const char* name, const char* unit, const Rate& rate) {
  std::printf("  %-34s %9.0f %s/s  (spread %.0f-%.0f)\n", name, rate.median, unit, rate.min, rate.max);
  (void)std::fflush(stdout);
}

void Require(bool ok, const std::string& what) {
  if (!ok) throw std::runtime_error("bench input does not verify: " + what);
}

bool DigestVerify(EVP_PKEY* key, const EVP_MD* md, ByteSpan signature, ByteSpan data) {
  EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  return ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, md, nullptr, key) == 1 &&
         EVP_DigestVerify(ctx.get(), signature.data(), signature.size(), data.data(), data.size()) == 1;
}

maa::MaaTokenOptions TokenOptions(const Inputs& in) {
  maa::MaaTokenOptions o;
  o.issuer = in.issuer;
  o.time = CheckTime::FromOptions(in.token_at);
  return o;
}

void PrintRatio(const char* name, const Rate& rate, const Rate& floor) {
  std::printf("  %-34s %9.0f%%\n", name, 100.0 * rate.median / floor.median);
}

void BenchMaa(const Inputs& in, double seconds, int repeats) {
  const maa::MaaTokenOptions options = TokenOptions(in);
  const maa::IssuerKeys keys(in.jwks);  // once, as a consumer of one issuer's tokens does
  Require(keys.usable() && maa::VerifyMaa(in.token, keys, options).exit_code() == ExitCode::kVerified, "MAA token");
  const Rate rate = Measure([&] { (void)maa::VerifyMaa(in.token, keys, options); }, seconds, repeats);
  Print("maa token, keys parsed once", "tokens", rate);
  const jose::CompactJws jws = jose::ParseCompactJws(jose::StripFinalLineEnding(in.token));
  const jose::Jwk* jwk = keys.jwks().FindKid(jws.header.at("kid").get<std::string>());
  Require(jwk != nullptr && jwk->key, "JWKS kid");
  const ByteSpan input(reinterpret_cast<const std::uint8_t*>(jws.signing_input.data()), jws.signing_input.size());
  Require(DigestVerify(jwk->key.get(), EVP_sha256(), jws.signature, input), "RS256 floor");
  const Rate floor =
      Measure([&] { (void)DigestVerify(jwk->key.get(), EVP_sha256(), jws.signature, input); }, seconds, repeats);
  Print("floor: one RS256 verification", "tokens", floor);
  PrintRatio("maa token / floor", rate, floor);
  Require(maa::VerifyMaa(in.token, in.jwks, options).exit_code() == ExitCode::kVerified, "MAA token, text API");
  const Rate text = Measure([&] { (void)maa::VerifyMaa(in.token, in.jwks, options); }, seconds, repeats);
  Print("maa token, text API (JWKS per token)", "tokens", text);
  PrintRatio("text API / floor", text, floor);
  Print("  JWKS parse alone (maa::IssuerKeys)", "JWKS",
        Measure([&] { (void)maa::IssuerKeys(in.jwks); }, seconds, repeats));
}

void BenchPolicy(const Inputs& in, double seconds, int repeats) {
  skr::ReleasePolicyRequest request;
  request.policy_text = in.policy;
  request.policy_source = "policy.json";
  request.check_time = CheckTime::FromOptions(in.token_at);
  Report token_report;
  const maa::MaaTokenResult token = maa::VerifyMaaToken(in.token, in.jwks, TokenOptions(in), token_report);
  Require(token.verified, "token for the policy");
  auto evaluate = [&] {
    Report report;
    report.kind = skr::kReleasePolicyKind;
    skr::VerifyReleasePolicyInto(request, &token.claims, report);
    return report;
  };
  Require(evaluate().exit_code() == ExitCode::kVerified, "release policy over the verified claims");
  Print("release policy, verified claims", "policies", Measure([&] { (void)evaluate(); }, seconds, repeats));
  request.token = skr::TokenInput{in.token, in.jwks, in.issuer, "token.jwt", CheckTime::FromOptions(in.token_at)};
  Require(skr::VerifyReleasePolicy(request).exit_code() == ExitCode::kVerified, "release policy with the token");
  Print("release policy, token verified too", "policies",
        Measure([&] { (void)skr::VerifyReleasePolicy(request); }, seconds, repeats));
}

snp::SnpOptions SnpOptionsFor(const Inputs& in) {
  snp::SnpOptions o;
  o.check_time = CheckTime::FromOptions(in.snp_at);
  if (!in.ark_pem.empty()) {
    o.amd_roots.emplace_back(ParseSinglePemCertificate(
        ByteSpan(reinterpret_cast<const std::uint8_t*>(in.ark_pem.data()), in.ark_pem.size())));
  }
  o.report_source = "report.bin";
  o.certs_source = "certs.pem";
  return o;
}

/// The report's r and s (little-endian) as the DER ECDSA-Sig-Value OpenSSL verifies.
Bytes DerSignature(const amd::SnpReport& report) {
  BIGNUM* r = BN_lebin2bn(report.signature_r.data(), static_cast<int>(report.signature_r.size()), nullptr);
  BIGNUM* s = BN_lebin2bn(report.signature_s.data(), static_cast<int>(report.signature_s.size()), nullptr);
  ECDSA_SIG* sig = ECDSA_SIG_new();
  Require(r != nullptr && s != nullptr && sig != nullptr && ECDSA_SIG_set0(sig, r, s) == 1, "ECDSA_SIG");
  unsigned char* der = nullptr;
  const int len = i2d_ECDSA_SIG(sig, &der);
  Require(len > 0, "i2d_ECDSA_SIG");
  Bytes out(der, der + len);
  OPENSSL_free(der);
  ECDSA_SIG_free(sig);
  return out;
}

void BenchSnp(const Inputs& in, double seconds, int repeats) {
  const snp::SnpOptions options = SnpOptionsFor(in);
  const ByteSpan certs(reinterpret_cast<const std::uint8_t*>(in.snp_certs.data()), in.snp_certs.size());
  Require(snp::VerifySnpReport(in.snp_report, certs, options).exit_code() == ExitCode::kVerified, "SNP report");
  const Rate rate = Measure([&] { (void)snp::VerifySnpReport(in.snp_report, certs, options); }, seconds, repeats);
  Print("snp report, VerifySnpReport", "reports", rate);
  // A service checking reports from the same machines shares a parse cache:
  // the certificates are decoded once, every check still runs per report.
  snp::SnpOptions cached_options = options;
  cached_options.certificate_cache = std::make_shared<CertificateCache>();
  Require(snp::VerifySnpReport(in.snp_report, certs, cached_options).exit_code() == ExitCode::kVerified,
          "SNP report, parse cache");
  const Rate cached =
      Measure([&] { (void)snp::VerifySnpReport(in.snp_report, certs, cached_options); }, seconds, repeats);
  Print("snp report, shared parse cache", "reports", cached);
  const PemBundle bundle = ParsePemBundle(certs);
  Require(bundle.certificates.size() == 3, "VCEK, ASK, ARK bundle");
  const Certificate& vcek = bundle.certificates[0];
  const Certificate& ask = bundle.certificates[1];
  const Certificate& ark = bundle.certificates[2];
  const amd::SnpReport report = amd::ParseSnpReport(in.snp_report);
  const Bytes der = DerSignature(report);
  auto ecdsa = [&] { return DigestVerify(vcek.public_key(), EVP_sha384(), der, report.signed_bytes()); };
  auto chain = [&] {
    return X509_verify(vcek.get(), ask.public_key()) == 1 && X509_verify(ask.get(), ark.public_key()) == 1;
  };
  Require(ecdsa() && chain(), "SNP floor");
  const Rate floor = Measure([&] { (void)(ecdsa() && chain()); }, seconds, repeats);
  Print("floor: ECDSA P-384 + 2 RSA-PSS-4096", "reports", floor);
  PrintRatio("snp report / floor", rate, floor);
  PrintRatio("snp report, parse cache / floor", cached, floor);
  Print("  of which ECDSA P-384 alone", "reports", Measure([&] { (void)ecdsa(); }, seconds, repeats));
}

void WriteFile(const std::filesystem::path& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

void WriteInputs(const Inputs& in, const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  WriteFile(dir / "token.jwt", in.token);
  WriteFile(dir / "jwks.json", in.jwks);
  WriteFile(dir / "issuer.txt", in.issuer);
  WriteFile(dir / "token_at.txt", in.token_at);
  WriteFile(dir / "policy.json", in.policy);
  WriteFile(dir / "snp_report.bin",
            std::string_view(reinterpret_cast<const char*>(in.snp_report.data()), in.snp_report.size()));
  WriteFile(dir / "snp_certs.pem", in.snp_certs);
  WriteFile(dir / "snp_at.txt", in.snp_at);
  WriteFile(dir / "ark.pem", in.ark_pem);  // empty: the compiled-in pinned ARKs apply
}

}  // namespace
}  // namespace keyattest

int main(int argc, char** argv) {
  using namespace keyattest;
  double seconds = 0.3;
  int repeats = 7;
  bool synthetic = false;
  std::string write_inputs;
  std::string only;  // maa, policy or snp (for profiling one of them)
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--seconds") == 0 && i + 1 < argc) {
      seconds = std::stod(argv[++i]);
    } else if (std::strcmp(argv[i], "--repeats") == 0 && i + 1 < argc) {
      repeats = std::max(1, std::stoi(argv[++i]));
    } else if (std::strcmp(argv[i], "--synthetic") == 0) {
      synthetic = true;
    } else if (std::strcmp(argv[i], "--write-inputs") == 0 && i + 1 < argc) {
      write_inputs = argv[++i];
    } else if (std::strcmp(argv[i], "--only") == 0 && i + 1 < argc) {
      only = argv[++i];
    } else {
      (void)std::fprintf(
          stderr,
          "usage: keyattest_verifier_bench [--seconds S] [--repeats R] [--synthetic] [--write-inputs DIR]"
          " [--only maa|policy|snp]\n");
      return 2;
    }
  }
  try {
    InitializeCrypto();
    const auto real = synthetic ? std::nullopt : testing::SharedTestdataDir("maa-real");
    const Inputs in = real ? RealInputs(*real) : SyntheticInputs();
    if (!write_inputs.empty()) WriteInputs(in, write_inputs);
    std::printf("inputs: %s\none thread; median of %d runs of %.2f s each, spread = slowest-fastest run\n",
                in.origin.c_str(), repeats, seconds);
    if (only.empty() || only == "maa") BenchMaa(in, seconds, repeats);
    if (only.empty() || only == "policy") BenchPolicy(in, seconds, repeats);
    if (only.empty() || only == "snp") BenchSnp(in, seconds, repeats);
  } catch (const std::exception& e) {
    (void)std::fprintf(stderr, "keyattest_verifier_bench: %s\n", e.what());
    return 1;
  }
  return 0;
}
