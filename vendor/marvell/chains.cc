#include "keyattest/marvell/chains.h"

#include <openssl/core_names.h>
#include <openssl/obj_mac.h>
#include <spdlog/spdlog.h>

#include <initializer_list>
#include <set>
#include <utility>

#include "keyattest/x509/algorithm_policy.h"

namespace keyattest::marvell {

namespace {

/// State shared with the verify callback through the context's app data.
struct CallbackState {
  X509* tolerated_v1_card = nullptr;  // the one certificate allowed error 79
  bool tolerated = false;
  int error = X509_V_OK;  // first error not tolerated
  int depth = -1;
  std::string subject;
};

int VerifyCallback(int ok, X509_STORE_CTX* ctx) {
  if (ok == 1) return 1;
  auto* state = static_cast<CallbackState*>(X509_STORE_CTX_get_app_data(ctx));
  const int err = X509_STORE_CTX_get_error(ctx);
  X509* current = X509_STORE_CTX_get_current_cert(ctx);
  if (state == nullptr) return 0;
  // Real Marvell card certificates are X.509 v1, which OpenSSL refuses as an
  // issuer (§10.1). Accept exactly that, for exactly the card certificate we
  // already tied to a pinned root, at its fixed position in the chain.
  if (err == X509_V_ERR_INVALID_CA && state->tolerated_v1_card != nullptr && current != nullptr &&
      X509_cmp(current, state->tolerated_v1_card) == 0 && X509_get_version(current) == X509_VERSION_1 &&
      X509_STORE_CTX_get_error_depth(ctx) == 1) {
    state->tolerated = true;
    spdlog::debug("manufacturer chain: tolerating OpenSSL error 79 (invalid CA) for the X.509 v1 card certificate");
    return 1;
  }
  if (state->error == X509_V_OK) {
    state->error = err;
    state->depth = X509_STORE_CTX_get_error_depth(ctx);
    if (current != nullptr) state->subject = FormatName(X509_get_subject_name(current));
  }
  return 0;
}

struct PathCheck {
  bool ok = false;
  std::string detail;
};

/// Runs X509_verify_cert for leaf with `anchors` trusted and `untrusted`
/// intermediates, at `at`. `tolerated_card` may be null.
PathCheck RunX509Verify(const Certificate& leaf, const std::vector<const Certificate*>& anchors,
                        const std::vector<const Certificate*>& untrusted, X509* tolerated_card, std::time_t at,
                        std::size_t expected_length, unsigned long flags = 0) {
  X509StorePtr store(CheckNotNull(X509_STORE_new(), "X509_STORE_new"));
  for (const Certificate* a : anchors)
    CheckOpenSsl(X509_STORE_add_cert(store.get(), a->get()) == 1, "X509_STORE_add_cert");
  X509StackPtr chain_in(CheckNotNull(sk_X509_new_null(), "sk_X509_new_null"));
  for (const Certificate* c : untrusted) {
    CheckOpenSsl(X509_up_ref(c->get()) == 1, "X509_up_ref");
    if (sk_X509_push(chain_in.get(), c->get()) == 0) {
      X509_free(c->get());
      CheckOpenSsl(false, "sk_X509_push");
    }
  }
  X509StoreCtxPtr ctx(CheckNotNull(X509_STORE_CTX_new(), "X509_STORE_CTX_new"));
  CheckOpenSsl(X509_STORE_CTX_init(ctx.get(), store.get(), leaf.get(), chain_in.get()) == 1, "X509_STORE_CTX_init");
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
  X509_VERIFY_PARAM_set_time(param, at);
  if (flags != 0) CheckOpenSsl(X509_VERIFY_PARAM_set_flags(param, flags) == 1, "X509_VERIFY_PARAM_set_flags");
  CallbackState state;
  state.tolerated_v1_card = tolerated_card;
  CheckOpenSsl(X509_STORE_CTX_set_app_data(ctx.get(), &state) == 1, "X509_STORE_CTX_set_app_data");
  X509_STORE_CTX_set_verify_cb(ctx.get(), VerifyCallback);

  // With the callback, OpenSSL 3.0 leaves the context error at 79 even after
  // accepting, so the return value alone decides.
  const int rc = X509_verify_cert(ctx.get());
  ClearOpenSslErrors();
  PathCheck out;
  if (rc != 1) {
    int err = state.error != X509_V_OK ? state.error : X509_STORE_CTX_get_error(ctx.get());
    out.detail = std::string("OpenSSL: ") + X509_verify_cert_error_string(err) + " (error " + std::to_string(err) +
                 (state.depth >= 0 ? ", depth " + std::to_string(state.depth) : std::string()) +
                 (state.subject.empty() ? std::string() : ", " + state.subject) + ")";
    return out;
  }
  STACK_OF(X509)* built = X509_STORE_CTX_get0_chain(ctx.get());
  const auto length = static_cast<std::size_t>(sk_X509_num(built));
  if (length != expected_length) {
    out.detail = "OpenSSL built a chain of " + std::to_string(length) + " certificates, expected " +
                 std::to_string(expected_length);
    return out;
  }
  out.ok = true;
  out.detail =
      state.tolerated ? "X509_verify_cert passed (v1 card certificate accepted as issuer)" : "X509_verify_cert passed";
  return out;
}

std::optional<bool> BasicConstraintsCa(const Certificate& c) {
  int crit = 0;
  BasicConstraintsPtr bc(
      static_cast<BASIC_CONSTRAINTS*>(X509_get_ext_d2i(c.get(), NID_basic_constraints, &crit, nullptr)));
  ClearOpenSslErrors();
  if (!bc) return std::nullopt;
  return bc->ca != 0;
}

std::optional<std::uint32_t> KeyUsage(const Certificate& c) {
  if ((X509_get_extension_flags(c.get()) & EXFLAG_KUSAGE) == 0) return std::nullopt;
  return X509_get_key_usage(c.get());
}

/// The algorithm and key-size rule shared by every chain (one place:
/// x509/algorithm_policy), for each certificate of a path in turn.
std::string CheckAlgorithms(std::initializer_list<std::pair<const Certificate*, const char*>> certificates) {
  for (const auto& [certificate, role] : certificates) {
    if (std::string why = CheckCertificateAlgorithms(*certificate, MarvellChainAlgorithmPolicy(), role); !why.empty()) {
      return why;
    }
  }
  return "";
}

std::string Names(const std::vector<Certificate>& bundle, const std::vector<std::size_t>& idx) {
  std::string out;
  for (std::size_t i : idx) out += (out.empty() ? "" : "; ") + bundle[i].subject();
  return out;
}

}  // namespace

ChainResult VerifyManufacturerChain(const std::vector<Certificate>& bundle, const std::vector<TrustAnchor>& anchors,
                                    std::time_t at) {
  ChainResult r;
  if (anchors.empty()) {
    r.detail = "no Marvell trust anchors configured";
    return r;
  }
  // Candidates are found by DER name equality alone; every signature is
  // then checked exactly once, by X509_verify_cert. A certificate that merely
  // names a pinned root (or the card) as issuer already competes for the
  // role, so a look-alike can only make the bundle ambiguous, never pass.
  std::vector<std::size_t> cards;
  std::vector<std::size_t> card_root;
  for (std::size_t i = 0; i < bundle.size(); ++i) {
    if (bundle[i].IsSelfIssued()) continue;
    for (std::size_t a = 0; a < anchors.size(); ++a) {
      if (anchors[a].Issued(bundle[i])) {
        cards.push_back(i);
        card_root.push_back(a);
        break;
      }
    }
  }
  if (cards.empty()) {
    r.detail = "no certificate in the bundle is issued by a pinned Marvell root";
    return r;
  }
  if (cards.size() > 1) {
    r.detail = "ambiguous: " + std::to_string(cards.size()) +
               " certificates could be the HSM card certificate: " + Names(bundle, cards);
    return r;
  }
  r.card = cards[0];
  const Certificate& card = bundle[*r.card];
  spdlog::debug("manufacturer chain: card candidate '{}' names pinned root '{}' as issuer", card.subject(),
                anchors[card_root[0]].name());
  // Only the anchors with the card's issuer name take part, decoded now.
  std::vector<std::size_t> named;
  for (std::size_t a = card_root[0]; a < anchors.size(); ++a) {
    if (!anchors[a].Issued(card)) continue;
    try {
      (void)anchors[a].certificate();
    } catch (const CryptoError& e) {
      r.detail = e.what();
      return r;
    }
    named.push_back(a);
  }
  r.root = named[0];

  std::vector<std::size_t> partitions;
  for (std::size_t i = 0; i < bundle.size(); ++i) {
    if (i != *r.card && bundle[i].NameChainsTo(card)) partitions.push_back(i);
  }
  if (partitions.empty()) {
    r.detail = "no certificate in the bundle is issued by the HSM card certificate '" + card.common_name() + "'";
    return r;
  }
  if (partitions.size() > 1) {
    r.detail = "ambiguous: " + std::to_string(partitions.size()) +
               " certificates could be the partition certificate: " + Names(bundle, partitions);
    return r;
  }
  r.partition = partitions[0];
  const Certificate& partition = bundle[*r.partition];
  spdlog::debug("manufacturer chain: partition candidate '{}'", partition.subject());

  // Profile checks OpenSSL does not make (or makes differently for v1).
  if (card.version() == 3) {
    if (auto ca = BasicConstraintsCa(card); ca && !*ca) {
      r.detail = "card certificate has basicConstraints CA:FALSE";
      return r;
    }
    if (auto ku = KeyUsage(card); ku && (*ku & KU_KEY_CERT_SIGN) == 0) {
      r.detail = "card certificate's keyUsage lacks keyCertSign";
      return r;
    }
  }
  if (auto ca = BasicConstraintsCa(partition); ca && *ca) {
    r.detail = "partition certificate is a CA (basicConstraints CA:TRUE)";
    return r;
  }
  if (auto ku = KeyUsage(partition); ku && (*ku & KU_DIGITAL_SIGNATURE) == 0) {
    r.detail = "partition certificate's keyUsage lacks digitalSignature";
    return r;
  }
  if (std::string why = CheckAlgorithms({{&card, "card certificate"}, {&partition, "partition certificate"}});
      !why.empty()) {
    r.detail = why;
    return r;
  }
  // The prepared key (built once per certificate) has e at hand.
  const RsaPublicKey* partition_rsa = partition.rsa_public_key();
  if (partition_rsa == nullptr) {
    r.detail = "partition certificate key's modulus is not usable";
    return r;
  }
  if (!partition_rsa->ExponentIs(RSA_F4)) {
    r.detail = "partition certificate key's public exponent is not 65537";
    return r;
  }

  // Several anchors may share a name (a root and its reissue, or a
  // look-alike). A v1 card has no authority key identifier to tell them
  // apart, so each is tried alone, in order; the first failure is reported
  // when none verifies.
  PathCheck first_failure;
  for (std::size_t a : named) {
    PathCheck path = RunX509Verify(partition, {&anchors[a].certificate()}, {&card}, card.get(), at, 3);
    if (path.ok) {
      r.root = a;
      r.ok = true;
      break;
    }
    if (first_failure.detail.empty()) first_failure = path;
  }
  if (!r.ok) {
    r.detail = first_failure.detail;
    return r;
  }
  const Certificate& root = anchors[*r.root].certificate();
  r.detail = "pinned root '" + root.common_name() + "' -> card '" + card.common_name() + "' -> partition '" +
             partition.common_name() + "', valid at " + FormatRfc3339(at);
  return r;
}

ChainResult VerifyOwnerChain(const std::vector<Certificate>& bundle, std::size_t marvell_card,
                             std::size_t marvell_partition, std::time_t at) {
  ChainResult r;
  const Certificate& marvell = bundle[marvell_partition];
  std::vector<std::size_t> partitions;
  for (std::size_t i = 0; i < bundle.size(); ++i) {
    if (i == marvell_card || i == marvell_partition) continue;
    if (bundle[i].spki_der() == marvell.spki_der()) partitions.push_back(i);
  }
  if (partitions.empty()) {
    r.detail = "no owner certificate in the bundle carries the partition's public key";
    return r;
  }
  if (partitions.size() > 1) {
    r.detail = "ambiguous: " + std::to_string(partitions.size()) +
               " owner certificates carry the partition's public key: " + Names(bundle, partitions);
    return r;
  }
  r.partition = partitions[0];
  const Certificate& owner_partition = bundle[*r.partition];

  std::vector<std::size_t> roots;
  for (std::size_t i = 0; i < bundle.size(); ++i) {
    if (i == marvell_card || i == marvell_partition || i == *r.partition) continue;
    if (bundle[i].IsSelfIssued() && owner_partition.NameChainsTo(bundle[i])) roots.push_back(i);
  }
  if (roots.empty()) {
    r.detail = "no self-signed owner root in the bundle issued the owner partition certificate '" +
               owner_partition.subject() + "'";
    return r;
  }
  if (roots.size() > 1) {
    r.detail = "ambiguous: " + std::to_string(roots.size()) +
               " self-signed roots could have issued the owner partition certificate: " + Names(bundle, roots);
    return r;
  }
  r.root = roots[0];
  const Certificate& root = bundle[*r.root];
  if (BasicConstraintsCa(root) != std::optional<bool>(true)) {
    r.detail = "owner root '" + root.common_name() + "' is not a CA (basicConstraints CA:TRUE required)";
    return r;
  }
  if (auto ku = KeyUsage(root); ku && (*ku & KU_KEY_CERT_SIGN) == 0) {
    r.detail = "owner root's keyUsage lacks keyCertSign";
    return r;
  }
  if (auto ca = BasicConstraintsCa(owner_partition); ca && *ca) {
    r.detail = "owner partition certificate is a CA (basicConstraints CA:TRUE)";
    return r;
  }
  if (std::string why = CheckAlgorithms({{&root, "owner root"}, {&owner_partition, "owner partition certificate"}});
      !why.empty()) {
    r.detail = why;
    return r;
  }
  // The root's self-signature is checked too (CHECK_SS_SIGNATURE): it is
  // only a well-formedness check, since an unpinned root proves nothing.
  PathCheck path = RunX509Verify(owner_partition, {&root}, {}, nullptr, at, 2, X509_V_FLAG_CHECK_SS_SIGNATURE);
  if (!path.ok) {
    r.detail = path.detail;
    return r;
  }
  r.ok = true;
  r.detail = "owner root '" + root.common_name() +
             "' -> owner partition certificate with the Marvell partition's key, valid at " + FormatRfc3339(at);
  return r;
}

ChainResult VerifyGoogleOwnerChain(const std::vector<Certificate>& bundle, std::size_t marvell_card,
                                   std::size_t marvell_partition, const std::vector<TrustAnchor>& google_roots,
                                   std::time_t at) {
  ChainResult r;
  // Candidates: issued (by name) by a pinned Google root, carrying the key of
  // the Marvell card or partition certificate.
  std::vector<std::size_t> cards;
  std::vector<std::size_t> partitions;
  std::vector<std::size_t> issuer_of(bundle.size(), google_roots.size());
  for (std::size_t i = 0; i < bundle.size(); ++i) {
    if (i == marvell_card || i == marvell_partition) continue;
    for (std::size_t g = 0; g < google_roots.size(); ++g) {
      if (google_roots[g].Issued(bundle[i])) issuer_of[i] = g;
    }
    if (issuer_of[i] == google_roots.size()) continue;
    if (bundle[i].spki_der() == bundle[marvell_partition].spki_der()) partitions.push_back(i);
    if (bundle[i].spki_der() == bundle[marvell_card].spki_der()) cards.push_back(i);
  }
  if (partitions.size() != 1) {
    r.detail = partitions.empty()
                   ? "no certificate issued by the pinned Google root carries the partition's key"
                   : "ambiguous: " + std::to_string(partitions.size()) +
                         " Google-issued certificates carry the partition's key: " + Names(bundle, partitions);
    return r;
  }
  if (cards.size() != 1) {
    r.detail = cards.empty() ? "no certificate issued by the pinned Google root carries the HSM card's key"
                             : "ambiguous: " + std::to_string(cards.size()) +
                                   " Google-issued certificates carry the HSM card's key: " + Names(bundle, cards);
    return r;
  }
  r.partition = partitions[0];
  r.card = cards[0];
  if (issuer_of[*r.partition] != issuer_of[*r.card]) {
    r.detail = "the Google card and partition certificates name different Google roots";
    return r;
  }
  const std::size_t root_index = issuer_of[*r.partition];
  const Certificate* root_certificate = nullptr;
  try {
    root_certificate = &google_roots[root_index].certificate();
  } catch (const CryptoError& e) {
    r.detail = e.what();
    return r;
  }
  r.root = root_index;
  const Certificate& root = *root_certificate;
  if (std::string why = CheckAlgorithms({{&root, "Google root"},
                                         {&bundle[*r.card], "Google card certificate"},
                                         {&bundle[*r.partition], "Google partition certificate"}});
      !why.empty()) {
    r.detail = why;
    return r;
  }
  for (std::size_t i : {*r.card, *r.partition}) {
    if (auto ca = BasicConstraintsCa(bundle[i]); ca && *ca) {
      r.detail = "Google-issued certificate '" + bundle[i].common_name() + "' is a CA (basicConstraints CA:TRUE)";
      return r;
    }
    PathCheck path = RunX509Verify(bundle[i], {&root}, {}, nullptr, at, 2);
    if (!path.ok) {
      r.detail = path.detail;
      return r;
    }
  }
  r.ok = true;
  r.detail = "pinned Google root '" + root.common_name() +
             "' -> owner card and owner partition certificates with the Marvell card's and partition's keys, valid "
             "at " +
             FormatRfc3339(at);
  return r;
}

}  // namespace keyattest::marvell
