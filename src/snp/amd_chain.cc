// VCEK/VLEK -> ASK/ASVK -> pinned ARK (docs/snp.md "Chain").
#include "keyattest/snp/amd_chain.h"

#include <openssl/x509_vfy.h>

#include <stdexcept>

#include "keyattest/crypto/openssl_ptr.h"
#include "keyattest/x509/path_verifier.h"

namespace keyattest::snp {

const Bytes kAmdRsaPssSha384AlgorithmIdentifier = {
    0x30, 0x46, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a, 0x30, 0x39, 0xa0, 0x0f, 0x30,
    0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0xa1, 0x1c, 0x30, 0x1a,
    0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x08, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48,
    0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0xa2, 0x03, 0x02, 0x01, 0x30, 0xa3, 0x03, 0x02, 0x01, 0x01};

namespace {

enum class Role { kLeaf, kIntermediate, kRoot };

struct RoleName {
  Role role;
  amd::Product product;
  amd::EndorsementKind kind;
  bool has_product;  // the leaf's CN names no product
};

std::optional<RoleName> ParseCommonName(const std::string& cn) {
  using amd::EndorsementKind;
  if (cn == "SEV-VCEK") return RoleName{Role::kLeaf, amd::Product::kMilan, EndorsementKind::kVcek, false};
  if (cn == "SEV-VLEK") return RoleName{Role::kLeaf, amd::Product::kMilan, EndorsementKind::kVlek, false};
  for (amd::Product p : {amd::Product::kMilan, amd::Product::kGenoa, amd::Product::kTurin}) {
    const std::string name = amd::ProductName(p);
    if (cn == "SEV-" + name) return RoleName{Role::kIntermediate, p, EndorsementKind::kVcek, true};
    if (cn == "SEV-VLEK-" + name) return RoleName{Role::kIntermediate, p, EndorsementKind::kVlek, true};
    if (cn == "ARK-" + name) return RoleName{Role::kRoot, p, EndorsementKind::kVcek, true};
  }
  return std::nullopt;
}

const char* KindName(amd::EndorsementKind kind) { return kind == amd::EndorsementKind::kVcek ? "VCEK" : "VLEK"; }

Bytes AlgorithmDer(const X509_ALGOR* alg) { return ToDer(i2d_X509_ALGOR, alg, "i2d_X509_ALGOR"); }

/// Shape of one certificate: v3, AMD's exact PSS identifier in both places,
/// and the expected key. Returns "" or the problem.
std::string CheckShape(const Certificate& c, const char* role, bool rsa4096) {
  if (c.version() != 3) return std::string(role) + " is X.509 v" + std::to_string(c.version()) + ", not v3";
  const X509_ALGOR* outer = nullptr;
  X509_get0_signature(nullptr, &outer, c.get());
  if (AlgorithmDer(X509_get0_tbs_sigalg(c.get())) != kAmdRsaPssSha384AlgorithmIdentifier || outer == nullptr ||
      AlgorithmDer(outer) != kAmdRsaPssSha384AlgorithmIdentifier) {
    return std::string(role) + " is not signed with AMD's RSASSA-PSS SHA-384 AlgorithmIdentifier (" +
           c.signature_algorithm() + ")";
  }
  EVP_PKEY* key = c.public_key();
  if (rsa4096) {
    if (EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA || EVP_PKEY_get_bits(key) != 4096) {
      return std::string(role) + " key is " + c.key_description() + ", not RSA-4096";
    }
    return "";
  }
  char group[64] = {};
  std::size_t len = 0;
  if (EVP_PKEY_get_base_id(key) != EVP_PKEY_EC || EVP_PKEY_get_group_name(key, group, sizeof(group), &len) != 1 ||
      std::string(group, len) != "secp384r1") {
    ClearOpenSslErrors();
    return std::string(role) + " key is " + c.key_description() + ", not EC P-384";
  }
  return "";
}

/// X509_verify_cert in strict mode from the leaf through the intermediate
/// to `anchor` alone at `at`; the one tolerated error is AMD's missing
/// authority key identifier (error 85) on the leaf at depth 0 (docs/snp.md
/// "Chain" step 4). The path must be exactly leaf, intermediate, anchor.
AmdChainResult RunX509Verify(const AmdChainRoles& roles, const Certificate& anchor, std::time_t at) {
  PathRequest request;
  request.leaf = &*roles.leaf;
  request.anchors = {&anchor};
  request.untrusted = {&*roles.intermediate};
  request.at = at;
  request.flags = X509_V_FLAG_X509_STRICT;
  request.tolerated = ToleratedError{X509_V_ERR_MISSING_AUTHORITY_KEY_IDENTIFIER, &*roles.leaf, 0, std::nullopt,
                                     "snp chain: tolerating OpenSSL error 85 (missing authority key identifier) "
                                     "on the VCEK/VLEK leaf"};
  const PathResult path = VerifyPath(request);
  AmdChainResult out;
  if (!path.ok) {
    out.detail = path.detail;
    return out;
  }
  if (path.length != 3 || X509_cmp(path.path[1].get(), roles.intermediate->get()) != 0 ||
      X509_cmp(path.path[2].get(), anchor.get()) != 0) {
    out.detail = "OpenSSL built a chain other than leaf, intermediate, pinned ARK";
    return out;
  }
  out.ok = true;
  out.tolerated_missing_akid = path.tolerated;
  return out;
}

}  // namespace

AmdChainRoles ClassifyAmdCertificates(const std::vector<Certificate>& certificates) {
  AmdChainRoles out;
  std::optional<RoleName> intermediate_name;
  std::optional<RoleName> leaf_name;
  std::optional<RoleName> root_name;
  for (const Certificate& c : certificates) {
    std::optional<RoleName> name = ParseCommonName(c.common_name());
    if (!name) throw std::invalid_argument("certificate CN \"" + c.common_name() + "\" is not an AMD role");
    std::optional<Certificate>& slot = name->role == Role::kLeaf           ? out.leaf
                                       : name->role == Role::kIntermediate ? out.intermediate
                                                                           : out.root;
    if (slot) throw std::invalid_argument("two certificates for the role of " + c.common_name());
    slot = c;
    (name->role == Role::kLeaf ? leaf_name : name->role == Role::kIntermediate ? intermediate_name : root_name) = name;
  }
  if (!leaf_name) throw std::invalid_argument("no SEV-VCEK or SEV-VLEK certificate");
  if (!intermediate_name)
    throw std::invalid_argument("no ASK (SEV-<product>) or ASVK (SEV-VLEK-<product>) certificate");
  out.product = intermediate_name->product;
  out.kind = intermediate_name->kind;
  if (leaf_name->kind != out.kind) {
    throw std::invalid_argument(std::string("a ") + KindName(leaf_name->kind) + " certificate with the " +
                                KindName(out.kind) + " intermediate " + out.intermediate->common_name());
  }
  if (root_name && root_name->product != out.product) {
    throw std::invalid_argument("the bundle's " + out.root->common_name() + " is not the root of " +
                                out.intermediate->common_name());
  }
  return out;
}

AmdChainResult VerifyAmdChain(const AmdChainRoles& roles, const std::vector<TrustAnchor>& anchors, std::time_t at) {
  AmdChainResult out;
  const std::string ark_cn = std::string("ARK-") + amd::ProductName(roles.product);
  const Certificate* anchor = nullptr;
  for (const TrustAnchor& a : anchors) {
    const Certificate& c = a.certificate();
    if (c.common_name() == ark_cn && a.Issued(*roles.intermediate)) {
      anchor = &c;
      break;
    }
  }
  if (anchor == nullptr) {
    out.detail = "no trusted " + ark_cn + " issued " + roles.intermediate->common_name();
    return out;
  }
  if (roles.root && roles.root->der() != anchor->der()) {
    out.detail = "the bundle's " + roles.root->common_name() + " is not the pinned " + ark_cn + " (SHA-256 " +
                 HexEncode(roles.root->sha256()) + ")";
    return out;
  }
  for (const std::string& problem :
       {CheckShape(*anchor, "ARK", true),
        CheckShape(*roles.intermediate, roles.kind == amd::EndorsementKind::kVcek ? "ASK" : "ASVK", true),
        CheckShape(*roles.leaf, KindName(roles.kind), false)}) {
    if (!problem.empty()) {
      out.detail = problem;
      return out;
    }
  }
  out = RunX509Verify(roles, *anchor, at);
  out.anchor = *anchor;
  if (out.ok) {
    out.detail =
        std::string(KindName(roles.kind)) + " <- " + roles.intermediate->common_name() + " <- " + ark_cn +
        " (pinned SPKI " + HexEncode(anchor->spki_sha256()).substr(0, 16) + "...), valid at the check time" +
        (out.tolerated_missing_akid ? "; the leaf's missing authority key identifier (error 85) tolerated" : "");
  }
  return out;
}

}  // namespace keyattest::snp
