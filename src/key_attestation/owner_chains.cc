#include "keyattest/key_attestation/owner_chains.h"

#include <openssl/x509v3.h>

#include "keyattest/x509/path_verifier.h"

namespace keyattest {

using marvell::ChainResult;
using marvell::SubjectsOf;

namespace {

/// Empty when X509_verify_cert builds `leaf` -> `root` at `at` with `root`
/// as the store's only anchor (no untrusted certificates, no tolerated
/// error) and `flags`.
std::string VerifyDirectPath(const Certificate& leaf, const Certificate& root, std::time_t at,
                             unsigned long flags = 0) {
  PathRequest request;
  request.leaf = &leaf;
  request.anchors = {&root};
  request.at = at;
  request.flags = flags;
  PathResult path = VerifyPath(request);
  if (!path.ok) return path.detail;
  if (path.length != 2) {
    return "OpenSSL built a chain of " + std::to_string(path.length) + " certificates, expected 2";
  }
  return "";
}

}  // namespace

ChainResult VerifyAzureOwnerChain(const std::vector<Certificate>& bundle, std::size_t marvell_card,
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
               " owner certificates carry the partition's public key: " + SubjectsOf(bundle, partitions);
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
               " self-signed roots could have issued the owner partition certificate: " + SubjectsOf(bundle, roots);
    return r;
  }
  r.root = roots[0];
  const Certificate& root = bundle[*r.root];
  if (BasicConstraintsCa(root) != std::optional<bool>(true)) {
    r.detail = "owner root '" + root.common_name() + "' is not a CA (basicConstraints CA:TRUE required)";
    return r;
  }
  if (auto ku = KeyUsageBits(root); ku && (*ku & KU_KEY_CERT_SIGN) == 0) {
    r.detail = "owner root's keyUsage lacks keyCertSign";
    return r;
  }
  if (auto ca = BasicConstraintsCa(owner_partition); ca && *ca) {
    r.detail = "owner partition certificate is a CA (basicConstraints CA:TRUE)";
    return r;
  }
  if (std::string why = CheckPathAlgorithms({{&root, "owner root"}, {&owner_partition, "owner partition certificate"}},
                                            MarvellChainAlgorithmPolicy());
      !why.empty()) {
    r.detail = why;
    return r;
  }
  // The root's self-signature is checked too (CHECK_SS_SIGNATURE): it is
  // only a well-formedness check, since an unpinned root proves nothing.
  if (std::string why = VerifyDirectPath(owner_partition, root, at, X509_V_FLAG_CHECK_SS_SIGNATURE); !why.empty()) {
    r.detail = why;
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
                         " Google-issued certificates carry the partition's key: " + SubjectsOf(bundle, partitions);
    return r;
  }
  if (cards.size() != 1) {
    r.detail = cards.empty() ? "no certificate issued by the pinned Google root carries the HSM card's key"
                             : "ambiguous: " + std::to_string(cards.size()) +
                                   " Google-issued certificates carry the HSM card's key: " + SubjectsOf(bundle, cards);
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
  if (std::string why = CheckPathAlgorithms({{&root, "Google root"},
                                             {&bundle[*r.card], "Google card certificate"},
                                             {&bundle[*r.partition], "Google partition certificate"}},
                                            MarvellChainAlgorithmPolicy());
      !why.empty()) {
    r.detail = why;
    return r;
  }
  for (std::size_t i : {*r.card, *r.partition}) {
    if (auto ca = BasicConstraintsCa(bundle[i]); ca && *ca) {
      r.detail = "Google-issued certificate '" + bundle[i].common_name() + "' is a CA (basicConstraints CA:TRUE)";
      return r;
    }
    if (std::string why = VerifyDirectPath(bundle[i], root, at); !why.empty()) {
      r.detail = why;
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

}  // namespace keyattest
