#include "keyattest/x509/path_verifier.h"

#include <openssl/x509v3.h>
#include <spdlog/spdlog.h>

#include <exception>

#include "keyattest/x509/certificate_signature.h"
#include "keyattest/x509/validity_time.h"

namespace keyattest {

namespace {

/// State shared with the verify callback through the context's app data.
struct CallbackState {
  const ToleratedError* tolerated = nullptr;
  /// When set, the callback checks each certificate's validity at `at` (see
  /// CheckValidityOurselves); OpenSSL's own time check is then off.
  bool check_validity = false;
  std::int64_t at = 0;
  /// OpenSSL's own signature-and-time pass (internal_verify), for the
  /// paths VerifyPreparedPath leaves to it.
  X509_STORE_CTX_verify_fn openssl_verify = nullptr;
  /// The request's certificates, to find the prepared form of each
  /// certificate of the built path.
  const PathRequest* request = nullptr;
  std::size_t prepared_signatures = 0;
  bool accepted = false;
  int error = X509_V_OK;  // first error not tolerated
  int depth = -1;
  std::string subject;
  /// An exception from our code inside a callback, kept to be thrown again
  /// once X509_verify_cert has returned: none may unwind through OpenSSL's
  /// C frames.
  std::exception_ptr exception;
};

/// Runs a callback's body for OpenSSL: an exception is kept in `state` and
/// the callback fails (the path fails with it, and VerifyPath throws it).
template <class Body>
int Guarded(CallbackState& state, const Body& body) noexcept {
  try {
    return body();
  } catch (...) {
    if (!state.exception) state.exception = std::current_exception();
    return 0;
  }
}

/// True when `err` at the context's current position is the one error the
/// request tolerates: that error, on that certificate, at that depth (and
/// of that X.509 version when one is required).
bool IsTolerated(const ToleratedError& t, int err, X509_STORE_CTX* ctx, X509* current) {
  if (err != t.error || t.certificate == nullptr || current == nullptr) return false;
  if (X509_cmp(current, t.certificate->get()) != 0) return false;
  if (X509_STORE_CTX_get_error_depth(ctx) != t.depth) return false;
  return !t.x509_version || X509_get_version(current) == *t.x509_version;
}

/// The callback's answer to error `err` at the context's current position:
/// 1 when it is the tolerated one, else 0 with the first such error kept.
int OnError(CallbackState& state, int err, X509_STORE_CTX* ctx) {
  X509* current = X509_STORE_CTX_get_current_cert(ctx);
  if (state.tolerated != nullptr && IsTolerated(*state.tolerated, err, ctx, current)) {
    state.accepted = true;
    spdlog::debug("{}", state.tolerated->note);
    return 1;
  }
  if (state.error == X509_V_OK) {
    state.error = err;
    state.depth = X509_STORE_CTX_get_error_depth(ctx);
    if (current != nullptr) state.subject = FormatName(X509_get_subject_name(current));
  }
  return 0;
}

/// OpenSSL 3.0's certificate time check, in its order and with its errors,
/// on the certificate OpenSSL has just checked the signature of: the
/// success callback of internal_verify comes exactly where its own time
/// check would have been. Each error goes through the callback's rules.
int CheckValidityOurselves(CallbackState& state, X509_STORE_CTX* ctx) {
  X509* current = X509_STORE_CTX_get_current_cert(ctx);
  if (current == nullptr) return 1;
  auto fail = [&](int err) {
    X509_STORE_CTX_set_error(ctx, err);
    return OnError(state, err, ctx);
  };
  const int before = CompareCertificateTime(X509_get0_notBefore(current), state.at);
  if (before == 0 && fail(X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD) == 0) return 0;
  if (before > 0 && fail(X509_V_ERR_CERT_NOT_YET_VALID) == 0) return 0;
  const int after = CompareCertificateTime(X509_get0_notAfter(current), state.at);
  if (after == 0 && fail(X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD) == 0) return 0;
  if (after < 0 && fail(X509_V_ERR_CERT_HAS_EXPIRED) == 0) return 0;
  return 1;
}

int VerifyCallback(int ok, X509_STORE_CTX* ctx) {
  auto* state = static_cast<CallbackState*>(X509_STORE_CTX_get_app_data(ctx));
  if (state == nullptr) return ok == 1 ? 1 : 0;
  return Guarded(*state, [&] {
    if (ok == 1) return state->check_validity ? CheckValidityOurselves(*state, ctx) : 1;
    return OnError(*state, X509_STORE_CTX_get_error(ctx), ctx);
  });
}

/// The request's certificate whose X509 is `x` (the built path holds the
/// very objects the request gave), or nullptr.
const Certificate* RequestCertificate(const PathRequest& request, const X509* x) {
  if (request.leaf->get() == x) return request.leaf;
  for (const Certificate* c : request.anchors) {
    if (c->get() == x) return c;
  }
  for (const Certificate* c : request.untrusted) {
    if (c->get() == x) return c;
  }
  return nullptr;
}

/// OpenSSL 3.0's rule that an issuer's keyUsage allows it to sign
/// `subject` (keyCertSign; digitalSignature for a proxy certificate).
bool SigningAllowed(const Certificate& issuer, const Certificate& subject) {
  const std::uint32_t needed =
      (subject.extension_flags() & EXFLAG_PROXY) != 0 ? KU_DIGITAL_SIGNATURE : KU_KEY_CERT_SIGN;
  return (issuer.extension_flags() & EXFLAG_KUSAGE) == 0 || (issuer.key_usage() & needed) != 0;
}

/// The prepared check of each certificate of `path` (top first), or an
/// empty vector when any of them is not in the form PrepareSignatureCheck
/// covers or when the path is not the plain case OpenSSL's pass handles as
/// below: a self-signed top (checked only with CHECK_SS_SIGNATURE), issuers
/// whose keyUsage allows signing, no extension that failed to decode, no
/// partial chain. Reads only facts fixed at parse time.
std::vector<PreparedSignatureCheck> PrepareSignatureChecks(const std::vector<const Certificate*>& path,
                                                           bool check_top) {
  std::vector<PreparedSignatureCheck> checks;
  const std::size_t top = path.size() - 1;
  if ((path[top]->extension_flags() & EXFLAG_SS) == 0) return {};
  for (std::size_t depth = top + 1; depth-- > 0;) {
    const Certificate& subject = *path[depth];
    const Certificate& issuer = *path[depth == top ? top : depth + 1];
    if (((subject.extension_flags() | issuer.extension_flags()) & EXFLAG_INVALID) != 0) return {};
    if (depth == top && !check_top) continue;
    if (!SigningAllowed(issuer, subject)) return {};
    std::optional<PreparedSignatureCheck> check = PrepareSignatureCheck(subject, issuer);
    if (!check) return {};
    checks.push_back(*check);
  }
  return checks;
}

/// VerifyPreparedPath's body (below), for a context that is ours.
int VerifyPreparedPathOf(CallbackState& state, X509_STORE_CTX* ctx) {
  STACK_OF(X509)* chain = X509_STORE_CTX_get0_chain(ctx);
  const int length = sk_X509_num(chain);
  const unsigned long flags = X509_VERIFY_PARAM_get_flags(X509_STORE_CTX_get0_param(ctx));
  std::vector<const Certificate*> path;
  for (int i = 0; i < length; ++i) {
    const Certificate* c = RequestCertificate(*state.request, sk_X509_value(chain, i));
    if (c == nullptr) break;
    path.push_back(c);
  }
  const bool check_top = (flags & X509_V_FLAG_CHECK_SS_SIGNATURE) != 0;
  std::vector<PreparedSignatureCheck> checks;
  if (length >= 2 && path.size() == static_cast<std::size_t>(length) && (flags & X509_V_FLAG_PARTIAL_CHAIN) == 0) {
    checks = PrepareSignatureChecks(path, check_top);
  }
  if (checks.empty()) return state.openssl_verify(ctx);
  X509_STORE_CTX_verify_cb callback = X509_STORE_CTX_get_verify_cb(ctx);
  std::size_t next_check = 0;
  for (int depth = length - 1; depth >= 0; --depth) {
    X509* subject = sk_X509_value(chain, depth);
    if (depth < length - 1 || check_top) {
      ++state.prepared_signatures;
      if (!SignatureVerifies(checks[next_check++])) {
        X509_STORE_CTX_set_error_depth(ctx, depth);
        X509_STORE_CTX_set_current_cert(ctx, subject);
        X509_STORE_CTX_set_error(ctx, X509_V_ERR_CERT_SIGNATURE_FAILURE);
        if (callback(0, ctx) == 0) return 0;
      }
    }
    X509_STORE_CTX_set_current_cert(ctx, subject);
    X509_STORE_CTX_set_error_depth(ctx, depth);
    if (callback(1, ctx) == 0) return 0;
  }
  return 1;
}

/// OpenSSL 3.0's signature-and-time pass over the built path
/// (internal_verify, which X509_STORE_CTX_set_verify lets a caller
/// replace), with each certificate signature checked by its issuer's
/// prepared key (certificate_signature.h). Used only when the callback
/// checks validity (so the pass has no time check of its own) and every
/// signature is in the prepared form; any other path goes to OpenSSL's own
/// pass, decided before any callback runs. The order and the callback's
/// arguments are OpenSSL's: from the top down, a signature failure reported
/// on the subject at its depth, then the success call for that depth. (The
/// context's current issuer is not set: the callback does not read it.)
int VerifyPreparedPath(X509_STORE_CTX* ctx) {
  auto* state = static_cast<CallbackState*>(X509_STORE_CTX_get_app_data(ctx));
  if (state == nullptr || state->openssl_verify == nullptr || state->request == nullptr) return 0;  // not ours
  return Guarded(*state, [&] { return VerifyPreparedPathOf(*state, ctx); });
}

/// True when no two different certificates among the leaf, the anchors and
/// the untrusted ones share a subject name. Then every certificate has at
/// most one candidate issuer, OpenSSL's preference for a time-valid issuer
/// among several cannot apply, and the validity check may move into the
/// callback without changing which path is built.
bool SubjectNamesAreDistinct(const PathRequest& request) {
  std::vector<X509*> all;
  all.reserve(1 + request.anchors.size() + request.untrusted.size());
  all.push_back(request.leaf->get());
  for (const Certificate* c : request.anchors) all.push_back(c->get());
  for (const Certificate* c : request.untrusted) all.push_back(c->get());
  for (std::size_t i = 0; i < all.size(); ++i) {
    for (std::size_t j = i + 1; j < all.size(); ++j) {
      if (X509_NAME_cmp(X509_get_subject_name(all[i]), X509_get_subject_name(all[j])) == 0 &&
          X509_cmp(all[i], all[j]) != 0) {
        return false;
      }
    }
  }
  return true;
}

/// Takes a reference to `cert`. X509_up_ref only counts (it queues no error
/// to clear), and a path takes several references.
void TakeReference(X509* cert) { CheckQueueFreeOpenSsl(X509_up_ref(cert) == 1, "X509_up_ref"); }

/// A stack holding a reference to each of `certificates`.
X509StackPtr CertificateStack(const std::vector<const Certificate*>& certificates) {
  X509StackPtr stack(CheckNotNull(sk_X509_new_null(), "sk_X509_new_null"));
  for (const Certificate* c : certificates) {
    TakeReference(c->get());
    if (sk_X509_push(stack.get(), c->get()) == 0) {
      X509_free(c->get());
      CheckOpenSsl(false, "sk_X509_push");
    }
  }
  return stack;
}

std::vector<X509Ptr> BuiltPath(X509_STORE_CTX* ctx) {
  std::vector<X509Ptr> path;
  STACK_OF(X509)* built = X509_STORE_CTX_get0_chain(ctx);
  const int n = sk_X509_num(built);
  for (int i = 0; i < n; ++i) {
    X509* c = sk_X509_value(built, i);
    TakeReference(c);
    path.emplace_back(c);
  }
  return path;
}

/// The leaf's DNS subjectAltNames against `host`: no partial wildcards,
/// never the subject CN (RFC 6125 §6.4).
void MatchHost(const Certificate& leaf, const std::string& host, PathResult& out) {
  const unsigned int flags = X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS | X509_CHECK_FLAG_NEVER_CHECK_SUBJECT;
  char* matched = nullptr;
  const int rc = X509_check_host(leaf.get(), host.data(), host.size(), flags, &matched);
  out.host_ok = rc == 1;
  out.matched_host = matched != nullptr ? matched : "";
  OPENSSL_free(matched);
  ClearOpenSslErrors();
}

/// A context whose only trusted certificates are `anchors` (a trusted
/// stack, OpenSSL's documented alternative to a store: no store to build,
/// lock and search per path), over the leaf
/// and the untrusted certificates with the request's time, flags and
/// purpose. The context refers to `anchors` and `untrusted`.
X509StoreCtxPtr MakeContext(const PathRequest& request, bool own_validity_check, STACK_OF(X509) * anchors,
                            STACK_OF(X509) * untrusted) {
  X509StoreCtxPtr ctx(CheckNotNull(X509_STORE_CTX_new(), "X509_STORE_CTX_new"));
  CheckOpenSsl(X509_STORE_CTX_init(ctx.get(), nullptr, request.leaf->get(), untrusted) == 1, "X509_STORE_CTX_init");
  X509_STORE_CTX_set0_trusted_stack(ctx.get(), anchors);
  // Mutate the context's parameters (never replace them): the check time,
  // and only the flags and purpose the chain asked for.
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
  unsigned long flags = request.flags;
  if (own_validity_check) {
    flags |= X509_V_FLAG_NO_CHECK_TIME;  // the callback checks validity at request.at
  } else {
    X509_VERIFY_PARAM_set_time(param, request.at);
  }
  if (flags != 0) CheckOpenSsl(X509_VERIFY_PARAM_set_flags(param, flags) == 1, "X509_VERIFY_PARAM_set_flags");
  if (request.purpose != 0) {
    CheckOpenSsl(X509_VERIFY_PARAM_set_purpose(param, request.purpose) == 1, "X509_VERIFY_PARAM_set_purpose");
  }
  return ctx;
}

}  // namespace

PathResult VerifyPath(const PathRequest& request) {
  X509StackPtr anchors = CertificateStack(request.anchors);
  X509StackPtr untrusted = CertificateStack(request.untrusted);
  CallbackState state;
  state.check_validity = (request.flags & (X509_V_FLAG_USE_CHECK_TIME | X509_V_FLAG_NO_CHECK_TIME)) == 0 &&
                         SubjectNamesAreDistinct(request);
  state.at = request.at;
  X509StoreCtxPtr ctx = MakeContext(request, state.check_validity, anchors.get(), untrusted.get());
  if (request.tolerated) state.tolerated = &*request.tolerated;
  state.request = &request;
  CheckOpenSsl(X509_STORE_CTX_set_app_data(ctx.get(), &state) == 1, "X509_STORE_CTX_set_app_data");
  X509_STORE_CTX_set_verify_cb(ctx.get(), VerifyCallback);
  if (state.check_validity) {
    // With validity in the callback, OpenSSL's pass is only signatures:
    // the prepared checks may replace it (VerifyPreparedPath).
    state.openssl_verify = X509_STORE_CTX_get_verify(ctx.get());
    if (state.openssl_verify != nullptr) X509_STORE_CTX_set_verify(ctx.get(), VerifyPreparedPath);
  }

  // With the callback, OpenSSL 3.0 leaves the context error at the tolerated
  // one even after accepting it, so the return value alone decides.
  const int rc = X509_verify_cert(ctx.get());
  ClearOpenSslErrors();
  if (state.exception) std::rethrow_exception(state.exception);
  PathResult out;
  out.prepared_signatures = state.prepared_signatures;
  if (!request.host.empty()) MatchHost(*request.leaf, request.host, out);
  if (rc != 1) {
    out.error = state.error != X509_V_OK ? state.error : X509_STORE_CTX_get_error(ctx.get());
    out.error_depth = state.error != X509_V_OK ? state.depth : X509_STORE_CTX_get_error_depth(ctx.get());
    out.error_subject = state.subject;
    if (state.error == X509_V_OK) {
      X509* current = X509_STORE_CTX_get_current_cert(ctx.get());
      if (current != nullptr) out.error_subject = FormatName(X509_get_subject_name(current));
    }
    out.detail = std::string("OpenSSL: ") + X509_verify_cert_error_string(out.error) + " (error " +
                 std::to_string(out.error) +
                 (state.depth >= 0 ? ", depth " + std::to_string(state.depth) : std::string()) +
                 (state.subject.empty() ? std::string() : ", " + state.subject) + ")";
    return out;
  }
  out.path_ok = true;
  out.tolerated = state.accepted;
  out.path = BuiltPath(ctx.get());
  out.length = out.path.size();
  out.ok = request.host.empty() || out.host_ok;
  if (!out.ok) out.detail = "no DNS subjectAltName of the leaf covers " + request.host;
  return out;
}

std::string CheckPathAlgorithms(std::initializer_list<std::pair<const Certificate*, const char*>> certificates,
                                const AlgorithmPolicy& policy) {
  for (const auto& [certificate, role] : certificates) {
    if (std::string why = CheckCertificateAlgorithms(*certificate, policy, role); !why.empty()) return why;
  }
  return "";
}

std::optional<bool> BasicConstraintsCa(const Certificate& certificate) {
  // OpenSSL decodes basicConstraints once, with the extensions it caches at
  // parse time: EXFLAG_BCONS when exactly one decodes, EXFLAG_CA when it
  // says cA TRUE.
  const std::uint32_t flags = certificate.extension_flags();
  if ((flags & EXFLAG_BCONS) == 0) return std::nullopt;
  return (flags & EXFLAG_CA) != 0;
}

std::optional<std::uint32_t> KeyUsageBits(const Certificate& certificate) {
  if ((certificate.extension_flags() & EXFLAG_KUSAGE) == 0) return std::nullopt;
  return certificate.key_usage();
}

}  // namespace keyattest
