#include <openssl/err.h>

#include "keyattest/crypto/openssl_ptr.h"

namespace keyattest {

void FreeX509Stack(STACK_OF(X509) * stack) noexcept { sk_X509_pop_free(stack, X509_free); }

std::string DrainOpenSslErrors() {
  std::string out;
  while (unsigned long code = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(code, buf, sizeof(buf));
    if (!out.empty()) out += "; ";
    out += buf;
  }
  return out;
}

void ClearOpenSslErrors() noexcept {
  // Peeking is a tenth of the cost of clearing (which resets every slot of
  // the queue), and the queue is almost always empty: this runs after every
  // successful OpenSSL call, dozens of times per file of a batch.
  if (ERR_peek_error() != 0) ERR_clear_error();
}

void CheckOpenSsl(bool ok, const char* call) {
  // Clear even on success: a stale entry would otherwise be blamed on the
  // next failing call.
  if (ok) {
    ClearOpenSslErrors();
    return;
  }
  std::string queued = DrainOpenSslErrors();
  std::string msg = std::string(call) + " failed";
  if (!queued.empty()) msg += ": " + queued;
  throw CryptoError(msg);
}

}  // namespace keyattest
