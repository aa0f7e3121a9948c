#include "tests/support/sgx_quote_builder.h"

#include <openssl/ec.h>
#include <openssl/pem.h>

#include <algorithm>

#include "tests/support/test_pki.h"

namespace keyattest::testing {

namespace {

void PutLe(Bytes& out, std::uint64_t v, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

void Put(Bytes& out, const Bytes& bytes, std::size_t n) {
  Bytes copy = bytes;
  copy.resize(n, 0);
  out.insert(out.end(), copy.begin(), copy.end());
}

// A 384-byte report body (docs/sgx-evidence.md §3.2).
Bytes ReportBody(std::uint64_t flags, const Bytes& mrenclave, const Bytes& mrsigner, std::uint16_t prod,
                 std::uint16_t svn, const Bytes& report_data) {
  Bytes b;
  Put(b, Bytes(16, 0x0f), 16);  // cpu_svn
  PutLe(b, 0, 4);               // misc_select
  Put(b, {}, 28);               // reserved1 + isv_ext_prod_id
  PutLe(b, flags, 8);
  PutLe(b, 0x7, 8);  // xfrm
  Put(b, mrenclave, 32);
  Put(b, {}, 32);
  Put(b, mrsigner, 32);
  Put(b, {}, 96);  // reserved3 + config_id
  PutLe(b, prod, 2);
  PutLe(b, svn, 2);
  PutLe(b, 0, 2);
  Put(b, {}, 58);  // reserved4 + isv_family_id
  Put(b, report_data, 64);
  return b;
}

Bytes RawSignature(EVP_PKEY* key, ByteSpan message) {
  EvpMdCtxPtr md(CheckNotNull(EVP_MD_CTX_new(), "EVP_MD_CTX_new"));
  CheckOpenSsl(EVP_DigestSignInit(md.get(), nullptr, EVP_sha256(), nullptr, key) == 1, "EVP_DigestSignInit");
  std::size_t len = 0;
  CheckOpenSsl(EVP_DigestSign(md.get(), nullptr, &len, message.data(), message.size()) == 1, "EVP_DigestSign");
  Bytes der(len);
  CheckOpenSsl(EVP_DigestSign(md.get(), der.data(), &len, message.data(), message.size()) == 1, "EVP_DigestSign");
  const unsigned char* p = der.data();
  std::unique_ptr<ECDSA_SIG, OpenSslFree<ECDSA_SIG_free>> sig(
      CheckNotNull(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(len)), "d2i_ECDSA_SIG"));
  Bytes out(64);
  CheckOpenSsl(BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), out.data(), 32) == 32, "BN_bn2binpad");
  CheckOpenSsl(BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), out.data() + 32, 32) == 32, "BN_bn2binpad");
  return out;
}

Bytes RawPublicKey(EVP_PKEY* key) {
  Bytes point(65);
  std::size_t len = 0;
  CheckOpenSsl(
      EVP_PKEY_get_octet_string_param(key, "encoded-pub-key", point.data(), point.size(), &len) == 1 && len == 65,
      "EVP_PKEY_get_octet_string_param");
  return Bytes(point.begin() + 1, point.end());
}

std::string PemOf(X509* cert) { return CertToPem(cert); }

}  // namespace

EvpPkeyPtr GenerateP256Key() {
  return EvpPkeyPtr(CheckNotNull(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"), "EVP_PKEY_Q_keygen"));
}

Bytes SgxTestPki::CertificationData() const {
  const std::string text = PemOf(pck.get()) + PemOf(ca.get()) + PemOf(root.get());
  Bytes out(text.begin(), text.end());
  out.push_back(0);
  return out;
}

SgxTestPki MakeSgxTestPki() {
  SgxTestPki pki;
  pki.root_key = GenerateP256Key();
  pki.ca_key = GenerateP256Key();
  pki.pck_key = GenerateP256Key();
  const NameEntries intel = {{"CN", ""}, {"O", "Intel Corporation"}, {"L", "Santa Clara"}, {"ST", "CA"}, {"C", "US"}};
  auto named = [&](const std::string& cn) {
    NameEntries n = intel;
    n[0].second = cn;
    return n;
  };
  const CertSpec root = CaSpec(named("Intel SGX Root CA"), 1, Utc(2018, 5, 21), Utc(2049, 12, 31));
  pki.root = IssueCertificate(root, pki.root_key.get(), nullptr, pki.root_key.get());
  const CertSpec ca = CaSpec(named("Intel SGX PCK Platform CA"), 2, Utc(2018, 5, 21), Utc(2033, 5, 21));
  pki.ca = IssueCertificate(ca, pki.ca_key.get(), pki.root.get(), pki.root_key.get());
  CertSpec pck;
  pck.subject = named("Intel SGX PCK Certificate");
  pck.serial = 3;
  pck.not_before = Utc(2023, 2, 15);
  pck.not_after = Utc(2030, 2, 15);
  pck.basic_constraints_ca = false;
  pck.key_usage = KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION;
  pck.add_ski_aki = true;
  pki.pck = IssueCertificate(pck, pki.pck_key.get(), pki.ca.get(), pki.ca_key.get());
  return pki;
}

Bytes BuildSgxQuote(const SgxQuoteSpec& spec, const SgxTestPki& pki) {
  EvpPkeyPtr attestation_key = GenerateP256Key();
  const Bytes ak = RawPublicKey(attestation_key.get());
  Bytes quote;
  PutLe(quote, spec.version, 2);
  PutLe(quote, 2, 2);  // ECDSA P-256
  PutLe(quote, 0, 4);
  PutLe(quote, 9, 2);   // qe_svn
  PutLe(quote, 13, 2);  // pce_svn
  Put(quote, Bytes{0x93, 0x9a, 0x72, 0x33, 0xf7, 0x9c, 0x4c, 0xa9, 0x94, 0x0a, 0x0d, 0xb3, 0x95, 0x7f, 0x06, 0x07}, 16);
  Put(quote, Bytes(20, 0xab), 20);
  const Bytes isv = ReportBody(spec.attributes_flags, spec.mrenclave, spec.mrsigner, spec.isv_prod_id, spec.isv_svn,
                               spec.report_data);
  quote.insert(quote.end(), isv.begin(), isv.end());

  Bytes qe_data = ak;
  qe_data.insert(qe_data.end(), spec.qe_auth_data.begin(), spec.qe_auth_data.end());
  Bytes qe_report_data = Sha256(qe_data);
  qe_report_data.resize(64, 0);
  const Bytes qe = ReportBody(spec.qe_attributes_flags, Bytes(32, 0x51), Bytes(32, 0x8c), 1, 9, qe_report_data);
  const Bytes certs = spec.certification_data.value_or(pki.CertificationData());

  Bytes sd = RawSignature(attestation_key.get(), quote);
  sd.insert(sd.end(), ak.begin(), ak.end());
  sd.insert(sd.end(), qe.begin(), qe.end());
  const Bytes qe_sig = RawSignature(pki.pck_key.get(), qe);
  sd.insert(sd.end(), qe_sig.begin(), qe_sig.end());
  PutLe(sd, spec.qe_auth_data.size(), 2);
  sd.insert(sd.end(), spec.qe_auth_data.begin(), spec.qe_auth_data.end());
  PutLe(sd, spec.certification_data_type, 2);
  PutLe(sd, certs.size(), 4);
  sd.insert(sd.end(), certs.begin(), certs.end());
  PutLe(quote, sd.size(), 4);
  quote.insert(quote.end(), sd.begin(), sd.end());
  return quote;
}

Bytes WrapInOeHeader(ByteSpan quote) {
  Bytes out;
  PutLe(out, 1, 4);
  PutLe(out, 2, 4);
  PutLe(out, quote.size(), 8);
  out.insert(out.end(), quote.begin(), quote.end());
  return out;
}

Bytes WrapInOctetString(ByteSpan quote) {
  Bytes out = {0x04};
  if (quote.size() < 0x80) {
    out.push_back(static_cast<std::uint8_t>(quote.size()));
  } else if (quote.size() <= 0xff) {
    out.push_back(0x81);
    out.push_back(static_cast<std::uint8_t>(quote.size()));
  } else {
    out.push_back(0x82);
    out.push_back(static_cast<std::uint8_t>(quote.size() >> 8));
    out.push_back(static_cast<std::uint8_t>(quote.size()));
  }
  out.insert(out.end(), quote.begin(), quote.end());
  return out;
}

Bytes EnclaveReportData(EVP_PKEY* key) {
  BioPtr bio(CheckNotNull(BIO_new(BIO_s_mem()), "BIO_new"));
  CheckOpenSsl(PEM_write_bio_PUBKEY(bio.get(), key) == 1, "PEM_write_bio_PUBKEY");
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  Bytes text(data, data + len);
  text.push_back(0);
  Bytes out = Sha256(text);
  out.resize(64, 0);
  return out;
}

X509Ptr MakeSigningCertificate(EVP_PKEY* key, const std::string& oid, ByteSpan value) {
  X509Ptr cert(CheckNotNull(X509_new(), "X509_new"));
  CheckOpenSsl(X509_set_version(cert.get(), 2) == 1, "X509_set_version");
  CheckOpenSsl(ASN1_INTEGER_set_int64(X509_get_serialNumber(cert.get()), 1) == 1, "ASN1_INTEGER_set_int64");
  CheckNotNull(ASN1_TIME_set(X509_getm_notBefore(cert.get()), Utc(2019, 5, 1)), "ASN1_TIME_set");
  CheckNotNull(ASN1_TIME_set(X509_getm_notAfter(cert.get()), Utc(2050, 12, 31, 23, 59, 59)), "ASN1_TIME_set");
  X509_NAME* name = X509_get_subject_name(cert.get());
  const std::string cn = "https://synthetic.test.attest.azure.net";
  CheckOpenSsl(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(cn.data()),
                                          static_cast<int>(cn.size()), -1, 0) == 1,
               "X509_NAME_add_entry_by_txt");
  CheckOpenSsl(X509_set_issuer_name(cert.get(), name) == 1, "X509_set_issuer_name");
  CheckOpenSsl(X509_set_pubkey(cert.get(), key) == 1, "X509_set_pubkey");
  if (!oid.empty()) {
    std::unique_ptr<ASN1_OBJECT, OpenSslFree<ASN1_OBJECT_free>> object(
        CheckNotNull(OBJ_txt2obj(oid.c_str(), 1), "OBJ_txt2obj"));
    std::unique_ptr<ASN1_OCTET_STRING, OpenSslFree<ASN1_OCTET_STRING_free>> data(
        CheckNotNull(ASN1_OCTET_STRING_new(), "ASN1_OCTET_STRING_new"));
    CheckOpenSsl(ASN1_OCTET_STRING_set(data.get(), value.data(), static_cast<int>(value.size())) == 1,
                 "ASN1_OCTET_STRING_set");
    X509ExtensionPtr ext(
        CheckNotNull(X509_EXTENSION_create_by_OBJ(nullptr, object.get(), 0, data.get()), "X509_EXTENSION_create"));
    CheckOpenSsl(X509_add_ext(cert.get(), ext.get(), -1) == 1, "X509_add_ext");
  }
  CheckOpenSsl(X509_sign(cert.get(), key, EVP_sha256()) > 0, "X509_sign");
  return cert;
}

}  // namespace keyattest::testing
