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
  void Set(const CheckDefinition& check, CheckStatus status, std::string detail) {
    checks.push_back(CheckResult{check.id, check.title, status, std::move(detail)});
  }
};

}  // namespace

const char* OwnerChainStyleName(OwnerChainStyle style) {
  return style == OwnerChainStyle::kGoogle ? "google" : "azure";
}

std::shared_ptr<const BundleVerification> VerifyCertificateBundle(ByteSpan pem, OwnerChainStyle style,
                                                                  const VerifyOptions& options, std::time_t at) {
  auto result = std::make_shared<BundleVerification>();
  BundleVerification& v = *result;
  CheckList out{v.checks};
  v.owner_style = OwnerChainStyleName(style);
  const auto& doc_pem = pem;
  std::optional<PemBundle>& bundle = v.bundle;
  try {
    bundle = ParsePemBundle(doc_pem, options.certificate_cache.get());
    out.Set(checks::kBundle, CheckStatus::kPass,
            std::to_string(bundle->certificates.size()) + " certificates" +
                (bundle->duplicates_removed
                     ? " (" + std::to_string(bundle->duplicates_removed) + " exact duplicates ignored)"
                     : ""));
  } catch (const BundleError& e) {
    out.Set(checks::kBundle, CheckStatus::kFail, e.what());
  }

  if (bundle) {
    const auto& certs = bundle->certificates;
    marvell::ChainResult manufacturer = marvell::VerifyManufacturerChain(certs, options.marvell_roots, at);
    out.Set(checks::kManufacturerChain, manufacturer.ok ? CheckStatus::kPass : CheckStatus::kFail, manufacturer.detail);
    std::set<std::size_t> used;
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

    bool owner_ran = manufacturer.card && manufacturer.partition;
    if (owner_ran) {
      // The document decided the style (§10.2); the bundle never switches
      // it, so a look-alike root in the bundle is only a leftover.
      std::vector<TrustAnchor> google_anchors = options.google_roots;
      if (options.owner_root_certificate) {
        google_anchors = {TrustAnchor(*options.owner_root_certificate)};
        for (const Certificate& c : options.other_owner_root_certificates) google_anchors.emplace_back(c);
      }
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
      } else {
        owner = VerifyGoogleOwnerChain(certs, *manufacturer.card, *manufacturer.partition, google_anchors, at);
        if (owner.root) {
          v.owner_root = google_anchors[*owner.root].certificate();
          v.certificates.push_back(DescribeCertificate(*v.owner_root, "Google root (pinned)"));
        }
        for (auto [index, role] :
             {std::pair{owner.card, "Google card"}, std::pair{owner.partition, "Google partition"}}) {
          if (index) {
            used.insert(*index);
            v.certificates.push_back(DescribeCertificate(certs[*index], role));
          }
        }
      }
      out.Set(checks::kOwnerChain, owner.ok ? CheckStatus::kPass : CheckStatus::kFail, owner.detail);
      owner_ran = owner.ok;
    } else {
      out.Set(checks::kOwnerChain, CheckStatus::kSkip, "needs the Marvell card and partition certificates");
    }
    if (manufacturer.ok && owner_ran) {
      std::string unused;
      for (std::size_t i = 0; i < certs.size(); ++i) {
        if (!used.count(i)) unused += (unused.empty() ? "" : "; ") + certs[i].subject();
      }
      out.Set(checks::kAllUsed, unused.empty() ? CheckStatus::kPass : CheckStatus::kFail,
              unused.empty() ? (v.owner_style == "google" ? "card, partition, Google card, Google partition"
                                                          : "card, partition, owner root, owner partition")
                             : "certificates outside both chains: " + unused);
    } else {
      out.Set(checks::kAllUsed, CheckStatus::kSkip, "needs both chains");
    }
  } else {
    out.Set(checks::kManufacturerChain, CheckStatus::kSkip, "certificate bundle did not parse");
    out.Set(checks::kOwnerChain, CheckStatus::kSkip, "certificate bundle did not parse");
    out.Set(checks::kAllUsed, CheckStatus::kSkip, "certificate bundle did not parse");
  }

  // An Azure owner root is per pool (§10.2): only a pin the user recorded
  // makes that chain mean anything. A Google root is pinned (built in or
  // --owner-root), so its chain is pinned by construction.
  const Certificate* owner_root = v.OwnerRoot();
  if (options.owner_root_spki_sha256) {
    // Several pins (several pools): any one matches.
    std::string want = HexEncode(*options.owner_root_spki_sha256);
    bool pinned = owner_root != nullptr && owner_root->spki_sha256() == *options.owner_root_spki_sha256;
    for (const Bytes& pin : options.other_owner_root_pins) {
      want += ", " + HexEncode(pin);
      pinned = pinned || (owner_root != nullptr && owner_root->spki_sha256() == pin);
    }
    const std::string pins =
        options.other_owner_root_pins.empty()
            ? "the pinned " + want
            : "any of the " + std::to_string(options.other_owner_root_pins.size() + 1) + " pinned " + want;
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

  return result;
}

std::shared_ptr<const BundleVerification> ChainCache::GetOrVerify(ByteSpan pem, OwnerChainStyle style,
                                                                  const VerifyOptions& options, std::time_t at) {
  // Appends, not operator+: GCC 12 at -O3 misreports -Wrestrict on the latter.
  std::string key = HexEncode(Sha256(pem));
  key.append("|").append(OwnerChainStyleName(style));
  key.append("|").append(std::to_string(static_cast<long long>(at))).append("|");
  key.append(options.owner_root_spki_sha256 ? HexEncode(*options.owner_root_spki_sha256) : std::string("-"));
  for (const auto& anchor : options.marvell_roots) key.append("|").append(HexEncode(anchor.sha256()));
  key.append("|google");
  for (const auto& anchor : options.google_roots) key.append("|").append(HexEncode(anchor.sha256()));
  if (options.owner_root_certificate) key.append("|owner|").append(HexEncode(options.owner_root_certificate->sha256()));
  for (const Bytes& pin : options.other_owner_root_pins) key.append("|pin|").append(HexEncode(pin));
  for (const Certificate& c : options.other_owner_root_certificates)
    key.append("|owner|").append(HexEncode(c.sha256()));
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
    std::shared_ptr<const BundleVerification> verified = VerifyCertificateBundle(pem, style, options, at);
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
