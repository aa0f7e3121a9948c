// Verification of one certificate bundle (both chains), and a cache of it:
// the keys of one HSM pool share a bundle, so a batch verifies each distinct
// bundle once. Blob signatures are never cached.
#pragma once

#include <atomic>
#include <cstddef>
#include <ctime>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "keyattest/core/bytes.h"
#include "keyattest/crypto/rsa_public_key.h"
#include "keyattest/report/report.h"
#include "keyattest/x509/certificate.h"
#include "keyattest/x509/certificate_facts.h"

namespace keyattest {

struct VerifyOptions;

/// Which owner chain a document requires (docs/marvell-format.md §10.2). The document
/// decides, never the bundle: Azure MRVL-1 documents use a per-pool
/// self-signed root shipped in the bundle; Google documents (and raw layout-A
/// blobs) use the pinned Google root, which issues owner card and partition
/// certificates.
enum class OwnerChainStyle { kAzure, kGoogle };
const char* OwnerChainStyleName(OwnerChainStyle style);  // "azure" / "google"

/// The outcome of the bundle checks (certificates.bundle, chain.manufacturer,
/// chain.owner, certificates.all_used, owner_root.pin) and the certificates
/// each role resolved to. Immutable once built; shared between threads.
struct BundleVerification {
  std::vector<CheckResult> checks;
  std::vector<CertificateFacts> certificates;
  std::optional<PemBundle> bundle;
  std::optional<std::size_t> card;  // indices into bundle->certificates
  std::optional<std::size_t> partition;
  /// The owner root: from the bundle (Azure, self-signed per pool) or a
  /// pinned anchor (Google).
  std::optional<Certificate> owner_root;
  /// "azure" (self-signed per-pool root in the bundle) or "google" (a
  /// pinned Google root issues the owner certificates); empty if undecided.
  std::string owner_style;

  /// The partition certificate's key, prepared for blob signatures (once per
  /// distinct certificate); null when no partition certificate was
  /// identified or its key is not RSA.
  const RsaPublicKey* PartitionKey() const {
    const Certificate* p = Partition();
    return p ? p->rsa_public_key() : nullptr;
  }

  const Certificate* Card() const { return Role(card); }
  const Certificate* Partition() const { return Role(partition); }
  const Certificate* OwnerRoot() const { return owner_root ? &*owner_root : nullptr; }

 private:
  const Certificate* Role(const std::optional<std::size_t>& i) const {
    return bundle && i ? &bundle->certificates[*i] : nullptr;
  }
};

/// Runs the bundle checks on `pem` at `options.check_time` with `options`'
/// anchors and owner pins; the owner chain is verified in the `style` the document
/// requires, and a certificate that style does not use is a leftover
/// (certificates.all_used fails). Not const: a caller that does not share
/// the result (no chain cache) may move its checks and facts out.
std::shared_ptr<BundleVerification> VerifyCertificateBundle(ByteSpan pem, OwnerChainStyle style,
                                                            const VerifyOptions& options);

/// Thread-safe cache of VerifyCertificateBundle results. The key covers the
/// bundle's exact bytes (SHA-256), the owner chain style, the check time,
/// the owner pin and the anchors, so a bundle that differs by one byte is a different entry.
/// Single-flight: concurrent requests for a new bundle verify it once.
/// Bounded: the oldest entries are dropped beyond `capacity`.
class ChainCache {
 public:
  explicit ChainCache(std::size_t capacity = 1024) : capacity_(capacity) {}

  std::shared_ptr<const BundleVerification> GetOrVerify(ByteSpan pem, OwnerChainStyle style,
                                                        const VerifyOptions& options);

  std::uint64_t hits() const { return hits_.load(); }
  std::uint64_t misses() const { return misses_.load(); }

 private:
  std::size_t capacity_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::shared_future<std::shared_ptr<const BundleVerification>>> entries_;
  std::deque<std::string> order_;
  std::atomic<std::uint64_t> hits_{0};
  std::atomic<std::uint64_t> misses_{0};
};

}  // namespace keyattest
