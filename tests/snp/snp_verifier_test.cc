// The snp verifier on synthetic evidence (docs/snp.md "Checks"): every rule
// has a failing case next to its passing twin.
#include <gtest/gtest.h>

#include <openssl/ec.h>

#include "keyattest/core/errors.h"
#include "keyattest/snp/checks.h"
#include "keyattest/snp/verifier.h"
#include "keyattest/x509/certificate.h"
#include "tests/support/snp_builder.h"

namespace keyattest::snp {
namespace {

using testing::MakeSnpTestPki;
using testing::SnpPkiOptions;
using testing::SnpReportBuilder;
using testing::SnpTestPki;

const SnpTestPki& Pki() {
  static const SnpTestPki pki = MakeSnpTestPki();
  return pki;
}

SnpOptions OptionsFor(const SnpTestPki& pki) {
  SnpOptions o;
  o.check_time = CheckTime::FromOptions(std::string("2024-01-01T00:00:00Z"));
  o.amd_roots.emplace_back(Certificate(X509Ptr(X509_dup(pki.ark.get()))));
  o.report_source = "report.bin";
  o.certs_source = "certs.pem";
  return o;
}

struct Outcome {
  Report report;
  const CheckResult& Get(const CheckDefinition& c) const {
    const CheckResult* r = report.Find(c.id);
    if (r == nullptr) throw std::runtime_error(std::string("no check ") + std::string(c.id));
    return *r;
  }
  CheckStatus Status(const CheckDefinition& c) const { return Get(c).status; }
  std::string Detail(const CheckDefinition& c) const { return Get(c).detail; }
  int Exit() const { return static_cast<int>(report.exit_code()); }
};

Outcome Verify(const Bytes& report, const std::string& certs, const SnpOptions& o) {
  return Outcome{VerifySnpReport(report, AsBytes(certs), o)};
}

Outcome VerifyDefault(const SnpReportBuilder& b) {
  EvpPkeyPtr key = testing::LoadSnpVcekKey();
  return Verify(b.SignedWith(key.get()), Pki().BundlePem(), OptionsFor(Pki()));
}

Outcome VerifyWithPki(const SnpReportBuilder& b, const SnpTestPki& pki, const SnpOptions& o) {
  return Verify(b.SignedWith(pki.vcek_key.get()), pki.BundlePem(), o);
}

std::string FailedChecks(const Report& r) {
  std::string out;
  for (const auto& c : r.checks) {
    if (c.status == CheckStatus::kFail) out += std::string(c.id.view()) + ": " + c.detail + "\n";
  }
  return out;
}

TEST(SnpVerifierTest, AValidReportVerifies) {
  Outcome r = VerifyDefault(SnpReportBuilder());
  EXPECT_EQ(r.Exit(), 0) << FailedChecks(r.report);
  for (const CheckDefinition* c : {&kFormat, &kSignatureAlgo, &kSigningKey, &kChain, &kVcekExtensions, &kSignature,
                                   &kTcb, &kChipId, &kVmpl, &kPolicy}) {
    EXPECT_EQ(r.Status(*c), CheckStatus::kPass) << c->id.view() << ": " << r.Detail(*c);
  }
  EXPECT_EQ(r.Status(kReportData), CheckStatus::kSkip);
  EXPECT_EQ(r.Status(kHostData), CheckStatus::kSkip);
  EXPECT_EQ(r.report.kind, "snp");
  EXPECT_EQ(r.report.facts["report"]["reported_tcb"]["microcode"], 115);
  EXPECT_EQ(r.report.facts["input"]["product"], "Milan");
  EXPECT_EQ(r.report.facts["certificates"].size(), 3u);
  EXPECT_NE(r.Detail(kChain).find("error 85) tolerated"), std::string::npos);
}

TEST(SnpVerifierTest, ThimJsonCertificatesVerifyAndTheirTcbmMustMatch) {
  EvpPkeyPtr key = testing::LoadSnpVcekKey();
  const Bytes report = SnpReportBuilder().SignedWith(key.get());
  Outcome ok = Verify(report, Pki().ThimJson(), OptionsFor(Pki()));
  EXPECT_EQ(ok.Exit(), 0) << FailedChecks(ok.report);
  Outcome bad = Verify(report, Pki().ThimJson(testing::kTestTcb + 1), OptionsFor(Pki()));
  EXPECT_EQ(bad.Status(kVcekExtensions), CheckStatus::kFail);
  EXPECT_NE(bad.Detail(kVcekExtensions).find("the THIM tcbm (BL 4, TEE 0, SNP 8, UCODE 115) is not the VCEK's TCB"),
            std::string::npos);
}

TEST(SnpVerifierTest, MalformedReportIsExit3AndNamesTheField) {
  Outcome r = VerifyDefault(SnpReportBuilder().U8(0x1F8, 1));
  EXPECT_EQ(r.Exit(), 3);
  EXPECT_EQ(r.Status(kFormat), CheckStatus::kFail);
  EXPECT_EQ(r.Detail(kFormat), "reserved (0x1f8-0x29f) must be zero; byte at 0x1f8 is 0x1");
  Outcome shorter = Verify(Bytes(1183, 0), Pki().BundlePem(), OptionsFor(Pki()));
  EXPECT_EQ(shorter.Exit(), 3);
  EXPECT_EQ(shorter.report.checks.size(), 1u);
}

TEST(SnpVerifierTest, MalformedCertificatesAreExit3) {
  EvpPkeyPtr key = testing::LoadSnpVcekKey();
  const Bytes report = SnpReportBuilder().SignedWith(key.get());
  for (const std::string& certs :
       {std::string("not pem"), std::string("{\"vcekCert\": 1}"),
        std::string("{\"vcekCert\": \"\", \"certificateChain\": \"\", \"x\": 1}"),
        Pki().BundlePem() + "\x1b[2J"}) {  // explanatory text may follow (RFC 7468), control bytes may not
    Outcome r = Verify(report, certs, OptionsFor(Pki()));
    EXPECT_EQ(r.Exit(), 3) << certs.substr(0, 30);
    EXPECT_EQ(r.Status(kChain), CheckStatus::kFail);
  }
}

TEST(SnpVerifierTest, SignatureAlgorithmMustBeOne) {
  Outcome r = VerifyDefault(SnpReportBuilder().SignatureAlgo(2));
  EXPECT_EQ(r.Exit(), 1);
  EXPECT_EQ(r.Status(kSignatureAlgo), CheckStatus::kFail);
  EXPECT_EQ(r.Status(kSignature), CheckStatus::kSkip);
}

TEST(SnpVerifierTest, SigningKeyMustNameTheChainKind) {
  Outcome vlek = VerifyDefault(SnpReportBuilder().SignerInfo(1U << 2));
  EXPECT_EQ(vlek.Status(kSigningKey), CheckStatus::kFail);
  EXPECT_EQ(vlek.Detail(kSigningKey), "SIGNING_KEY is VLEK (1), but the certificates are a VCEK chain");
  Outcome none = VerifyDefault(SnpReportBuilder().SignerInfo(7U << 2));
  EXPECT_EQ(none.Status(kSigningKey), CheckStatus::kFail);
  EXPECT_EQ(none.Exit(), 1);
}

TEST(SnpVerifierTest, VlekChainVerifiesVlekReports) {
  SnpPkiOptions o;
  o.vlek = true;
  const SnpTestPki pki = MakeSnpTestPki(o);
  Outcome ok = VerifyWithPki(SnpReportBuilder().SignerInfo(1U << 2), pki, OptionsFor(pki));
  EXPECT_EQ(ok.Exit(), 0) << FailedChecks(ok.report);
  EXPECT_EQ(ok.Status(kChipId), CheckStatus::kSkip);
  Outcome vcek_key = VerifyWithPki(SnpReportBuilder(), pki, OptionsFor(pki));
  EXPECT_EQ(vcek_key.Status(kSigningKey), CheckStatus::kFail);
}

// The verdict line says which root was trusted: a report verified under a
// root the user supplied must not read as chaining to AMD's pinned ARK.
TEST(SnpVerifierTest, VerifiedMeaningNamesASuppliedRoot) {
  Outcome supplied = VerifyDefault(SnpReportBuilder());
  ASSERT_EQ(supplied.Exit(), 0);
  EXPECT_EQ(supplied.report.verified_meaning,
            "the report was signed by a VCEK that chains to an ARK given with --amd-root (not the pinned AMD "
            "roots), and its fields meet the options");
  SnpOptions pinned = OptionsFor(Pki());
  pinned.amd_roots.clear();
  EvpPkeyPtr key = testing::LoadSnpVcekKey();
  Outcome builtin = Verify(SnpReportBuilder().SignedWith(key.get()), Pki().BundlePem(), pinned);
  EXPECT_EQ(builtin.report.verified_meaning,
            "the report was signed by a VCEK that chains to the pinned AMD ARK, and its fields meet the options");
}

TEST(SnpVerifierTest, ChainMustEndInTheTrustedArk) {
  EvpPkeyPtr key = testing::LoadSnpVcekKey();
  const Bytes report = SnpReportBuilder().SignedWith(key.get());
  SnpOptions pinned = OptionsFor(Pki());
  pinned.amd_roots.clear();  // the real, pinned ARKs: the test ARK is not one of them
  Outcome r = Verify(report, Pki().BundlePem(), pinned);
  EXPECT_EQ(r.Status(kChain), CheckStatus::kFail);
  EXPECT_EQ(r.Status(kSignature), CheckStatus::kFail);
  EXPECT_NE(r.Detail(kSignature).find("not trusted"), std::string::npos);
  EXPECT_EQ(r.Exit(), 1);
}

TEST(SnpVerifierTest, ABundleRootMustBeThePinnedArk) {
  EvpPkeyPtr key = testing::LoadSnpVcekKey();
  const Bytes report = SnpReportBuilder().SignedWith(key.get());
  X509Ptr fake = testing::MakeLookAlikeArk();
  const std::string bundle =
      testing::CertToPem(Pki().vcek.get()) + testing::CertToPem(Pki().ask.get()) + testing::CertToPem(fake.get());
  Outcome r = Verify(report, bundle, OptionsFor(Pki()));
  EXPECT_EQ(r.Status(kChain), CheckStatus::kFail);
  EXPECT_NE(r.Detail(kChain).find("the bundle's ARK-Milan is not the pinned ARK-Milan"), std::string::npos);
  // Without a root in the bundle the chain still verifies: the ARK comes from the trust list.
  const std::string two = testing::CertToPem(Pki().ask.get()) + testing::CertToPem(Pki().vcek.get());
  EXPECT_EQ(Verify(report, two, OptionsFor(Pki())).Exit(), 0);
}

TEST(SnpVerifierTest, TrustingALookAlikeArkDoesNotVerifyTheRealChain) {
  EvpPkeyPtr key = testing::LoadSnpVcekKey();
  SnpOptions o = OptionsFor(Pki());
  o.amd_roots.clear();
  o.amd_roots.emplace_back(Certificate(testing::MakeLookAlikeArk()));
  const std::string two = testing::CertToPem(Pki().vcek.get()) + testing::CertToPem(Pki().ask.get());
  Outcome r = Verify(SnpReportBuilder().SignedWith(key.get()), two, o);
  EXPECT_EQ(r.Status(kChain), CheckStatus::kFail);
  EXPECT_NE(r.Detail(kChain).find("OpenSSL: unable to get local issuer certificate (error 20, depth 1"),
            std::string::npos)
      << r.Detail(kChain);
}

TEST(SnpVerifierTest, ValidityIsCheckedAtTheCheckTime) {
  EvpPkeyPtr key = testing::LoadSnpVcekKey();
  const Bytes report = SnpReportBuilder().SignedWith(key.get());
  SnpOptions late = OptionsFor(Pki());
  late.check_time = CheckTime::FromOptions(std::string("2029-11-29T00:00:01Z"));
  Outcome expired = Verify(report, Pki().BundlePem(), late);
  EXPECT_NE(expired.Detail(kChain).find("certificate has expired (error 10, depth 0"), std::string::npos);
  SnpOptions early = OptionsFor(Pki());
  early.check_time = CheckTime::FromOptions(std::string("2022-11-28T23:59:59Z"));
  Outcome not_yet = Verify(report, Pki().BundlePem(), early);
  EXPECT_NE(not_yet.Detail(kChain).find("certificate is not yet valid (error 9, depth 0"), std::string::npos);
  SnpOptions inside = OptionsFor(Pki());
  inside.check_time = CheckTime::FromOptions(std::string("2029-11-28T23:59:59Z"));
  EXPECT_EQ(Verify(report, Pki().BundlePem(), inside).Exit(), 0);
}

struct ChainVariant {
  const char* name;
  SnpPkiOptions options;
  const char* expected;  // substring of the certs.chain detail
};

TEST(SnpVerifierTest, CertificatesMustHaveAmdsExactShape) {
  SnpPkiOptions openssl_pss;
  openssl_pss.amd_pss_identifier = false;
  SnpPkiOptions pkcs1;
  pkcs1.vcek_pkcs1 = true;
  SnpPkiOptions rsa_vcek;
  rsa_vcek.vcek_rsa = true;
  SnpPkiOptions ask_without_akid;
  ask_without_akid.ask_akid = false;
  const ChainVariant variants[] = {
      {"OpenSSL's PSS encoding", openssl_pss, "ARK is not signed with AMD's RSASSA-PSS SHA-384 AlgorithmIdentifier"},
      {"PKCS#1 VCEK", pkcs1, "VCEK is not signed with AMD's RSASSA-PSS SHA-384 AlgorithmIdentifier"},
      {"RSA VCEK", rsa_vcek, "VCEK key is RSA-4096, not EC P-384"},
      {"ASK without AKID", ask_without_akid, "Missing Authority Key Identifier (error 85, depth 1"},
  };
  for (const ChainVariant& v : variants) {
    const SnpTestPki pki = MakeSnpTestPki(v.options);
    Bytes report = SnpReportBuilder().Unsigned();
    if (!v.options.vcek_rsa) report = SnpReportBuilder().SignedWith(pki.vcek_key.get());
    Outcome r = Verify(report, pki.BundlePem(), OptionsFor(pki));
    EXPECT_EQ(r.Status(kChain), CheckStatus::kFail) << v.name;
    EXPECT_NE(r.Detail(kChain).find(v.expected), std::string::npos) << v.name << ": " << r.Detail(kChain);
  }
  // Twin: a VCEK that does carry an AKID needs no tolerance.
  SnpPkiOptions with_akid;
  with_akid.vcek_akid = true;
  const SnpTestPki pki = MakeSnpTestPki(with_akid);
  Outcome r = VerifyWithPki(SnpReportBuilder(), pki, OptionsFor(pki));
  EXPECT_EQ(r.Exit(), 0) << FailedChecks(r.report);
  EXPECT_EQ(r.Detail(kChain).find("tolerated"), std::string::npos);
}

// The one tolerated error (docs/snp.md "Chain" step 4) is scoped to the
// leaf at depth 0. OpenSSL raises error 85 only for a certificate below the
// top of the path, so the ARK (always the path's top, the anchor) cannot
// carry it; the ASK can, and is refused.
TEST(SnpVerifierTest, TheMissingAuthorityKeyIdentifierIsToleratedOnTheLeafOnly) {
  const Outcome leaf_only = VerifyDefault(SnpReportBuilder());
  EXPECT_EQ(leaf_only.Exit(), 0) << FailedChecks(leaf_only.report);
  EXPECT_NE(leaf_only.Detail(kChain).find("; the leaf's missing authority key identifier (error 85) tolerated"),
            std::string::npos)
      << leaf_only.Detail(kChain);
  SnpPkiOptions both;
  both.ask_akid = false;  // the VCEK has none either (vcek_akid = false)
  const SnpTestPki pki = MakeSnpTestPki(both);
  const Outcome r = VerifyWithPki(SnpReportBuilder(), pki, OptionsFor(pki));
  EXPECT_EQ(r.Status(kChain), CheckStatus::kFail);
  EXPECT_EQ(r.Detail(kChain),
            "OpenSSL: Missing Authority Key Identifier (error 85, depth 1, CN=SEV-Milan,O=Advanced Micro "
            "Devices,ST=CA,L=Santa Clara,C=US,OU=Engineering)");
  EXPECT_EQ(r.Exit(), 1);
}

/// `cert` with the last byte of its signature flipped, as PEM.
std::string FlippedSignaturePem(X509* cert) {
  Bytes der = ToDer(i2d_X509, cert, "i2d_X509");
  der.back() ^= 0x01;
  const unsigned char* p = der.data();
  X509Ptr flipped(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  return testing::CertToPem(flipped.get());
}

TEST(SnpVerifierTest, ACertificateSignatureThatDoesNotVerifyBreaksTheChain) {
  EvpPkeyPtr key = testing::LoadSnpVcekKey();
  const Bytes report = SnpReportBuilder().SignedWith(key.get());
  const std::string vcek = testing::CertToPem(Pki().vcek.get());
  const std::string ask = testing::CertToPem(Pki().ask.get());
  const Outcome bad_vcek = Verify(report, FlippedSignaturePem(Pki().vcek.get()) + ask, OptionsFor(Pki()));
  EXPECT_EQ(bad_vcek.Status(kChain), CheckStatus::kFail);
  EXPECT_NE(bad_vcek.Detail(kChain).find("OpenSSL: certificate signature failure (error 7, depth 0"), std::string::npos)
      << bad_vcek.Detail(kChain);
  const Outcome bad_ask = Verify(report, vcek + FlippedSignaturePem(Pki().ask.get()), OptionsFor(Pki()));
  EXPECT_NE(bad_ask.Detail(kChain).find("OpenSSL: certificate signature failure (error 7, depth 1"), std::string::npos)
      << bad_ask.Detail(kChain);
  EXPECT_EQ(Verify(report, vcek + ask, OptionsFor(Pki())).Exit(), 0);
}

TEST(SnpVerifierTest, TheIntermediateMustBeIssuedByTheArkOfItsProduct) {
  SnpPkiOptions genoa;
  genoa.product = "Genoa";
  const SnpTestPki genoa_pki = MakeSnpTestPki(genoa);
  // Trust only the Milan test ARK: no ARK-Genoa to end in.
  Outcome r = VerifyWithPki(SnpReportBuilder(), genoa_pki, OptionsFor(Pki()));
  EXPECT_EQ(r.Status(kChain), CheckStatus::kFail);
  EXPECT_NE(r.Detail(kChain).find("no trusted ARK-Genoa issued SEV-Genoa"), std::string::npos) << r.Detail(kChain);
  // A Genoa ASK with a Milan ARK in the bundle is refused by role.
  const std::string mixed = testing::CertToPem(genoa_pki.vcek.get()) + testing::CertToPem(genoa_pki.ask.get()) +
                            testing::CertToPem(Pki().ark.get());
  Outcome m = Verify(SnpReportBuilder().SignedWith(genoa_pki.vcek_key.get()), mixed, OptionsFor(genoa_pki));
  EXPECT_NE(m.Detail(kChain).find("the bundle's ARK-Milan is not the root of SEV-Genoa"), std::string::npos);
  // Twin: Genoa with its own ARK verifies.
  EXPECT_EQ(VerifyWithPki(SnpReportBuilder(), genoa_pki, OptionsFor(genoa_pki)).Exit(), 0);
}

TEST(SnpVerifierTest, BundleRolesAreExact) {
  EvpPkeyPtr key = testing::LoadSnpVcekKey();
  const Bytes report = SnpReportBuilder().SignedWith(key.get());
  const std::string vcek = testing::CertToPem(Pki().vcek.get());
  const std::string ask = testing::CertToPem(Pki().ask.get());
  SnpPkiOptions other;
  other.vcek_tcb = testing::kTestTcb + 1;
  const std::string vcek2 = testing::CertToPem(MakeSnpTestPki(other).vcek.get());
  EXPECT_NE(Verify(report, ask, OptionsFor(Pki())).Detail(kChain).find("no SEV-VCEK or SEV-VLEK certificate"),
            std::string::npos);
  EXPECT_NE(Verify(report, vcek, OptionsFor(Pki())).Detail(kChain).find("no ASK"), std::string::npos);
  EXPECT_NE(Verify(report, vcek + ask + vcek2, OptionsFor(Pki())).Detail(kChain).find("two certificates"),
            std::string::npos);
}

TEST(SnpVerifierTest, ProductNameAndCpuidMustNameTheChainsProduct) {
  SnpPkiOptions genoa_name;
  genoa_name.vcek_product_name = "Genoa-B1";
  const SnpTestPki pki = MakeSnpTestPki(genoa_name);
  Outcome r = VerifyWithPki(SnpReportBuilder(), pki, OptionsFor(pki));
  EXPECT_EQ(r.Detail(kVcekExtensions), "productName \"Genoa-B1\" is not the chain's product Milan");
  Outcome cpuid = VerifyDefault(SnpReportBuilder().Version(3).Cpuid(0x19, 0x11, 0x01));
  EXPECT_EQ(cpuid.Detail(kVcekExtensions), "the report's CPUID family 25 model 17 is not a Milan processor");
  EXPECT_EQ(VerifyDefault(SnpReportBuilder().Version(3).Cpuid(0x19, 0x01, 0x01)).Exit(), 0);
}

TEST(SnpVerifierTest, SignatureMustVerifyWithTheVcek) {
  EvpPkeyPtr other = testing::LoadSnpOtherP384Key();
  Outcome wrong_key = Verify(SnpReportBuilder().SignedWith(other.get()), Pki().BundlePem(), OptionsFor(Pki()));
  EXPECT_EQ(wrong_key.Status(kSignature), CheckStatus::kFail);
  EvpPkeyPtr key = testing::LoadSnpVcekKey();
  Bytes tampered = SnpReportBuilder().SignedWith(key.get());
  tampered[0x90] ^= 1;  // MEASUREMENT
  EXPECT_EQ(Verify(tampered, Pki().BundlePem(), OptionsFor(Pki())).Status(kSignature), CheckStatus::kFail);
}

TEST(SnpVerifierTest, SignatureComponentsMustBeBelowTheOrder) {
  EvpPkeyPtr key = testing::LoadSnpVcekKey();
  const Bytes good = SnpReportBuilder().SignedWith(key.get());
  Bytes zero_r = good;
  std::fill(zero_r.begin() + 0x2A0, zero_r.begin() + 0x2E8, 0);
  EXPECT_EQ(Verify(zero_r, Pki().BundlePem(), OptionsFor(Pki())).Detail(kSignature), "signature r is zero (VCEK)");
  // s + n is the same residue but not below the order: refused, not reduced.
  using EcGroupPtr = std::unique_ptr<EC_GROUP, OpenSslFree<EC_GROUP_free>>;
  EcGroupPtr group(EC_GROUP_new_by_curve_name(NID_secp384r1));
  BignumPtr s(BN_lebin2bn(good.data() + 0x2E8, 72, nullptr));
  BignumPtr sum(BN_new());
  ASSERT_EQ(BN_add(sum.get(), s.get(), EC_GROUP_get0_order(group.get())), 1);
  Bytes s_plus_n = good;
  ASSERT_EQ(BN_bn2lebinpad(sum.get(), s_plus_n.data() + 0x2E8, 72), 72);
  EXPECT_EQ(Verify(s_plus_n, Pki().BundlePem(), OptionsFor(Pki())).Detail(kSignature),
            "signature s is not below the P-384 group order (VCEK)");
}

TEST(SnpVerifierTest, ReportedTcbMustEqualTheVcekAndCurrentAndCommittedAgree) {
  const std::uint64_t lower = testing::kTestTcb - (1ULL << 48);   // SNP 7
  const std::uint64_t higher = testing::kTestTcb + (1ULL << 48);  // SNP 9
  Outcome stale = VerifyDefault(SnpReportBuilder().AllTcbs(higher));
  EXPECT_EQ(stale.Status(kTcb), CheckStatus::kFail);
  EXPECT_NE(stale.Detail(kTcb).find("REPORTED_TCB (BL 3, TEE 0, SNP 9, UCODE 115) is not the VCEK's TCB (BL 3, TEE 0, "
                                    "SNP 8, UCODE 115)"),
            std::string::npos);
  EXPECT_EQ(VerifyDefault(SnpReportBuilder().AllTcbs(lower)).Status(kTcb), CheckStatus::kFail);
  Outcome below = VerifyDefault(SnpReportBuilder().CurrentTcb(lower).CommittedTcb(lower));
  EXPECT_NE(below.Detail(kTcb).find("CURRENT_TCB (BL 3, TEE 0, SNP 7, UCODE 115) is below REPORTED_TCB"),
            std::string::npos);
  Outcome provisional = VerifyDefault(SnpReportBuilder().CurrentTcb(higher));
  EXPECT_NE(provisional.Detail(kTcb).find("provisional firmware"), std::string::npos);
  Outcome firmware = VerifyDefault(SnpReportBuilder().U8(0x1EC, 3));
  EXPECT_NE(firmware.Detail(kTcb).find("committed firmware 1.52 build 3 is not the current 1.52 build 4"),
            std::string::npos);
  // Twin: CURRENT above REPORTED (and COMMITTED with it) is fine.
  EXPECT_EQ(VerifyDefault(SnpReportBuilder().CurrentTcb(higher).CommittedTcb(higher)).Exit(), 0);
}

TEST(SnpVerifierTest, MinimumTcbIsEnforcedPerComponent) {
  EvpPkeyPtr key = testing::LoadSnpVcekKey();
  const Bytes report = SnpReportBuilder().SignedWith(key.get());
  SnpOptions o = OptionsFor(Pki());
  o.min_tcb = ParseMinimumTcb("3.0.8.115");
  EXPECT_EQ(Verify(report, Pki().BundlePem(), o).Exit(), 0);
  o.min_tcb = ParseMinimumTcb("3.0.9.0");
  Outcome r = Verify(report, Pki().BundlePem(), o);
  EXPECT_EQ(r.Detail(kTcb), "REPORTED_TCB SNP 8 is below --min-tcb 9");
  o.min_tcb = ParseMinimumTcb("0.0.0.116");
  EXPECT_EQ(Verify(report, Pki().BundlePem(), o).Detail(kTcb), "REPORTED_TCB UCODE 115 is below --min-tcb 116");
}

TEST(SnpVerifierTest, ChipIdMustBeTheVcekHwid) {
  Bytes other = testing::TestChipId();
  other[63] ^= 1;
  EXPECT_EQ(VerifyDefault(SnpReportBuilder().ChipId(other)).Status(kChipId), CheckStatus::kFail);
  const Bytes zero(64, 0);
  Outcome masked = VerifyDefault(SnpReportBuilder().ChipId(zero).SignerInfo(2));
  EXPECT_EQ(masked.Status(kChipId), CheckStatus::kWarn);
  EXPECT_EQ(masked.Exit(), 0);
  EXPECT_EQ(VerifyDefault(SnpReportBuilder().ChipId(zero)).Detail(kChipId),
            "CHIP_ID is zero but MASK_CHIP_KEY is clear");
  EXPECT_EQ(VerifyDefault(SnpReportBuilder().SignerInfo(2)).Detail(kChipId),
            "MASK_CHIP_KEY is set but CHIP_ID is not "
            "zero");
}

TEST(SnpVerifierTest, VmplMustBeTheRequiredOne) {
  EvpPkeyPtr key = testing::LoadSnpVcekKey();
  const Bytes report = SnpReportBuilder().Vmpl(1).SignedWith(key.get());
  SnpOptions o = OptionsFor(Pki());
  EXPECT_EQ(Verify(report, Pki().BundlePem(), o).Detail(kVmpl), "VMPL is 1; required 0 (--vmpl)");
  o.vmpl = 1;
  EXPECT_EQ(Verify(report, Pki().BundlePem(), o).Exit(), 0);
}

TEST(SnpVerifierTest, DebugPolicyIsRefusedUnlessAllowed) {
  EvpPkeyPtr key = testing::LoadSnpVcekKey();
  const Bytes report = SnpReportBuilder().Policy(0x3001fULL | (1ULL << 19)).SignedWith(key.get());
  SnpOptions o = OptionsFor(Pki());
  Outcome refused = Verify(report, Pki().BundlePem(), o);
  EXPECT_EQ(refused.Status(kPolicy), CheckStatus::kFail);
  EXPECT_EQ(refused.Exit(), 1);
  o.allow_debug = true;
  Outcome allowed = Verify(report, Pki().BundlePem(), o);
  EXPECT_EQ(allowed.Status(kPolicy), CheckStatus::kWarn);
  EXPECT_EQ(allowed.Exit(), 0);
  // Migration agent and SMT are shown, not refused.
  Outcome shown = VerifyDefault(SnpReportBuilder().Policy(0x3001fULL | (1ULL << 18)));
  EXPECT_EQ(shown.Status(kPolicy), CheckStatus::kPass);
  EXPECT_NE(shown.Detail(kPolicy).find("migration agent allowed"), std::string::npos);
}

TEST(SnpVerifierTest, ReportDataBindsTheRuntimeData) {
  const std::string runtime = "{\n   \"akey\" : \"avalue\"\n}\n";
  Bytes rd = Sha256(AsBytes(runtime));
  rd.resize(64, 0);
  EvpPkeyPtr key = testing::LoadSnpVcekKey();
  const Bytes report = SnpReportBuilder().ReportData(rd).SignedWith(key.get());
  SnpOptions o = OptionsFor(Pki());
  o.runtime_data = Bytes(runtime.begin(), runtime.end());
  EXPECT_EQ(Verify(report, Pki().BundlePem(), o).Status(kReportData), CheckStatus::kPass);
  o.runtime_data->push_back(' ');
  EXPECT_EQ(Verify(report, Pki().BundlePem(), o).Status(kReportData), CheckStatus::kFail);
  // The hash must be followed by zeros, not by anything.
  rd[63] = 1;
  o.runtime_data->pop_back();
  EXPECT_EQ(Verify(SnpReportBuilder().ReportData(rd).SignedWith(key.get()), Pki().BundlePem(), o).Status(kReportData),
            CheckStatus::kFail);
}

TEST(SnpVerifierTest, HostDataBindsThePolicy) {
  const std::string rego = "package policy\n";
  const Bytes hd = HostDataOfPolicyText(AsBytes(rego));
  EvpPkeyPtr key = testing::LoadSnpVcekKey();
  const Bytes report = SnpReportBuilder().HostData(hd).SignedWith(key.get());
  SnpOptions o = OptionsFor(Pki());
  o.host_data = hd;
  o.host_data_source = "the policy";
  EXPECT_EQ(Verify(report, Pki().BundlePem(), o).Status(kHostData), CheckStatus::kPass);
  o.host_data = HostDataOfPolicyText(AsBytes("package policy2\n"));
  EXPECT_EQ(Verify(report, Pki().BundlePem(), o).Status(kHostData), CheckStatus::kFail);
  EXPECT_EQ(HostDataOfPolicyBase64(AsBytes("cGFja2FnZSBwb2xpY3kK\n")), hd);
}

TEST(SnpVerifierTest, TurinReportsUseTheTurinLayoutAndShortHwid) {
  SnpPkiOptions o;
  o.product = "Turin";
  o.vcek_tcb = 0x2d00000000150201ULL;
  Bytes hwid(8);
  for (std::size_t i = 0; i < 8; ++i) hwid[i] = static_cast<std::uint8_t>(0x10 + i);
  o.vcek_extensions = testing::DefaultKdsExtensions("Turin-B0", o.vcek_tcb, hwid);
  const SnpTestPki pki = MakeSnpTestPki(o);
  Bytes chip = hwid;
  chip.resize(64, 0);
  SnpReportBuilder b;
  b.Version(3).Cpuid(0x1A, 0x02, 0x01).AllTcbs(o.vcek_tcb).ChipId(chip);
  Outcome r = VerifyWithPki(b, pki, OptionsFor(pki));
  EXPECT_EQ(r.Exit(), 0) << FailedChecks(r.report);
  EXPECT_EQ(r.report.facts["report"]["reported_tcb"]["fmc"], 1);
  chip[8] = 1;  // beyond the 8-byte hwID
  EXPECT_EQ(VerifyWithPki(b.ChipId(chip), pki, OptionsFor(pki)).Status(kChipId), CheckStatus::kFail);
}

TEST(SnpVerifierTest, OptionParsersRefuseMalformedValues) {
  EXPECT_THROW(ParseMinimumTcb("3.0.8"), UsageError);
  EXPECT_THROW(ParseMinimumTcb("3.0.8.256"), UsageError);
  EXPECT_THROW(ParseMinimumTcb("3.0.8.115.1"), UsageError);
  EXPECT_THROW(ParseMinimumTcb("3..8.115"), UsageError);
  EXPECT_THROW(ParseMinimumTcb("03.0.8.115"), UsageError);
  EXPECT_THROW(ParseMinimumTcb("+3.0.8.115"), UsageError);
  const MinimumTcb t = ParseMinimumTcb("3.0.8.255");
  EXPECT_EQ(t.microcode, 255);
  EXPECT_THROW(ParseHostDataHex("cadd"), UsageError);
  EXPECT_THROW(ParseHostDataHex(std::string(63, 'a') + "g"), UsageError);
  EXPECT_EQ(ParseHostDataHex(std::string(64, 'A')).size(), 32u);
  EXPECT_THROW(HostDataOfPolicyBase64(AsBytes("not base64!")), UsageError);
  EXPECT_THROW(HostDataOfPolicyBase64(AsBytes("cGFja2FnZSBwb2xpY3kK\n\n")), UsageError);
}

}  // namespace
}  // namespace keyattest::snp

namespace keyattest::snp {
namespace {

// A parse cache shared by many verifications changes nothing but the work:
// genuine, forged and malformed inputs, interleaved, each get the very
// report they get without it, and a forged certificate after the genuine
// one (and the genuine one after it) is judged on its own bytes.
TEST(SnpVerifierTest, ASharedParseCacheGivesEveryInputItsOwnReport) {
  EvpPkeyPtr key = testing::LoadSnpVcekKey();
  const Bytes report = SnpReportBuilder().SignedWith(key.get());
  Bytes forged_report = report;
  forged_report[0x50] ^= 0x01;  // a signed byte of REPORT_DATA: the signature no longer verifies
  const std::string vcek = testing::CertToPem(Pki().vcek.get());
  const std::string ask = testing::CertToPem(Pki().ask.get());
  const std::string bad_vcek = FlippedSignaturePem(Pki().vcek.get()) + ask;
  SnpOptions cached = OptionsFor(Pki());
  cached.certificate_cache = std::make_shared<CertificateCache>();
  const std::pair<const Bytes*, std::string> inputs[] = {
      {&report, vcek + ask},        {&report, bad_vcek},  {&report, vcek + ask}, {&report, Pki().ThimJson()},
      {&forged_report, vcek + ask}, {&report, "not PEM"}, {&report, bad_vcek},   {&report, vcek + ask},
  };
  int verified = 0;
  for (const auto& [bytes, certs] : inputs) {
    const Report plain = VerifySnpReport(*bytes, AsBytes(certs), OptionsFor(Pki()));
    const Report with_cache = VerifySnpReport(*bytes, AsBytes(certs), cached);
    ASSERT_EQ(with_cache.checks.size(), plain.checks.size());
    for (std::size_t i = 0; i < plain.checks.size(); ++i) {
      EXPECT_EQ(with_cache.checks[i].id.view(), plain.checks[i].id.view());
      EXPECT_EQ(with_cache.checks[i].status, plain.checks[i].status) << plain.checks[i].id;
      EXPECT_EQ(with_cache.checks[i].detail, plain.checks[i].detail) << plain.checks[i].id;
    }
    EXPECT_EQ(with_cache.facts, plain.facts);
    EXPECT_EQ(with_cache.exit_code(), plain.exit_code());
    if (with_cache.exit_code() == ExitCode::kVerified) ++verified;
  }
  EXPECT_EQ(verified, 4);  // the genuine chain three times, and the THIM form
}

}  // namespace
}  // namespace keyattest::snp
