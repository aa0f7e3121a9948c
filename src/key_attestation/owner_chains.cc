#include "keyattest/key_attestation/owner_chains.h"

#include <openssl/x509v3.h>

#include <algorithm>
#include <functional>
#include <initializer_list>
#include <optional>

#include "keyattest/x509/path_verifier.h"

namespace keyattest {

using marvell::ChainResult;
using marvell::SubjectsOf;

namespace {

/// Empty when X509_verify_cert builds `leaf` -> `root` at `at` with `root`
/// as the only trusted certificate (no untrusted certificates, no tolerated
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

/// The one bundle index (not the Marvell card or partition, nor any of
/// `excluded`) that `matches`; otherwise the reason, naming the candidates
/// when there are several.
std::optional<std::size_t> FindOne(const std::vector<Certificate>& bundle, std::initializer_list<std::size_t> excluded,
                                   const std::function<bool(std::size_t)>& matches, const std::string& none,
                                   const std::string& several, std::string& why) {
  std::vector<std::size_t> found;
  for (std::size_t i = 0; i < bundle.size(); ++i) {
    if (std::find(excluded.begin(), excluded.end(), i) != excluded.end()) continue;
    if (matches(i)) found.push_back(i);
  }
  if (found.size() == 1) return found[0];
  why = found.empty() ? none
                      : "ambiguous: " + std::to_string(found.size()) + " " + several + ": " + SubjectsOf(bundle, found);
  return std::nullopt;
}

/// What an Azure owner root and the owner partition certificate must be
/// (§10.2): a CA root that may sign certificates, a partition certificate
/// that is not a CA, allowed algorithms. Empty when they are.
std::string CheckAzureOwnerShape(const Certificate& root, const Certificate& owner_partition) {
  if (BasicConstraintsCa(root) != std::optional<bool>(true)) {
    return "owner root '" + root.common_name() + "' is not a CA (basicConstraints CA:TRUE required)";
  }
  if (auto ku = KeyUsageBits(root); ku && (*ku & KU_KEY_CERT_SIGN) == 0)
    return "owner root's keyUsage lacks keyCertSign";
  if (auto ca = BasicConstraintsCa(owner_partition); ca && *ca) {
    return "owner partition certificate is a CA (basicConstraints CA:TRUE)";
  }
  return CheckPathAlgorithms({{&root, "owner root"}, {&owner_partition, "owner partition certificate"}},
                             MarvellChainAlgorithmPolicy());
}

}  // namespace

ChainResult VerifyAzureOwnerChain(const std::vector<Certificate>& bundle, std::size_t marvell_card,
                                  std::size_t marvell_partition, std::time_t at) {
  ChainResult r;
  const Certificate& marvell = bundle[marvell_partition];
  r.partition = FindOne(
      bundle, {marvell_card, marvell_partition},
      [&](std::size_t i) { return bundle[i].spki_der() == marvell.spki_der(); },
      "no owner certificate in the bundle carries the partition's public key",
      "owner certificates carry the partition's public key", r.detail);
  if (!r.partition) return r;
  const Certificate& owner_partition = bundle[*r.partition];
  r.root = FindOne(
      bundle, {marvell_card, marvell_partition, *r.partition},
      [&](std::size_t i) { return bundle[i].IsSelfIssued() && owner_partition.NameChainsTo(bundle[i]); },
      "no self-signed owner root in the bundle issued the owner partition certificate '" + owner_partition.subject() +
          "'",
      "self-signed roots could have issued the owner partition certificate", r.detail);
  if (!r.root) return r;
  const Certificate& root = bundle[*r.root];
  r.detail = CheckAzureOwnerShape(root, owner_partition);
  // The root's self-signature is checked too (CHECK_SS_SIGNATURE): it is
  // only a well-formedness check, since an unpinned root proves nothing.
  if (r.detail.empty()) r.detail = VerifyDirectPath(owner_partition, root, at, X509_V_FLAG_CHECK_SS_SIGNATURE);
  if (!r.detail.empty()) return r;
  r.ok = true;
  r.detail = "owner root '" + root.common_name() +
             "' -> owner partition certificate with the Marvell partition's key, valid at " + FormatRfc3339(at);
  return r;
}

namespace {

/// The pinned Google root that issued (by name) each bundle certificate
/// other than the Marvell card and partition; google_roots.size() = none.
std::vector<std::size_t> GoogleIssuers(const std::vector<Certificate>& bundle, std::size_t marvell_card,
                                       std::size_t marvell_partition, const std::vector<TrustAnchor>& google_roots) {
  std::vector<std::size_t> issuer_of(bundle.size(), google_roots.size());
  for (std::size_t i = 0; i < bundle.size(); ++i) {
    if (i == marvell_card || i == marvell_partition) continue;
    for (std::size_t g = 0; g < google_roots.size(); ++g) {
      if (google_roots[g].Issued(bundle[i])) issuer_of[i] = g;
    }
  }
  return issuer_of;
}

/// The Google card and partition certificates under `root`: allowed
/// algorithms, not CAs, each directly issued by the root at `at`. Empty
/// when they are.
std::string CheckGoogleCertificates(const std::vector<Certificate>& bundle, const ChainResult& r,
                                    const Certificate& root, std::time_t at) {
  if (std::string why = CheckPathAlgorithms({{&root, "Google root"},
                                             {&bundle[*r.card], "Google card certificate"},
                                             {&bundle[*r.partition], "Google partition certificate"}},
                                            MarvellChainAlgorithmPolicy());
      !why.empty()) {
    return why;
  }
  for (std::size_t i : {*r.card, *r.partition}) {
    if (auto ca = BasicConstraintsCa(bundle[i]); ca && *ca) {
      return "Google-issued certificate '" + bundle[i].common_name() + "' is a CA (basicConstraints CA:TRUE)";
    }
    if (std::string why = VerifyDirectPath(bundle[i], root, at); !why.empty()) return why;
  }
  return "";
}

}  // namespace

ChainResult VerifyGoogleOwnerChain(const std::vector<Certificate>& bundle, std::size_t marvell_card,
                                   std::size_t marvell_partition, const std::vector<TrustAnchor>& google_roots,
                                   std::time_t at) {
  ChainResult r;
  // Candidates: issued (by name) by a pinned Google root, carrying the key of
  // the Marvell card or partition certificate.
  const std::vector<std::size_t> issuer_of = GoogleIssuers(bundle, marvell_card, marvell_partition, google_roots);
  auto google_issued_with = [&](const Certificate& marvell) {
    return [&bundle, &issuer_of, &google_roots, &marvell](std::size_t i) {
      return issuer_of[i] != google_roots.size() && bundle[i].spki_der() == marvell.spki_der();
    };
  };
  r.partition = FindOne(bundle, {marvell_card, marvell_partition}, google_issued_with(bundle[marvell_partition]),
                        "no certificate issued by the pinned Google root carries the partition's key",
                        "Google-issued certificates carry the partition's key", r.detail);
  if (!r.partition) return r;
  r.card = FindOne(bundle, {marvell_card, marvell_partition}, google_issued_with(bundle[marvell_card]),
                   "no certificate issued by the pinned Google root carries the HSM card's key",
                   "Google-issued certificates carry the HSM card's key", r.detail);
  if (!r.card) {
    r.partition.reset();  // a role only once both are found
    return r;
  }
  if (issuer_of[*r.partition] != issuer_of[*r.card]) {
    r.detail = "the Google card and partition certificates name different Google roots";
    return r;
  }
  const std::size_t root_index = issuer_of[*r.partition];
  const Certificate* root = nullptr;
  try {
    root = &google_roots[root_index].certificate();
  } catch (const CryptoError& e) {
    r.detail = e.what();
    return r;
  }
  r.root = root_index;
  r.detail = CheckGoogleCertificates(bundle, r, *root, at);
  if (!r.detail.empty()) return r;
  r.ok = true;
  r.detail = "pinned Google root '" + root->common_name() +
             "' -> owner card and owner partition certificates with the Marvell card's and partition's keys, valid "
             "at " +
             FormatRfc3339(at);
  return r;
}

}  // namespace keyattest
