// RAII ownership for every OpenSSL object the library touches, and the one
// helper that checks OpenSSL results. Nothing outside this header calls a
// *_free function directly.
#pragma once

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace keyattest {

/// Stateless deleter: costs no storage in the unique_ptr.
template <auto FreeFn>
struct OpenSslFree {
  template <class T>
  void operator()(T* p) const noexcept {
    FreeFn(p);
  }
};

using BioPtr = std::unique_ptr<BIO, OpenSslFree<BIO_free_all>>;
using BignumPtr = std::unique_ptr<BIGNUM, OpenSslFree<BN_free>>;
using BnCtxPtr = std::unique_ptr<BN_CTX, OpenSslFree<BN_CTX_free>>;
using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, OpenSslFree<EVP_PKEY_free>>;
using EvpPkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, OpenSslFree<EVP_PKEY_CTX_free>>;
using EvpMdCtxPtr = std::unique_ptr<EVP_MD_CTX, OpenSslFree<EVP_MD_CTX_free>>;
using X509Ptr = std::unique_ptr<X509, OpenSslFree<X509_free>>;
using X509NamePtr = std::unique_ptr<X509_NAME, OpenSslFree<X509_NAME_free>>;
using X509StorePtr = std::unique_ptr<X509_STORE, OpenSslFree<X509_STORE_free>>;
using X509StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, OpenSslFree<X509_STORE_CTX_free>>;
using X509ExtensionPtr = std::unique_ptr<X509_EXTENSION, OpenSslFree<X509_EXTENSION_free>>;
using Asn1IntegerPtr = std::unique_ptr<ASN1_INTEGER, OpenSslFree<ASN1_INTEGER_free>>;
using Asn1TimePtr = std::unique_ptr<ASN1_TIME, OpenSslFree<ASN1_TIME_free>>;
using BasicConstraintsPtr = std::unique_ptr<BASIC_CONSTRAINTS, OpenSslFree<BASIC_CONSTRAINTS_free>>;
using Asn1BitStringPtr = std::unique_ptr<ASN1_BIT_STRING, OpenSslFree<ASN1_BIT_STRING_free>>;

/// sk_X509_* are macros, so the stack's deleter is a named function.
void FreeX509Stack(STACK_OF(X509) * stack) noexcept;
using X509StackPtr = std::unique_ptr<STACK_OF(X509), OpenSslFree<FreeX509Stack>>;

/// Thrown when an OpenSSL call fails; the message carries the call name and
/// every entry that was on the OpenSSL error queue.
class CryptoError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Drains the OpenSSL error queue into one human-readable string. The first
/// call loads OpenSSL's error strings (about 0.1 ms), so only messages call it.
std::string DrainOpenSslErrors();

/// Empties the OpenSSL error queue without formatting it: after an expected
/// failure whose reason the caller states itself, or a success.
void ClearOpenSslErrors() noexcept;

/// The one checker for OpenSSL results: throws CryptoError naming `call`
/// (and the drained queue) when `ok` is false. Always leaves the queue empty.
void CheckOpenSsl(bool ok, const char* call);

/// CheckOpenSsl for calls that queue no error when they succeed (taking a
/// reference, a digest fetched once and kept): success costs one branch
/// instead of a look at the queue; a failure is reported as CheckOpenSsl
/// reports it.
inline void CheckQueueFreeOpenSsl(bool ok, const char* call) {
  if (!ok) CheckOpenSsl(false, call);
}

template <class T>
T* CheckNotNull(T* p, const char* call) {
  CheckOpenSsl(p != nullptr, call);
  return p;
}

/// DER encoding through an OpenSSL i2d_* function (sized first, then
/// written), e.g. ToDer(i2d_X509, cert, "i2d_X509").
template <class T>
std::vector<unsigned char> ToDer(int (*i2d)(const T*, unsigned char**), const T* object, const char* call) {
  const int len = i2d(object, nullptr);
  CheckOpenSsl(len > 0, call);
  std::vector<unsigned char> out(static_cast<std::size_t>(len));
  unsigned char* p = out.data();
  CheckOpenSsl(i2d(object, &p) == len, call);
  return out;
}

}  // namespace keyattest
