// Writes the seed corpora of the fuzz targets into a build directory, so no
// large binary corpus is committed: every real Azure sample in testdata/azure
// (verbatim and in its two smaller accepted shapes), its base64 fields, its
// PEM bundle and single certificates, its decoded blobs, the roots in
// testdata/roots, and synthetic layout-A and k = 512 blobs from the test
// support builders (no real sample has those).
//
//   fuzz_make_seeds <testdata dir> <output dir>
#include <openssl/pem.h>
#include <zlib.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>

#include "keyattest/key_attestation/attestation_document.h"
#include "keyattest/x509/certificate.h"
#include "tests/support/blob_builder.h"
#include "tests/support/jws_builder.h"
#include "tests/support/sgx_quote_builder.h"
#include "tests/support/snp_builder.h"
#include "tests/support/test_keys.h"

namespace keyattest::fuzz {
namespace {

namespace fs = std::filesystem;
using testing::LoadTestKey;
using testing::TestKeyId;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

class SeedWriter {
 public:
  explicit SeedWriter(fs::path root) : root_(std::move(root)) {}

  void Write(std::string_view target, const std::string& name, std::string_view bytes) {
    const fs::path dir = root_ / target;
    fs::create_directories(dir);
    std::ofstream out(dir / name, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw std::runtime_error("cannot write " + (dir / name).string());
    ++count_;
  }
  void Write(std::string_view target, const std::string& name, const Bytes& bytes) {
    Write(target, name, std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
  }
  int count() const { return count_; }

 private:
  fs::path root_;
  int count_ = 0;
};

std::string CertificatePem(const Certificate& c) {
  BioPtr bio(CheckNotNull(BIO_new(BIO_s_mem()), "BIO_new"));
  CheckOpenSsl(PEM_write_bio_X509(bio.get(), c.get()) == 1, "PEM_write_bio_X509");
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(len));
}

void RealSampleSeeds(const fs::path& file, const std::string& name, SeedWriter& out) {
  const std::string text = ReadFile(file);
  out.Write("attestation_document", name + ".json", text);
  out.Write("verify", name + ".json", text);
  const nlohmann::json full = nlohmann::json::parse(text);
  const nlohmann::json& attributes = full.at("attributes");
  const nlohmann::json& attestation = attributes.at("attestation");
  out.Write("attestation_document", name + ".attributes.json", attributes.dump());
  out.Write("attestation_document", name + ".attestation.json", attestation.dump());
  out.Write("verify", name + ".attestation.json", attestation.dump());
  for (const auto& [field, value] : attestation.items()) {
    if (value.is_string()) out.Write("base64", name + "." + field + ".b64", value.get<std::string>());
  }
  if (full.contains("key")) {
    for (const char* member : {"n", "e", "x", "y"}) {
      if (full["key"].contains(member))
        out.Write("base64", name + ".jwk_" + member + ".b64", full["key"][member].get<std::string>());
    }
  }

  const AttestationDocument doc = ParseAttestationDocument(text);
  out.Write("pem_bundle", name + ".bundle.pem", doc.certificate_pem);
  int index = 0;
  for (const Certificate& c : ParsePemBundle(doc.certificate_pem).certificates) {
    out.Write("certificate_signature", name + ".cert" + std::to_string(index) + ".der", c.der());
    out.Write("pem_bundle", name + ".cert" + std::to_string(index++) + ".pem", CertificatePem(c));
  }
  out.Write("marvell_blob", name + ".private.bin", doc.private_key_attestation);
  out.Write("marvell_blob", name + ".private.bin.gz", testing::Gzip(doc.private_key_attestation));
  if (doc.public_key_attestation) out.Write("marvell_blob", name + ".public.bin", *doc.public_key_attestation);
}

void SyntheticBlobSeeds(SeedWriter& out) {
  using testing::LayoutABuilder;
  using testing::LayoutBBuilder;
  const EvpPkeyPtr rsa = LoadTestKey(TestKeyId::kSubjectRsa2048);
  const EvpPkeyPtr ec = LoadTestKey(TestKeyId::kSubjectEcP256);
  const EvpPkeyPtr k256 = LoadTestKey(TestKeyId::kPartitionRsa2048);
  const EvpPkeyPtr k512 = LoadTestKey(TestKeyId::kPartitionRsa4096);
  const char* id = "/keys/fuzzseed/00112233445566778899aabbccddeeff";
  const auto rsa_priv = testing::RsaPrivateAttributes(rsa.get(), id);
  const auto ec_pub = testing::EcPublicAttributes(ec.get(), id);
  const auto ec_priv = testing::EcPrivateAttributes(ec.get(), id);
  const auto aes = testing::AesSecretAttributes(id);

  out.Write("marvell_blob", "synthetic.a.rsa.k256.bin", LayoutABuilder({{0x1f0a, rsa_priv, {}, {}}}).Sign(k256.get()));
  out.Write("marvell_blob", "synthetic.a.ec_pair.k256.bin",
            LayoutABuilder({{2022, ec_pub, {}, {}}, {8870, ec_priv, {}, {}}}).Sign(k256.get()));
  out.Write("marvell_blob", "synthetic.a.rsa.k512.bin", LayoutABuilder({{0x1f0a, rsa_priv, {}, {}}}).Sign(k512.get()));
  out.Write("marvell_blob", "synthetic.b.rsa.k512.bin", LayoutBBuilder({14, rsa_priv, {}, {}}).Sign(k512.get()));
  out.Write("marvell_blob", "synthetic.b.aes.k256.bin", LayoutBBuilder({14, aes, {}, {}}).Sign(k256.get()));
  out.Write("marvell_blob", "synthetic.b.ec.k256.bin", LayoutBBuilder({14, ec_priv, {}, {}}).Sign(k256.get()));
}

/// SEV-SNP seeds: synthetic reports (versions 2, 3 and 5, binary and the
/// attest/raw hex JSON) and the test AMD chain as a PEM bundle and as THIM
/// JSON (the real sidecar report lives outside the repository).
void SnpSeeds(SeedWriter& out) {
  const testing::SnpTestPki pki = testing::MakeSnpTestPki();
  for (std::uint32_t version : {2U, 3U, 5U}) {
    testing::SnpReportBuilder b;
    b.Version(version);
    if (version >= 3) b.Cpuid(0x19, 0x01, 0x01);
    const Bytes report = b.SignedWith(pki.vcek_key.get());
    const std::string name = "synthetic.v" + std::to_string(version);
    out.Write("snp_report", name + ".bin", report);
    out.Write("snp_report", name + ".json", "{\"report\": \"" + HexEncode(report) + "\"}");
  }
  out.Write("amd_certificates", "synthetic.bundle.pem", pki.BundlePem());
  out.Write("amd_certificates", "synthetic.thim.json", pki.ThimJson());
  testing::SnpPkiOptions vlek;
  vlek.vlek = true;
  out.Write("amd_certificates", "synthetic.vlek.pem", testing::MakeSnpTestPki(vlek).BundlePem());
}

/// Synthetic MAA tokens and their JWKS, joined by a NUL (fuzz/jose_fuzzer.cc).
void JoseSeeds(SeedWriter& out) {
  const EvpPkeyPtr key = LoadTestKey(TestKeyId::kPartitionRsa2048);
  const std::string jwks = testing::JwksText({testing::MakeJwk(key.get(), "k1", true, true)});
  testing::TokenBuilder token(key.get(), "k1");
  token.claims()["iss"] = "https://sharedweu.weu.attest.azure.net";
  token.claims()["nbf"] = 1671840018;
  token.claims()["exp"] = 1671868818;
  out.Write("jose", "synthetic.token_jwks", token.Build() + std::string(1, '\0') + jwks);
  out.Write("jose", "synthetic.body_jwks", "{\"token\":\"" + token.Build() + "\"}" + std::string(1, '\0') + jwks);
  token.header()["alg"] = "none";
  out.Write("jose", "synthetic.alg_none", token.SigningInput() + "." + std::string(1, '\0') + jwks);
}

// SGX evidence as MAA signing certificates carry it, built on a generated
// PCK PKI (the real quotes stay outside the repository): each seed's first
// byte selects the fuzzer's entry point (0 OE header, 1 OCTET STRING, 2 bare).
void SyntheticSgxSeeds(SeedWriter& out) {
  const testing::SgxTestPki pki = testing::MakeSgxTestPki();
  const EvpPkeyPtr key = LoadTestKey(TestKeyId::kSubjectRsa2048);
  testing::SgxQuoteSpec spec;
  spec.report_data = testing::EnclaveReportData(key.get());
  const Bytes quote = testing::BuildSgxQuote(spec, pki);
  auto with_mode = [](std::uint8_t mode, const Bytes& value) {
    Bytes seed = {mode};
    seed.insert(seed.end(), value.begin(), value.end());
    return seed;
  };
  out.Write("sgx_quote", "synthetic.oe.bin", with_mode(0, testing::WrapInOeHeader(quote)));
  out.Write("sgx_quote", "synthetic.octet_string.bin", with_mode(1, testing::WrapInOctetString(quote)));
  out.Write("sgx_quote", "synthetic.bare.bin", with_mode(2, quote));
}

int Main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s <testdata dir> <output dir>\n", argv[0]);
    return 2;
  }
  const fs::path testdata = argv[1];
  const fs::path root = argv[2];
  for (const char* target : {"attestation_document", "base64", "pem_bundle", "marvell_blob", "verify", "snp_report",
                             "amd_certificates", "jose", "sgx_quote"}) {
    fs::remove_all(root / target);
  }
  SeedWriter out(root);
  int samples = 0;
  for (const auto& entry : fs::directory_iterator(testdata / "azure")) {
    const fs::path file = entry.path() / "attestation.json";
    if (!fs::is_regular_file(file)) continue;
    RealSampleSeeds(file, entry.path().filename().string(), out);
    ++samples;
  }
  if (samples == 0) throw std::runtime_error("no real samples under " + (testdata / "azure").string());
  for (const auto& entry : fs::directory_iterator(testdata / "roots")) {
    if (entry.path().extension() == ".pem") {
      out.Write("pem_bundle", "root." + entry.path().filename().string(), ReadFile(entry.path()));
    }
  }
  SyntheticBlobSeeds(out);
  SnpSeeds(out);
  JoseSeeds(out);
  SyntheticSgxSeeds(out);
  std::printf("fuzz_make_seeds: %d seeds from %d real samples in %s\n", out.count(), samples, root.c_str());
  return 0;
}

}  // namespace
}  // namespace keyattest::fuzz

int main(int argc, char** argv) {
  try {
    return keyattest::fuzz::Main(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fuzz_make_seeds: %s\n", e.what());
    return 1;
  }
}
