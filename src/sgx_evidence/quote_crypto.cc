#include "keyattest/sgx_evidence/quote_crypto.h"

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/pem.h>

#include <array>

#include "keyattest/crypto/digests.h"

namespace keyattest::sgx_evidence {

namespace {

constexpr std::size_t kCoordinateSize = 32;

using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, OpenSslFree<ECDSA_SIG_free>>;

/// DER of an ECDSA-Sig-Value from the quote's fixed-width r || s.
Bytes DerSignature(ByteSpan r_and_s) {
  EcdsaSigPtr sig(CheckNotNull(ECDSA_SIG_new(), "ECDSA_SIG_new"));
  BignumPtr r(CheckNotNull(BN_bin2bn(r_and_s.data(), kCoordinateSize, nullptr), "BN_bin2bn"));
  BignumPtr s(CheckNotNull(BN_bin2bn(r_and_s.data() + kCoordinateSize, kCoordinateSize, nullptr), "BN_bin2bn"));
  CheckOpenSsl(ECDSA_SIG_set0(sig.get(), r.get(), s.get()) == 1, "ECDSA_SIG_set0");
  (void)r.release();  // owned by sig now
  (void)s.release();
  return ToDer(i2d_ECDSA_SIG, static_cast<const ECDSA_SIG*>(sig.get()), "i2d_ECDSA_SIG");
}

}  // namespace

EvpPkeyPtr P256KeyFromRaw(ByteSpan x_and_y) {
  CheckOpenSsl(x_and_y.size() == 2 * kCoordinateSize, "P256KeyFromRaw: 64 bytes");
  // SEC 1 uncompressed point: 0x04 || x || y.
  std::array<unsigned char, 1 + 2 * kCoordinateSize> point{};
  point[0] = 0x04;
  std::copy(x_and_y.begin(), x_and_y.end(), point.begin() + 1);
  EvpPkeyCtxPtr ctx(CheckNotNull(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr), "EVP_PKEY_CTX_new_from_name"));
  CheckOpenSsl(EVP_PKEY_fromdata_init(ctx.get()) == 1, "EVP_PKEY_fromdata_init");
  char group[] = "prime256v1";
  std::array<OSSL_PARAM, 3> params = {
      OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group, 0),
      OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()),
      OSSL_PARAM_construct_end(),
  };
  EVP_PKEY* raw = nullptr;
  CheckOpenSsl(EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.data()) == 1 && raw != nullptr,
               "EVP_PKEY_fromdata (P-256 point)");
  EvpPkeyPtr key(raw);
  // fromdata does not always validate the point; a key off the curve must
  // never verify anything.
  EvpPkeyCtxPtr check(CheckNotNull(EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr), "EVP_PKEY_CTX_new"));
  CheckOpenSsl(EVP_PKEY_public_check(check.get()) == 1, "EVP_PKEY_public_check (P-256 point)");
  return key;
}

bool VerifyEcdsaP256Sha256(EVP_PKEY* key, ByteSpan message, ByteSpan r_and_s) {
  CheckOpenSsl(r_and_s.size() == 2 * kCoordinateSize, "VerifyEcdsaP256Sha256: 64-byte signature");
  const Bytes der = DerSignature(r_and_s);
  EvpMdCtxPtr md(CheckNotNull(EVP_MD_CTX_new(), "EVP_MD_CTX_new"));
  CheckOpenSsl(EVP_DigestVerifyInit(md.get(), nullptr, FetchedDigest(DigestAlgorithm::kSha256), nullptr, key) == 1,
               "EVP_DigestVerifyInit");
  const int rc = EVP_DigestVerify(md.get(), der.data(), der.size(), message.data(), message.size());
  if (rc == 1) return true;
  // 0 is "does not verify"; a negative value (e.g. r or s out of range) is
  // also a signature that does not verify, never a pass.
  ClearOpenSslErrors();
  return false;
}

std::string SubjectPublicKeyPem(const Certificate& certificate) {
  BioPtr bio(CheckNotNull(BIO_new(BIO_s_mem()), "BIO_new"));
  CheckOpenSsl(PEM_write_bio_PUBKEY(bio.get(), certificate.public_key()) == 1, "PEM_write_bio_PUBKEY");
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  CheckOpenSsl(len > 0 && data != nullptr, "BIO_get_mem_data");
  return {data, static_cast<std::size_t>(len)};
}

Bytes EnclaveKeyHash(const Certificate& certificate) {
  std::string text = SubjectPublicKeyPem(certificate);
  text.push_back('\0');
  return Sha256(AsBytes(text));
}

std::string EncodeBase64Std(ByteSpan data) {
  std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');
  const int n =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data.data(), static_cast<int>(data.size()));
  CheckOpenSsl(n >= 0, "EVP_EncodeBlock");
  out.resize(static_cast<std::size_t>(n));
  return out;
}

}  // namespace keyattest::sgx_evidence
