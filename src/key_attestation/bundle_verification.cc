// Bundle checks (both certificate chains) and their cache; see chain_cache.h.
#include "keyattest/key_attestation/chain_cache.h"

#include <set>

#include "keyattest/key_attestation/checks.h"
#include "keyattest/key_attestation/owner_chains.h"
#include "keyattest/key_attestation/verifier.h"
#include "keyattest/marvell/chains.h"

namespace keyattest {

namespace {

namespace checks = key_attestation;

/// Collects checks as Report::Set does.
struct CheckList {
  std::vector<CheckResult>& checks;
  void Set(const CheckName& check, CheckStatus status, std::string detail) {
    checks.push_back(CheckResult{check.id, check.title, status, std::move(detail)});
  }
};

/// certificates.bundle: the PEM bundle parses (v.bundle set).
void ParseBundle(ByteSpan pem, const VerifyOptions& options, BundleVerification& v, CheckList& out) {
  try {
    v.bundle = ParsePemBundle(pem, options.certificate_cache.get());
    out.Set(checks::kBundle, CheckStatus::kPass,
            std::to_string(v.bundle->certificates.size()) + " certificates" +
                (v.bundle->duplicates_removed
                     ? " (" + std::to_string(v.bundle->duplicates_removed) + " exact duplicates ignored)"
                     : ""));
  } catch (const BundleError& e) {
    out.Set(checks::kBundle, CheckStatus::kFail, e.what());
  }
}

/// Records the manufacturer chain's roles in `v` and `used`.
void RecordManufacturerRoles(const marvell::ChainResult& manufacturer, const std::vector<Certificate>& certs,
                             const VerifyOptions& options, BundleVerification& v, std::set<std::size_t>& used) {
  if (manufacturer.root) {
    v.certificates.push_back(
        DescribeCertificate(options.marvell_roots[*manufacturer.root].certificate(), "Marvell root (pinned)"));
  }
  if (manufacturer.card) {
    used.insert(*manufacturer.card);
    v.card = manufacturer.card;
    v.certificates.push_back(DescribeCertificate(certs[*manufacturer.card], "Marvell HSM card"));
  }
  if (manufacturer.partition) {
    used.insert(*manufacturer.partition);
    v.certificates.push_back(DescribeCertificate(certs[*manufacturer.partition], "Marvell partition"));
    // Blob signatures are checked with this certificate's key even when a
    // chain failed, so the report says everything that is wrong; the
    // verdict still fails through the chain check.
    v.partition = manufacturer.partition;
  }
}

/// The Google owner chain's anchors: the built-in roots, or exactly the
/// owner root pins given as certificates (--owner-root, --owner-roots),
/// when there are any.
std::vector<TrustAnchor> GoogleAnchors(const VerifyOptions& options) {
  std::vector<TrustAnchor> anchors;
  for (const OwnerRootPin& pin : options.owner_roots) {
    if (pin.certificate) anchors.emplace_back(*pin.certificate);
  }
  return anchors.empty() ? options.google_roots : anchors;
}

/// The owner chain of `style` after a manufacturer chain that found card
/// and partition; records its roles in `v` and `used`. The document decided
/// the style (§10.2); the bundle never switches it, so a look-alike root in
/// the bundle is only a leftover.
marvell::ChainResult VerifyOwnerChain(OwnerChainStyle style, const std::vector<Certificate>& certs,
                                      const marvell::ChainResult& manufacturer, const VerifyOptions& options,
                                      std::time_t at, BundleVerification& v, std::set<std::size_t>& used) {
  marvell::ChainResult owner;
  if (style == OwnerChainStyle::kAzure) {
    owner = VerifyAzureOwnerChain(certs, *manufacturer.card, *manufacturer.partition, at);
    if (owner.root) {
      used.insert(*owner.root);
      v.owner_root = certs[*owner.root];
      v.certificates.push_back(DescribeCertificate(certs[*owner.root], "Owner root (per pool, self-signed)"));
    }
    if (owner.partition) {
      used.insert(*owner.partition);
      v.certificates.push_back(DescribeCertificate(certs[*owner.partition], "Owner partition"));
    }
    return owner;
  }
  const std::vector<TrustAnchor> google_anchors = GoogleAnchors(options);
  owner = VerifyGoogleOwnerChain(certs, *manufacturer.card, *manufacturer.partition, google_anchors, at);
  if (owner.root) {
    v.owner_root = google_anchors[*owner.root].certificate();
    v.certificates.push_back(DescribeCertificate(*v.owner_root, "Google root (pinned)"));
  }
  for (auto [index, role] :
       {std::pair{owner.card, StaticText("Google card")}, std::pair{owner.partition, StaticText("Google partition")}}) {
    if (index) {
      used.insert(*index);
      v.certificates.push_back(DescribeCertificate(certs[*index], role));
    }
  }
  return owner;
}

/// certificates.all_used: every bundle certificate is in one of the chains.
void CheckAllUsed(const std::vector<Certificate>& certs, const std::set<std::size_t>& used, const BundleVerification& v,
                  CheckList& out) {
  std::string unused;
  for (std::size_t i = 0; i < certs.size(); ++i) {
    if (!used.count(i)) unused += (unused.empty() ? "" : "; ") + certs[i].subject();
  }
  out.Set(checks::kAllUsed, unused.empty() ? CheckStatus::kPass : CheckStatus::kFail,
          unused.empty() ? (v.owner_style == "google" ? "card, partition, Google card, Google partition"
                                                      : "card, partition, owner root, owner partition")
                         : "certificates outside both chains: " + unused);
}

/// chain.manufacturer, chain.owner and certificates.all_used over a parsed
/// bundle.
void VerifyChains(const std::vector<Certificate>& certs, OwnerChainStyle style, const VerifyOptions& options,
                  std::time_t at, BundleVerification& v, CheckList& out) {
  marvell::ChainResult manufacturer = marvell::VerifyManufacturerChain(certs, options.marvell_roots, at);
  out.Set(checks::kManufacturerChain, manufacturer.ok ? CheckStatus::kPass : CheckStatus::kFail, manufacturer.detail);
  std::set<std::size_t> used;
  RecordManufacturerRoles(manufacturer, certs, options, v, used);
  bool owner_ok = false;
  if (manufacturer.card && manufacturer.partition) {
    const marvell::ChainResult owner = VerifyOwnerChain(style, certs, manufacturer, options, at, v, used);
    out.Set(checks::kOwnerChain, owner.ok ? CheckStatus::kPass : CheckStatus::kFail, owner.detail);
    owner_ok = owner.ok;
  } else {
    out.Set(checks::kOwnerChain, CheckStatus::kSkip, "needs the Marvell card and partition certificates");
  }
  if (manufacturer.ok && owner_ok) {
    CheckAllUsed(certs, used, v, out);
  } else {
    out.Set(checks::kAllUsed, CheckStatus::kSkip, "needs both chains");
  }
}

/// owner_root.pin. An Azure owner root is per pool (§10.2): only a pin the
/// user recorded makes that chain mean anything. A Google root is pinned
/// (built in or --owner-root), so its chain is pinned by construction.
void CheckOwnerRootPin(const VerifyOptions& options, const BundleVerification& v, CheckList& out) {
  const Certificate* owner_root = v.OwnerRoot();
  if (!options.owner_roots.empty()) {
    // Several pins (several pools): any one matches.
    std::string want;
    bool pinned = false;
    for (const OwnerRootPin& pin : options.owner_roots) {
      want += (want.empty() ? "" : ", ") + HexEncode(pin.spki_sha256);
      pinned = pinned || (owner_root != nullptr && owner_root->spki_sha256() == pin.spki_sha256);
    }
    const std::string pins = options.owner_roots.size() == 1
                                 ? "the pinned " + want
                                 : "any of the " + std::to_string(options.owner_roots.size()) + " pinned " + want;
    if (owner_root == nullptr) {
      out.Set(checks::kOwnerRootPin, CheckStatus::kFail,
              "no owner root identified to compare with the pinned SPKI SHA-256 " + want);
    } else {
      const std::string got = HexEncode(owner_root->spki_sha256());
      out.Set(checks::kOwnerRootPin, pinned ? CheckStatus::kPass : CheckStatus::kFail,
              pinned ? "owner root '" + owner_root->common_name() + "' SPKI SHA-256 " + got + " is pinned"
                     : "owner root '" + owner_root->common_name() + "' SPKI SHA-256 " + got + " is not " + pins);
    }
  } else if (v.owner_style == "google") {
    out.Set(checks::kOwnerRootPin, owner_root ? CheckStatus::kPass : CheckStatus::kFail,
            owner_root ? "Google root '" + owner_root->common_name() + "' is pinned (built in), SPKI SHA-256 " +
                             HexEncode(owner_root->spki_sha256())
                       : "no pinned Google root issued the owner certificates");
  } else {
    out.Set(checks::kOwnerRootPin, CheckStatus::kWarn,
            owner_root ? "owner chain is unpinned; pin this pool's root next time with --owner-root " +
                             HexEncode(owner_root->spki_sha256())
                       : "owner chain is unpinned (no --owner-root)");
  }
}

}  // namespace

const char* OwnerChainStyleName(OwnerChainStyle style) {
  return style == OwnerChainStyle::kGoogle ? "google" : "azure";
}

std::shared_ptr<BundleVerification> VerifyCertificateBundle(ByteSpan pem, OwnerChainStyle style,
                                                            const VerifyOptions& options) {
  auto result = std::make_shared<BundleVerification>();
  BundleVerification& v = *result;
  CheckList out{v.checks};
  v.owner_style = OwnerChainStyleName(style);
  ParseBundle(pem, options, v, out);
  if (v.bundle) {
    VerifyChains(v.bundle->certificates, style, options, options.check_time.at, v, out);
  } else {
    out.Set(checks::kManufacturerChain, CheckStatus::kSkip, "certificate bundle did not parse");
    out.Set(checks::kOwnerChain, CheckStatus::kSkip, "certificate bundle did not parse");
    out.Set(checks::kAllUsed, CheckStatus::kSkip, "certificate bundle did not parse");
  }
  CheckOwnerRootPin(options, v, out);
  return result;
}

std::shared_ptr<const BundleVerification> ChainCache::GetOrVerify(ByteSpan pem, OwnerChainStyle style,
                                                                  const VerifyOptions& options) {
  // Appends, not operator+: GCC 12 at -O3 misreports -Wrestrict on the latter.
  std::string key = HexEncode(Sha256(pem));
  key.append("|").append(OwnerChainStyleName(style));
  key.append("|").append(std::to_string(static_cast<long long>(options.check_time.at))).append("|");
  for (const auto& anchor : options.marvell_roots) key.append("|").append(HexEncode(anchor.sha256()));
  key.append("|google");
  for (const auto& anchor : options.google_roots) key.append("|").append(HexEncode(anchor.sha256()));
  for (const OwnerRootPin& pin : options.owner_roots) {
    key.append("|pin|").append(HexEncode(pin.spki_sha256));
    if (pin.certificate) key.append("|owner|").append(HexEncode(pin.certificate->sha256()));
  }
  std::promise<std::shared_ptr<const BundleVerification>> promise;
  std::shared_future<std::shared_ptr<const BundleVerification>> pending;
  bool verify_here = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (auto it = entries_.find(key); it != entries_.end()) {
      ++hits_;
      pending = it->second;
    } else {
      ++misses_;
      verify_here = true;
      pending = promise.get_future().share();
      entries_.emplace(key, pending);
      order_.push_back(key);
      while (order_.size() > capacity_) {
        entries_.erase(order_.front());
        order_.pop_front();
      }
    }
  }
  // A hit may be a verification still in flight on another thread: wait for
  // it without holding the lock.
  if (!verify_here) return pending.get();
  try {
    std::shared_ptr<const BundleVerification> verified = VerifyCertificateBundle(pem, style, options);
    promise.set_value(verified);
    return verified;
  } catch (...) {
    // Do not cache an internal failure: waiters see it, later files retry.
    promise.set_exception(std::current_exception());
    std::lock_guard<std::mutex> lock(mutex_);
    entries_.erase(key);
    throw;
  }
}

}  // namespace keyattest
