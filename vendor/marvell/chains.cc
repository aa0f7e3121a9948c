#include "keyattest/marvell/chains.h"

#include <openssl/x509v3.h>
#include <spdlog/spdlog.h>

#include "keyattest/x509/path_verifier.h"

namespace keyattest::marvell {

namespace {

/// Empty when X509_verify_cert builds pinned root -> card -> partition at
/// `at` with `root` as the only anchor and the card as the only untrusted
/// certificate; one tolerated error: X509_V_ERR_INVALID_CA for that card,
/// at depth 1, when it is X.509 v1 (§10.1: real card certificates are v1,
/// which OpenSSL refuses as an issuer).
std::string VerifyManufacturerPath(const Certificate& partition, const Certificate& card, const Certificate& root,
                                   std::time_t at) {
  PathRequest request;
  request.leaf = &partition;
  request.anchors = {&root};
  request.untrusted = {&card};
  request.at = at;
  request.tolerated =
      ToleratedError{X509_V_ERR_INVALID_CA, &card, 1, X509_VERSION_1,
                     "manufacturer chain: tolerating OpenSSL error 79 (invalid CA) for the X.509 v1 card certificate"};
  PathResult path = VerifyPath(request);
  if (!path.ok) return path.detail;
  if (path.length != 3) {
    return "OpenSSL built a chain of " + std::to_string(path.length) + " certificates, expected 3";
  }
  return "";
}

/// Step 1: exactly one certificate names a pinned root as its issuer (the
/// card); sets r.card and returns the first such root, or sets r.detail.
/// Candidates are found by DER name equality alone; every signature is
/// then checked exactly once, by X509_verify_cert. A certificate that merely
/// names a pinned root (or the card) as issuer already competes for the
/// role, so a look-alike can only make the bundle ambiguous, never pass.
std::optional<std::size_t> FindCard(const std::vector<Certificate>& bundle, const std::vector<TrustAnchor>& anchors,
                                    ChainResult& r) {
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
    return std::nullopt;
  }
  if (cards.size() > 1) {
    r.detail = "ambiguous: " + std::to_string(cards.size()) +
               " certificates could be the HSM card certificate: " + SubjectsOf(bundle, cards);
    return std::nullopt;
  }
  r.card = cards[0];
  spdlog::debug("manufacturer chain: card candidate '{}' names pinned root '{}' as issuer", bundle[cards[0]].subject(),
                anchors[card_root[0]].name());
  return card_root[0];
}

/// Step 2: the anchors, from `first` on, with the card's issuer name,
/// decoded now (only these are); sets r.root to the first. Empty, with
/// r.detail, when one of them does not decode or match its pin.
std::vector<std::size_t> NamedAnchors(const std::vector<TrustAnchor>& anchors, std::size_t first,
                                      const Certificate& card, ChainResult& r) {
  std::vector<std::size_t> named;
  for (std::size_t a = first; a < anchors.size(); ++a) {
    if (!anchors[a].Issued(card)) continue;
    try {
      (void)anchors[a].certificate();
    } catch (const CryptoError& e) {
      r.detail = e.what();
      return {};
    }
    named.push_back(a);
  }
  r.root = named[0];
  return named;
}

/// Step 3: exactly one other certificate names the card as its issuer (the
/// partition); sets r.partition, or r.detail.
bool FindPartition(const std::vector<Certificate>& bundle, std::size_t card_index, ChainResult& r) {
  const Certificate& card = bundle[card_index];
  std::vector<std::size_t> partitions;
  for (std::size_t i = 0; i < bundle.size(); ++i) {
    if (i != card_index && bundle[i].NameChainsTo(card)) partitions.push_back(i);
  }
  if (partitions.empty()) {
    r.detail = "no certificate in the bundle is issued by the HSM card certificate '" + card.common_name() + "'";
    return false;
  }
  if (partitions.size() > 1) {
    r.detail = "ambiguous: " + std::to_string(partitions.size()) +
               " certificates could be the partition certificate: " + SubjectsOf(bundle, partitions);
    return false;
  }
  r.partition = partitions[0];
  spdlog::debug("manufacturer chain: partition candidate '{}'", bundle[partitions[0]].subject());
  return true;
}

/// Step 4: the profile checks OpenSSL does not make (or makes differently
/// for v1): "" or the first problem.
std::string ProfileProblem(const Certificate& card, const Certificate& partition) {
  if (card.version() == 3) {
    if (auto ca = BasicConstraintsCa(card); ca && !*ca) return "card certificate has basicConstraints CA:FALSE";
    if (auto ku = KeyUsageBits(card); ku && (*ku & KU_KEY_CERT_SIGN) == 0) {
      return "card certificate's keyUsage lacks keyCertSign";
    }
  }
  if (auto ca = BasicConstraintsCa(partition); ca && *ca) {
    return "partition certificate is a CA (basicConstraints CA:TRUE)";
  }
  if (auto ku = KeyUsageBits(partition); ku && (*ku & KU_DIGITAL_SIGNATURE) == 0) {
    return "partition certificate's keyUsage lacks digitalSignature";
  }
  if (std::string why = CheckPathAlgorithms({{&card, "card certificate"}, {&partition, "partition certificate"}},
                                            MarvellChainAlgorithmPolicy());
      !why.empty()) {
    return why;
  }
  // The prepared key (built once per certificate) has e at hand.
  const RsaPublicKey* partition_rsa = partition.rsa_public_key();
  if (partition_rsa == nullptr) return "partition certificate key's modulus is not usable";
  if (!partition_rsa->ExponentIs(RSA_F4)) return "partition certificate key's public exponent is not 65537";
  return "";
}

/// Step 5: the path, against each named anchor alone, in order. Several
/// anchors may share a name (a root and its reissue, or a look-alike); a v1
/// card has no authority key identifier to tell them apart. Sets r.root and
/// r.ok on the first that verifies; otherwise r.detail is the first failure.
void VerifyAgainstNamedAnchors(const Certificate& partition, const Certificate& card,
                               const std::vector<TrustAnchor>& anchors, const std::vector<std::size_t>& named,
                               std::time_t at, ChainResult& r) {
  std::string first_failure;
  for (std::size_t a : named) {
    std::string why = VerifyManufacturerPath(partition, card, anchors[a].certificate(), at);
    if (why.empty()) {
      r.root = a;
      r.ok = true;
      return;
    }
    if (first_failure.empty()) first_failure = why;
  }
  r.detail = first_failure;
}

}  // namespace

std::string SubjectsOf(const std::vector<Certificate>& bundle, const std::vector<std::size_t>& indices) {
  std::string out;
  for (std::size_t i : indices) out += (out.empty() ? "" : "; ") + bundle[i].subject();
  return out;
}

ChainResult VerifyManufacturerChain(const std::vector<Certificate>& bundle, const std::vector<TrustAnchor>& anchors,
                                    std::time_t at) {
  ChainResult r;
  if (anchors.empty()) {
    r.detail = "no Marvell trust anchors configured";
    return r;
  }
  const std::optional<std::size_t> card_root = FindCard(bundle, anchors, r);
  if (!card_root) return r;
  const Certificate& card = bundle[*r.card];
  const std::vector<std::size_t> named = NamedAnchors(anchors, *card_root, card, r);
  if (named.empty()) return r;
  if (!FindPartition(bundle, *r.card, r)) return r;
  const Certificate& partition = bundle[*r.partition];
  if (std::string why = ProfileProblem(card, partition); !why.empty()) {
    r.detail = why;
    return r;
  }
  VerifyAgainstNamedAnchors(partition, card, anchors, named, at, r);
  if (!r.ok) return r;
  const Certificate& root = anchors[*r.root].certificate();
  r.detail = "pinned root '" + root.common_name() + "' -> card '" + card.common_name() + "' -> partition '" +
             partition.common_name() + "', valid at " + FormatRfc3339(at);
  return r;
}

}  // namespace keyattest::marvell
