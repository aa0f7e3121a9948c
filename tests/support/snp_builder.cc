#include "tests/support/snp_builder.h"

#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "keyattest/amd/kds_extensions.h"
#include "keyattest/snp/amd_chain.h"
#include "tests/support/der_edit.h"
#include "tests/support/test_keys.h"

namespace keyattest::testing {

namespace {

// TEST-ONLY keys: they protect nothing.
constexpr char kVcekP384Pem[] = R"PEM(-----BEGIN PRIVATE KEY-----
MIG2AgEAMBAGByqGSM49AgEGBSuBBAAiBIGeMIGbAgEBBDAPbCxrqKsMfovbULDl
IaPPZxltepNUtVGM98HtRFewXHOaMEByJ3rxjejOdvwGtO2hZANiAARqh+H3UimU
pyCZWDJe260pl6+z5tXtTLiUyWzNIVyn9365pFCn1LHbTc0F234pAzFVZD0o9YjN
02eKC0jBKHIFeaRY4TRvZi6Kk6LcRvpANR/cqBOeiqs/BqHZIY4Dd2E=
-----END PRIVATE KEY-----
)PEM";
constexpr char kOtherP384Pem[] = R"PEM(-----BEGIN PRIVATE KEY-----
MIG2AgEAMBAGByqGSM49AgEGBSuBBAAiBIGeMIGbAgEBBDCE/pVFfjFCHmr7A7gD
gNcfZMWTYze7R66zRH8JYWR1QQB5Gm/EksGg4/pB9vFP8W6hZANiAASUunsUr0Ea
Q/Ni8BeamkfJhhJ/6skX6YD5KWNTerTKr8Vj4H5toZsZMMlvB9WkDsRyG3qSCt4q
p48aURJu4QDpKhuyMp7D7+0h9E+NdRPFqjogG/7S4gqIrDJS3clftgA=
-----END PRIVATE KEY-----
)PEM";

using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, OpenSslFree<ECDSA_SIG_free>>;
struct OpenSslBytesFree {
  void operator()(unsigned char* p) const noexcept { OPENSSL_free(p); }
};
using X509AlgorPtr = std::unique_ptr<X509_ALGOR, OpenSslFree<X509_ALGOR_free>>;

EvpPkeyPtr KeyFromPem(const char* pem) {
  BioPtr bio(CheckNotNull(BIO_new_mem_buf(pem, -1), "BIO_new_mem_buf"));
  return EvpPkeyPtr(CheckNotNull(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr), "PEM_read"));
}

X509NamePtr AmdName(const std::string& cn) {
  X509NamePtr name(CheckNotNull(X509_NAME_new(), "X509_NAME_new"));
  const std::pair<const char*, const char*> entries[] = {
      {"OU", "Engineering"}, {"C", "US"}, {"L", "Santa Clara"}, {"ST", "CA"}, {"O", "Advanced Micro Devices"}};
  for (const auto& [field, value] : entries) {
    CheckOpenSsl(X509_NAME_add_entry_by_txt(name.get(), field, MBSTRING_UTF8,
                                            reinterpret_cast<const unsigned char*>(value), -1, -1, 0) == 1,
                 "X509_NAME_add_entry_by_txt");
  }
  CheckOpenSsl(X509_NAME_add_entry_by_txt(name.get(), "CN", MBSTRING_UTF8,
                                          reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0) == 1,
               "X509_NAME_add_entry_by_txt");
  return name;
}

void AddConf(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509ExtensionPtr ext(CheckNotNull(X509V3_EXT_nconf_nid(nullptr, &ctx, nid, value), "X509V3_EXT_nconf_nid"));
  CheckOpenSsl(X509_add_ext(cert, ext.get(), -1) == 1, "X509_add_ext");
}

void AddRaw(X509* cert, const std::string& oid, const Bytes& value) {
  using Asn1ObjectPtr = std::unique_ptr<ASN1_OBJECT, OpenSslFree<ASN1_OBJECT_free>>;
  using OctetPtr = std::unique_ptr<ASN1_OCTET_STRING, OpenSslFree<ASN1_OCTET_STRING_free>>;
  Asn1ObjectPtr obj(CheckNotNull(OBJ_txt2obj(oid.c_str(), 1), "OBJ_txt2obj"));
  OctetPtr octets(CheckNotNull(ASN1_OCTET_STRING_new(), "ASN1_OCTET_STRING_new"));
  CheckOpenSsl(ASN1_OCTET_STRING_set(octets.get(), value.data(), static_cast<int>(value.size())) == 1,
               "ASN1_OCTET_STRING_set");
  X509ExtensionPtr ext(
      CheckNotNull(X509_EXTENSION_create_by_OBJ(nullptr, obj.get(), 0, octets.get()), "X509_EXTENSION_create_by_OBJ"));
  CheckOpenSsl(X509_add_ext(cert, ext.get(), -1) == 1, "X509_add_ext");
}

/// Signs with RSASSA-PSS SHA-384 (MGF1 SHA-384, salt 48). With `amd_exact`
/// both AlgorithmIdentifiers are AMD's bytes (trailer field written out),
/// which OpenSSL's own signing never produces, so the TBS is re-encoded and
/// signed by hand.
void SignPss(X509* cert, EVP_PKEY* key, bool amd_exact) {
  EvpMdCtxPtr md(CheckNotNull(EVP_MD_CTX_new(), "EVP_MD_CTX_new"));
  EVP_PKEY_CTX* pctx = nullptr;
  CheckOpenSsl(EVP_DigestSignInit(md.get(), &pctx, EVP_sha384(), nullptr, key) == 1, "EVP_DigestSignInit");
  CheckOpenSsl(EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) > 0, "set_rsa_padding");
  CheckOpenSsl(EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, 48) > 0, "set_rsa_pss_saltlen");
  CheckOpenSsl(EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha384()) > 0, "set_rsa_mgf1_md");
  CheckOpenSsl(X509_sign_ctx(cert, md.get()) > 0, "X509_sign_ctx");
  if (!amd_exact) return;
  const Bytes& alg = snp::kAmdRsaPssSha384AlgorithmIdentifier;
  const unsigned char* p = alg.data();
  X509AlgorPtr amd(CheckNotNull(d2i_X509_ALGOR(nullptr, &p, static_cast<long>(alg.size())), "d2i_X509_ALGOR"));
  const ASN1_BIT_STRING* sig_c = nullptr;
  const X509_ALGOR* outer_c = nullptr;
  X509_get0_signature(&sig_c, &outer_c, cert);
  // Test code only: OpenSSL exposes no setter for these two fields.
  CheckOpenSsl(X509_ALGOR_copy(const_cast<X509_ALGOR*>(X509_get0_tbs_sigalg(cert)), amd.get()) == 1, "copy");
  CheckOpenSsl(X509_ALGOR_copy(const_cast<X509_ALGOR*>(outer_c), amd.get()) == 1, "copy");
  unsigned char* tbs = nullptr;
  const int tbs_len = i2d_re_X509_tbs(cert, &tbs);
  CheckOpenSsl(tbs_len > 0, "i2d_re_X509_tbs");
  std::unique_ptr<unsigned char, OpenSslBytesFree> tbs_owner(tbs);
  EvpMdCtxPtr md2(CheckNotNull(EVP_MD_CTX_new(), "EVP_MD_CTX_new"));
  CheckOpenSsl(EVP_DigestSignInit(md2.get(), &pctx, EVP_sha384(), nullptr, key) == 1, "EVP_DigestSignInit");
  CheckOpenSsl(EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) > 0, "set_rsa_padding");
  CheckOpenSsl(EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, 48) > 0, "set_rsa_pss_saltlen");
  CheckOpenSsl(EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha384()) > 0, "set_rsa_mgf1_md");
  std::size_t sig_len = 0;
  CheckOpenSsl(EVP_DigestSign(md2.get(), nullptr, &sig_len, tbs, static_cast<std::size_t>(tbs_len)) == 1, "size");
  Bytes sig(sig_len);
  CheckOpenSsl(EVP_DigestSign(md2.get(), sig.data(), &sig_len, tbs, static_cast<std::size_t>(tbs_len)) == 1, "sign");
  auto* bits = const_cast<ASN1_BIT_STRING*>(sig_c);
  CheckOpenSsl(ASN1_BIT_STRING_set(bits, sig.data(), static_cast<int>(sig_len)) == 1, "ASN1_BIT_STRING_set");
  bits->flags &= ~(ASN1_STRING_FLAG_BITS_LEFT | 0x07);
  bits->flags |= ASN1_STRING_FLAG_BITS_LEFT;
}

/// A fresh decode of `cert`'s DER, so no cached state survives the edits.
X509Ptr Reparse(X509* cert) {
  const Bytes der = ToDer(i2d_X509, cert, "i2d_X509");
  const unsigned char* p = der.data();
  return X509Ptr(CheckNotNull(d2i_X509(nullptr, &p, static_cast<long>(der.size())), "d2i_X509"));
}

struct Issue {
  std::string cn;
  long serial = 0;
  Validity validity{};
  EVP_PKEY* subject_key = nullptr;
  X509* issuer = nullptr;  // nullptr = self-signed
  EVP_PKEY* issuer_key = nullptr;
};

X509Ptr NewCert(const Issue& in) {
  X509Ptr cert(CheckNotNull(X509_new(), "X509_new"));
  CheckOpenSsl(X509_set_version(cert.get(), X509_VERSION_3) == 1, "X509_set_version");
  CheckOpenSsl(ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), in.serial) == 1, "ASN1_INTEGER_set");
  CheckOpenSsl(ASN1_TIME_set(X509_getm_notBefore(cert.get()), in.validity.not_before) != nullptr, "notBefore");
  CheckOpenSsl(ASN1_TIME_set(X509_getm_notAfter(cert.get()), in.validity.not_after) != nullptr, "notAfter");
  X509NamePtr subject = AmdName(in.cn);
  CheckOpenSsl(X509_set_subject_name(cert.get(), subject.get()) == 1, "X509_set_subject_name");
  CheckOpenSsl(
      X509_set_issuer_name(cert.get(), in.issuer != nullptr ? X509_get_subject_name(in.issuer) : subject.get()) == 1,
      "X509_set_issuer_name");
  CheckOpenSsl(X509_set_pubkey(cert.get(), in.subject_key) == 1, "X509_set_pubkey");
  return cert;
}

X509Ptr MakeArk(const std::string& product, EVP_PKEY* key, const SnpPkiOptions& o) {
  X509Ptr ark = NewCert({"ARK-" + product, 0x10000, o.ark_validity, key, nullptr, key});
  AddConf(ark.get(), ark.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
  AddConf(ark.get(), ark.get(), NID_basic_constraints, "critical,CA:TRUE");
  AddConf(ark.get(), ark.get(), NID_subject_key_identifier, "hash");
  SignPss(ark.get(), key, o.amd_pss_identifier);
  return Reparse(ark.get());
}

}  // namespace

EvpPkeyPtr LoadSnpVcekKey() { return KeyFromPem(kVcekP384Pem); }
EvpPkeyPtr LoadSnpOtherP384Key() { return KeyFromPem(kOtherP384Pem); }

Bytes TestChipId() {
  Bytes id(64);
  for (std::size_t i = 0; i < id.size(); ++i) id[i] = static_cast<std::uint8_t>(0xA0 + i);
  return id;
}

Bytes DerU8(std::uint8_t v) {
  if (v < 0x80) return {0x02, 0x01, v};
  return {0x02, 0x02, 0x00, v};
}

KdsExtensionMap DefaultKdsExtensions(const std::string& product_name, std::uint64_t tcb, const Bytes& hwid) {
  auto byte = [tcb](int i) { return static_cast<std::uint8_t>(tcb >> (8 * i)); };
  KdsExtensionMap m;
  m["1"] = DerU8(0);
  Bytes name = {0x16, static_cast<std::uint8_t>(product_name.size())};
  name.insert(name.end(), product_name.begin(), product_name.end());
  m["2"] = name;
  if (product_name.rfind("Turin", 0) == 0) {
    m["3.9"] = DerU8(byte(0));
    m["3.1"] = DerU8(byte(1));
    m["3.2"] = DerU8(byte(2));
    m["3.3"] = DerU8(byte(3));
  } else {
    m["3.1"] = DerU8(byte(0));
    m["3.2"] = DerU8(byte(1));
    for (int i = 0; i < 4; ++i) m["3." + std::to_string(4 + i)] = DerU8(byte(2 + i));
    m["3.3"] = DerU8(byte(6));
  }
  m["3.8"] = DerU8(byte(7));
  m["4"] = hwid;
  return m;
}

SnpTestPki MakeSnpTestPki(const SnpPkiOptions& o) {
  SnpTestPki pki;
  pki.ark_key = LoadTestKey(TestKeyId::kRootRsa4096);
  pki.ask_key = LoadTestKey(TestKeyId::kPartitionRsa4096);
  pki.vcek_key = o.vcek_rsa ? LoadTestKey(TestKeyId::kRootRsa4096) : LoadSnpVcekKey();
  pki.ark = MakeArk(o.product, pki.ark_key.get(), o);

  const std::string ask_cn = (o.vlek ? "SEV-VLEK-" : "SEV-") + o.product;
  X509Ptr ask = NewCert({ask_cn, 0x10001, o.ask_validity, pki.ask_key.get(), pki.ark.get(), pki.ark_key.get()});
  AddConf(ask.get(), pki.ark.get(), NID_basic_constraints, "critical,CA:TRUE,pathlen:0");
  AddConf(ask.get(), pki.ark.get(), NID_key_usage, "critical,keyCertSign");
  AddConf(ask.get(), pki.ark.get(), NID_subject_key_identifier, "hash");
  if (o.ask_akid) AddConf(ask.get(), pki.ark.get(), NID_authority_key_identifier, "keyid:always");
  SignPss(ask.get(), pki.ark_key.get(), o.amd_pss_identifier);
  pki.ask = Reparse(ask.get());

  X509Ptr vcek = NewCert(
      {o.vlek ? "SEV-VLEK" : "SEV-VCEK", 0, o.vcek_validity, pki.vcek_key.get(), pki.ask.get(), pki.ask_key.get()});
  const std::string product_name = o.vcek_product_name.empty() ? o.product + "-B0" : o.vcek_product_name;
  KdsExtensionMap exts =
      o.vcek_extensions ? *o.vcek_extensions : DefaultKdsExtensions(product_name, o.vcek_tcb, TestChipId());
  if (!o.vcek_extensions && o.vlek) {
    exts.erase("4");
    exts["5"] = {0x16, 0x05, 'A', 'z', 'u', 'r', 'e'};
  }
  for (const auto& [suffix, value] : exts) AddRaw(vcek.get(), amd::kKdsOidPrefix + suffix, value);
  if (o.vcek_akid) AddConf(vcek.get(), pki.ask.get(), NID_authority_key_identifier, "keyid:always");
  const auto sign_vcek = [&pki, &o](X509* cert) {
    if (o.vcek_pkcs1) {
      CheckOpenSsl(X509_sign(cert, pki.ask_key.get(), EVP_sha384()) > 0, "X509_sign");
    } else {
      SignPss(cert, pki.ask_key.get(), o.amd_pss_identifier);
    }
  };
  sign_vcek(vcek.get());
  if (o.vcek_explicit_critical_false) {
    // OpenSSL keeps the explicit FALSE it decodes and signs it as it is.
    vcek = DecodeCertificate(WithExplicitCriticalFalse(ToDer(i2d_X509, vcek.get(), "i2d_X509"), 0));
    sign_vcek(vcek.get());
  }
  pki.vcek = Reparse(vcek.get());
  return pki;
}

X509Ptr MakeLookAlikeArk(const std::string& product) {
  EvpPkeyPtr key = LoadTestKey(TestKeyId::kPartitionRsa4096);
  return MakeArk(product, key.get(), SnpPkiOptions{});
}

std::string SnpTestPki::ArkPem() const { return CertToPem(ark.get()); }

std::string SnpTestPki::BundlePem() const {
  return CertToPem(vcek.get()) + CertToPem(ask.get()) + CertToPem(ark.get());
}

std::string SnpTestPki::ThimJson(std::uint64_t tcbm) const {
  char hex[17];
  std::snprintf(hex, sizeof(hex), "%016llx", static_cast<unsigned long long>(tcbm));
  nlohmann::ordered_json doc = {{"vcekCert", CertToPem(vcek.get())},
                                {"tcbm", hex},
                                {"certificateChain", CertToPem(ask.get()) + CertToPem(ark.get())},
                                {"cacheControl", "86400"}};
  return doc.dump(4);
}

SnpReportBuilder::SnpReportBuilder() : bytes_(0x4A0, 0) {
  Version(2);
  U32(0x004, 2);  // GUEST_SVN
  Policy(0x3001f);
  bytes_[0x010] = 1;  // FAMILY_ID
  bytes_[0x020] = 2;  // IMAGE_ID
  SignatureAlgo(1);
  U64(0x040, 1);  // PLATFORM_INFO: SMT enabled
  AllTcbs(kTestTcb);
  ChipId(TestChipId());
  U8(0x1E8, 4).U8(0x1E9, 52).U8(0x1EA, 1);                        // CURRENT firmware 1.52 build 4
  U8(0x1EC, 4).U8(0x1ED, 52).U8(0x1EE, 1);                        // COMMITTED
  for (std::size_t i = 0; i < 32; ++i) bytes_[0x160 + i] = 0xff;  // REPORT_ID_MA: none
}

SnpReportBuilder& SnpReportBuilder::U8(std::size_t offset, std::uint8_t v) {
  bytes_.at(offset) = v;
  return *this;
}

SnpReportBuilder& SnpReportBuilder::U32(std::size_t offset, std::uint32_t v) {
  for (std::size_t i = 0; i < 4; ++i) bytes_.at(offset + i) = static_cast<std::uint8_t>(v >> (8 * i));
  return *this;
}

SnpReportBuilder& SnpReportBuilder::U64(std::size_t offset, std::uint64_t v) {
  for (std::size_t i = 0; i < 8; ++i) bytes_.at(offset + i) = static_cast<std::uint8_t>(v >> (8 * i));
  return *this;
}

SnpReportBuilder& SnpReportBuilder::Put(std::size_t offset, ByteSpan v) {
  if (offset + v.size() > bytes_.size()) throw std::out_of_range("SnpReportBuilder::Put");
  std::copy(v.begin(), v.end(), bytes_.begin() + static_cast<std::ptrdiff_t>(offset));
  return *this;
}

SnpReportBuilder& SnpReportBuilder::Cpuid(std::uint8_t family, std::uint8_t model, std::uint8_t stepping) {
  return U8(0x188, family).U8(0x189, model).U8(0x18A, stepping);
}

SnpReportBuilder& SnpReportBuilder::AllTcbs(std::uint64_t v) {
  return CurrentTcb(v).ReportedTcb(v).CommittedTcb(v).LaunchTcb(v);
}

void PutSignature(Bytes& report, const Bytes& r, const Bytes& s) {
  if (r.size() > 72 || s.size() > 72) throw std::invalid_argument("PutSignature: component over 72 bytes");
  std::fill(report.begin() + 0x2A0, report.begin() + 0x330, 0);
  for (std::size_t i = 0; i < r.size(); ++i) report[0x2A0 + i] = r[r.size() - 1 - i];
  for (std::size_t i = 0; i < s.size(); ++i) report[0x2E8 + i] = s[s.size() - 1 - i];
}

Bytes SnpReportBuilder::SignedWith(EVP_PKEY* key) const {
  Bytes out = bytes_;
  EvpMdCtxPtr md(CheckNotNull(EVP_MD_CTX_new(), "EVP_MD_CTX_new"));
  CheckOpenSsl(EVP_DigestSignInit(md.get(), nullptr, EVP_sha384(), nullptr, key) == 1, "EVP_DigestSignInit");
  std::size_t len = 0;
  CheckOpenSsl(EVP_DigestSign(md.get(), nullptr, &len, out.data(), 0x2A0) == 1, "EVP_DigestSign");
  Bytes der(len);
  CheckOpenSsl(EVP_DigestSign(md.get(), der.data(), &len, out.data(), 0x2A0) == 1, "EVP_DigestSign");
  const unsigned char* p = der.data();
  EcdsaSigPtr sig(CheckNotNull(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(len)), "d2i_ECDSA_SIG"));
  auto big = [](const BIGNUM* bn) {
    Bytes b(static_cast<std::size_t>(BN_num_bytes(bn)));
    BN_bn2bin(bn, b.data());
    return b;
  };
  PutSignature(out, big(ECDSA_SIG_get0_r(sig.get())), big(ECDSA_SIG_get0_s(sig.get())));
  return out;
}

}  // namespace keyattest::testing
