// ECDSA P-384 over the signed area of an SNP report (docs/snp.md
// "Signature").
#include "keyattest/amd/report_signature.h"

#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/obj_mac.h>

#include "keyattest/crypto/digests.h"
#include "keyattest/crypto/openssl_ptr.h"

namespace keyattest::amd {

namespace {

using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, OpenSslFree<ECDSA_SIG_free>>;
using EcGroupPtr = std::unique_ptr<EC_GROUP, OpenSslFree<EC_GROUP_free>>;

/// "" when 0 < v < order, else why not.
std::string InRange(const BIGNUM* v, const BIGNUM* order, const char* name) {
  if (BN_is_zero(v) != 0) return std::string(name) + " is zero";
  if (BN_cmp(v, order) >= 0) return std::string(name) + " is not below the P-384 group order";
  return "";
}

}  // namespace

std::string VerifySnpReportSignature(const SnpReport& report, EVP_PKEY* key) {
  EcGroupPtr group(CheckNotNull(EC_GROUP_new_by_curve_name(NID_secp384r1), "EC_GROUP_new_by_curve_name"));
  const BIGNUM* order = CheckNotNull(EC_GROUP_get0_order(group.get()), "EC_GROUP_get0_order");
  BignumPtr r(CheckNotNull(BN_lebin2bn(report.signature_r.data(), static_cast<int>(report.signature_r.size()), nullptr),
                           "BN_lebin2bn"));
  BignumPtr s(CheckNotNull(BN_lebin2bn(report.signature_s.data(), static_cast<int>(report.signature_s.size()), nullptr),
                           "BN_lebin2bn"));
  for (const std::string& problem : {InRange(r.get(), order, "r"), InRange(s.get(), order, "s")}) {
    if (!problem.empty()) return "signature " + problem;
  }
  EcdsaSigPtr sig(CheckNotNull(ECDSA_SIG_new(), "ECDSA_SIG_new"));
  CheckOpenSsl(ECDSA_SIG_set0(sig.get(), r.get(), s.get()) == 1, "ECDSA_SIG_set0");
  (void)r.release();  // owned by sig now
  (void)s.release();
  const Bytes der = ToDer(i2d_ECDSA_SIG, sig.get(), "i2d_ECDSA_SIG");
  EvpMdCtxPtr ctx(CheckNotNull(EVP_MD_CTX_new(), "EVP_MD_CTX_new"));
  CheckOpenSsl(EVP_DigestVerifyInit(ctx.get(), nullptr, FetchedDigest(DigestAlgorithm::kSha384), nullptr, key) == 1,
               "EVP_DigestVerifyInit");
  const ByteSpan signed_bytes = report.signed_bytes();
  const int rc = EVP_DigestVerify(ctx.get(), der.data(), der.size(), signed_bytes.data(), signed_bytes.size());
  ClearOpenSslErrors();
  if (rc == 1) return "";
  return "the ECDSA P-384 SHA-384 signature over bytes 0x000-0x29F does not verify with the key";
}

}  // namespace keyattest::amd
