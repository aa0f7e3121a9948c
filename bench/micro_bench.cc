// Micro-benchmarks of each verification stage on a real Azure attestation.
#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>

#include "keyattest/key_attestation/attestation_document.h"
#include "keyattest/key_attestation/verifier.h"
#include "keyattest/marvell/attributes.h"
#include "keyattest/marvell/blob.h"
#include "keyattest/marvell/signature.h"

namespace keyattest {
namespace {

std::string ReadSample() {
  std::ifstream in(std::string(KEYATTEST_REPO_TESTDATA) + "/azure/azure-sdk-js-rsa2048/attestation.json");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct Fixture {
  std::string text = ReadSample();
  AttestationDocument doc = ParseAttestationDocument(text);
  VerifyOptions options = [] {
    VerifyOptions o = DefaultVerifyOptions();
    o.check_time = keyattest::CheckTime::At(1800000000);
    return o;
  }();
  std::shared_ptr<const BundleVerification> bundle =
      VerifyCertificateBundle(doc.certificate_pem, OwnerChainStyle::kAzure, options);
};

const Fixture& F() {
  static const Fixture f;
  return f;
}

void BM_LoadDocument(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(ParseAttestationDocument(F().text));
}
BENCHMARK(BM_LoadDocument);

void BM_ParseBlob(benchmark::State& state) {
  for (auto _ : state) {
    marvell::ParsedBlob p = marvell::ParseBlob(F().doc.private_key_attestation, 256);
    benchmark::DoNotOptimize(marvell::InterpretKeyObject(p.objects[0]));
  }
}
BENCHMARK(BM_ParseBlob);

void BM_VerifyChains(benchmark::State& state) {
  for (auto _ : state)
    benchmark::DoNotOptimize(VerifyCertificateBundle(F().doc.certificate_pem, OwnerChainStyle::kAzure, F().options));
}
BENCHMARK(BM_VerifyChains);

void BM_BlobSignature(benchmark::State& state) {
  EVP_PKEY* key = F().bundle->Partition()->public_key();
  for (auto _ : state) {
    benchmark::DoNotOptimize(marvell::VerifyBlobSignature(F().doc.private_key_attestation, marvell::Layout::kB, key));
  }
}
BENCHMARK(BM_BlobSignature);

void BM_VerifyFile(benchmark::State& state) {
  for (auto _ : state)
    benchmark::DoNotOptimize(VerifyAzureAttestation(ParseAttestationDocument(F().text), F().options));
}
BENCHMARK(BM_VerifyFile);

void BM_VerifyFileCachedChains(benchmark::State& state) {
  VerifyOptions options = DefaultVerifyOptions();
  options.check_time = F().options.check_time;
  options.chain_cache = std::make_shared<ChainCache>();
  for (auto _ : state) benchmark::DoNotOptimize(VerifyAzureAttestation(ParseAttestationDocument(F().text), options));
}
BENCHMARK(BM_VerifyFileCachedChains);

}  // namespace
}  // namespace keyattest

BENCHMARK_MAIN();
