#include "tests/skr/vault_pki.h"

#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <stdexcept>

#include "keyattest/core/bytes.h"
#include "keyattest/io/base64.h"
#include "tests/support/test_keys.h"
#include "tests/support/test_pki.h"

namespace keyattest::testing {

namespace {

using Json = nlohmann::ordered_json;

void Ok(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("test PKI: ") + what);
}

void AddExtension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509ExtensionPtr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str()));
  Ok(ext != nullptr, "X509V3_EXT_conf_nid");
  Ok(X509_add_ext(cert, ext.get(), -1) == 1, "X509_add_ext");
}

X509Ptr Issue(const std::string& cn, EVP_PKEY* key, X509* issuer, EVP_PKEY* issuer_key, std::time_t from,
              std::time_t to, long serial, const std::vector<std::pair<int, std::string>>& extensions) {
  X509Ptr cert(X509_new());
  Ok(cert != nullptr && X509_set_version(cert.get(), 2) == 1, "X509_set_version");
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial);
  X509NamePtr name(X509_NAME_new());
  X509_NAME_add_entry_by_txt(name.get(), "O", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>("Test Vault PKI"),
                             -1, -1, 0);
  X509_NAME_add_entry_by_txt(name.get(), "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(cn.c_str()), -1,
                             -1, 0);
  Ok(X509_set_subject_name(cert.get(), name.get()) == 1, "X509_set_subject_name");
  Ok(X509_set_issuer_name(cert.get(), issuer ? X509_get_subject_name(issuer) : name.get()) == 1, "issuer");
  Ok(ASN1_TIME_set(X509_getm_notBefore(cert.get()), from) != nullptr, "notBefore");
  Ok(ASN1_TIME_set(X509_getm_notAfter(cert.get()), to) != nullptr, "notAfter");
  Ok(X509_set_pubkey(cert.get(), key) == 1, "X509_set_pubkey");
  for (const auto& [nid, value] : extensions) AddExtension(cert.get(), issuer ? issuer : cert.get(), nid, value);
  Ok(X509_sign(cert.get(), issuer_key, EVP_sha256()) > 0, "X509_sign");
  return cert;
}

std::string Der64(X509* cert) {
  const Bytes der = ToDer(i2d_X509, cert, "i2d_X509");
  std::string url = EncodeBase64Url(der);
  // x5c is standard base64 with padding.
  for (char& c : url) c = c == '-' ? '+' : c == '_' ? '/' : c;
  while (url.size() % 4 != 0) url += '=';
  return url;
}

std::string Url(const std::string& text) {
  return EncodeBase64Url(ByteSpan(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

}  // namespace

std::string VaultPki::RootPem() const { return CertToPem(root.get()); }

std::vector<std::string> VaultPki::X5c() const { return {Der64(leaf.get()), Der64(ca.get()), Der64(root.get())}; }

VaultPki MakeVaultPki(const VaultPkiOptions& options) {
  VaultPki pki;
  pki.root_key = LoadTestKey(TestKeyId::kRootRsa2048);
  pki.ca_key = LoadTestKey(TestKeyId::kCardRsa2048);
  pki.leaf_key = LoadTestKey(TestKeyId::kPartitionRsa2048);
  pki.root = Issue("Test TLS Root", pki.root_key.get(), nullptr, pki.root_key.get(), Utc(2020, 1, 1), Utc(2040, 1, 1),
                   1, {{NID_basic_constraints, "critical,CA:TRUE"}, {NID_key_usage, "critical,keyCertSign,cRLSign"}});
  pki.ca = Issue("Test TLS Issuing CA", pki.ca_key.get(), pki.root.get(), pki.root_key.get(), Utc(2021, 1, 1),
                 Utc(2031, 1, 1), 2,
                 {{NID_basic_constraints, "critical,CA:TRUE,pathlen:0"},
                  {NID_key_usage, "critical,keyCertSign,cRLSign"},
                  {NID_ext_key_usage, "serverAuth, clientAuth"}});
  std::vector<std::pair<int, std::string>> leaf_ext = {{NID_basic_constraints, "critical,CA:FALSE"},
                                                       {NID_key_usage, "critical,digitalSignature,keyEncipherment"}};
  if (!options.leaf_san.empty()) leaf_ext.emplace_back(NID_subject_alt_name, options.leaf_san);
  if (!options.leaf_eku.empty()) leaf_ext.emplace_back(NID_ext_key_usage, options.leaf_eku);
  pki.leaf = Issue("vault.test", pki.leaf_key.get(), pki.ca.get(), pki.ca_key.get(),
                   options.leaf_not_before != 0 ? options.leaf_not_before : Utc(2022, 1, 1),
                   options.leaf_not_after != 0 ? options.leaf_not_after : Utc(2023, 1, 1), 3, leaf_ext);
  return pki;
}

Json ResponseHeader(const VaultPki& pki) {
  const Bytes der = ToDer(i2d_X509, pki.leaf.get(), "i2d_X509");
  Json header = Json::object();
  header["alg"] = "RS256";
  header["kid"] = HexEncode(Sha1(der));
  header["x5t"] = EncodeBase64Url(Sha1(der));
  header["typ"] = "JWT";
  header["x5t#S256"] = EncodeBase64Url(Sha256(der));
  header["x5c"] = pki.X5c();
  return header;
}

Json ResponsePayload(const std::string& host, const std::string& name, const std::string& version,
                     const std::string& authority, const std::string& kek_kid) {
  const std::string policy = R"({"version":"1.0.0","anyOf":[{"authority":")" + authority +
                             R"(","allOf":[{"claim":"x-ms-attestation-type","equals":"sevsnpvm"}]}]})";
  const std::string key_hsm = R"({"schema_version":"1.0","header":{"kid":")" + kek_kid +
                              R"(","alg":"dir","enc":"CKM_RSA_AES_KEY_WRAP"},"ciphertext":")" +
                              Url("SECRET-WRAPPED-KEY-MATERIAL") + R"("})";
  Json payload = Json::object();
  payload["request"] = {
      {"api-version", "7.3"}, {"enc", "CKM_RSA_AES_KEY_WRAP"}, {"kid", "https://" + host + "/keys/" + name}};
  Json key = Json::object();
  key["kid"] = "https://" + host + "/keys/" + name + "/" + version;
  key["kty"] = "RSA-HSM";
  key["key_ops"] = {"encrypt", "decrypt"};
  key["n"] = Url(std::string(256, 'n'));
  key["e"] = "AQAB";
  key["key_hsm"] = Url(key_hsm);
  payload["response"]["key"]["key"] = std::move(key);
  payload["response"]["key"]["attributes"] = {{"enabled", true}, {"created", 1671577377}, {"exportable", true}};
  payload["response"]["key"]["release_policy"] = {{"data", Url(policy)}, {"immutable", false}};
  return payload;
}

std::string SignCompactJws(const Json& header, const Json& payload, EVP_PKEY* key) {
  const std::string input = Url(header.dump()) + "." + Url(payload.dump());
  EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  Ok(EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) == 1, "EVP_DigestSignInit");
  std::size_t len = 0;
  Ok(EVP_DigestSign(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1,
     "EVP_DigestSign");
  Bytes sig(len);
  Ok(EVP_DigestSign(ctx.get(), sig.data(), &len, reinterpret_cast<const unsigned char*>(input.data()), input.size()) ==
         1,
     "EVP_DigestSign");
  sig.resize(len);
  return input + "." + EncodeBase64Url(sig);
}

}  // namespace keyattest::testing
