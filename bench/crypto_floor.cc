// The crypto floor of a batch: only the RSA verifications that verifying the
// given attestation files needs, timed alone, each done the cheapest way
// available, with keys prepared before the clock starts. Per file:
//   - one RSA public operation per blob signature (s^e mod n with the
//     partition key's prepared Montgomery context: the arithmetic alone), and
//   - the four certificate signatures of its chains (card by the pinned root,
//     partition by the card, owner root by itself, owner partition by the
//     owner root): the digest of the tbsCertificate, the public operation
//     and the comparison with the expected encoding, with prepared keys
//     (certificate_signature.h). With --x509-verify they are checked with
//     X509_verify instead, which fetches the algorithms and takes OpenSSL
//     3.0's shared locks on every call: the floor as measured until
//     2026-11-30, kept for comparison.
// With --threads N the work is shared by N threads of one process (OpenSSL 3.0
// serialises some of it on shared locks); with --processes N by N forked
// processes, which share nothing, as `openssl speed -multi` measures the
// hardware. Both are printed by bench/run.sh.
// Usage: keyattest_crypto_floor [--threads N | --processes N] [--x509-verify] [--files-from LIST] FILE...
//        (files may repeat)
#include <openssl/rsa.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "keyattest/io/input_file.h"
#include "keyattest/key_attestation/attestation_document.h"
#include "keyattest/key_attestation/verifier.h"
#include "keyattest/run/batch.h"
#include "keyattest/x509/certificate_signature.h"

namespace {

using namespace keyattest;

struct Work {
  std::vector<PreparedSignatureCheck> certificate_checks;
  std::vector<std::pair<const Certificate*, EVP_PKEY*>> x509_verify_checks;  // --x509-verify
  std::vector<std::pair<Bytes, const RsaPublicKey*>> blob_signatures;
  std::shared_ptr<const BundleVerification> bundle;
};

bool RsaPublicOp(const Bytes& signature, const RsaPublicKey* key) {
  return key->Recover(signature, nullptr).has_value();
}

/// Runs one file's verifications; false if any fails.
bool VerifyAll(const Work& w) {
  bool ok = true;
  for (const PreparedSignatureCheck& check : w.certificate_checks) ok = ok && SignatureVerifies(check);
  for (const auto& [cert, key] : w.x509_verify_checks) ok = ok && X509_verify(cert->get(), key) == 1;
  for (const auto& [sig, key] : w.blob_signatures) ok = ok && RsaPublicOp(sig, key);
  return ok;
}

}  // namespace

int main(int argc, char** argv) {
  unsigned threads = 1;
  unsigned processes = 0;
  bool x509_verify = false;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--threads") == 0 && i + 1 < argc) {
      threads = static_cast<unsigned>(std::stoul(argv[++i]));
    } else if (std::strcmp(argv[i], "--processes") == 0 && i + 1 < argc) {
      processes = static_cast<unsigned>(std::stoul(argv[++i]));
    } else if (std::strcmp(argv[i], "--x509-verify") == 0) {
      x509_verify = true;
    } else if (std::strcmp(argv[i], "--files-from") == 0 && i + 1 < argc) {
      std::vector<std::string> listed = ReadPathList(argv[++i]);
      files.insert(files.end(), listed.begin(), listed.end());
    } else {
      files.emplace_back(argv[i]);
    }
  }
  if (files.empty()) {
    (void)std::fprintf(stderr, "usage: keyattest_crypto_floor [--threads N | --processes N] [--x509-verify] FILE...\n");
    return 2;
  }
  VerifyOptions options = DefaultVerifyOptions();
  options.check_time = keyattest::CheckTime::Now();
  // Prepare each distinct file content once (untimed): keys, certificates,
  // signatures. Keyed by content, so that N copies under distinct names are
  // prepared once.
  std::map<std::string, Work> prepared;
  std::vector<const Work*> plan;
  std::size_t rsa_ops = 0;
  for (const auto& f : files) {
    const std::string text = ReadInputFile(f, kMaxInputFileBytes, kAttestationDocumentInput);
    auto it = prepared.find(text);
    if (it == prepared.end()) {
      AttestationDocument doc = ParseAttestationDocument(text);
      Work w;
      w.bundle = VerifyCertificateBundle(doc.certificate_pem, OwnerChainStyle::kAzure, options);
      const Certificate* partition = w.bundle->Partition();
      if (!partition || !w.bundle->Card() || !w.bundle->OwnerRoot()) {
        (void)std::fprintf(stderr, "%s: chains do not resolve\n", f.c_str());
        return 1;
      }
      const auto& certs = w.bundle->bundle->certificates;
      const Certificate* owner_partition = nullptr;
      for (const auto& c : certs) {
        if (&c != partition && c.spki_der() == partition->spki_der()) owner_partition = &c;
      }
      const Certificate* root = nullptr;
      for (const auto& anchor : options.marvell_roots) {
        if (anchor.Issued(*w.bundle->Card())) root = &anchor.certificate();
      }
      if (root == nullptr) {
        (void)std::fprintf(stderr, "%s: no pinned root issued the card certificate\n", f.c_str());
        return 1;
      }
      if (owner_partition == nullptr || partition->rsa_public_key() == nullptr) {
        (void)std::fprintf(stderr, "%s: no owner partition certificate, or the partition key is not RSA\n", f.c_str());
        return 1;
      }
      const std::pair<const Certificate*, const Certificate*> pairs[] = {{w.bundle->Card(), root},
                                                                         {partition, w.bundle->Card()},
                                                                         {w.bundle->OwnerRoot(), w.bundle->OwnerRoot()},
                                                                         {owner_partition, w.bundle->OwnerRoot()}};
      for (const auto& [subject, issuer] : pairs) {
        if (x509_verify) {
          w.x509_verify_checks.emplace_back(subject, issuer->public_key());
          continue;
        }
        std::optional<PreparedSignatureCheck> check = PrepareSignatureCheck(*subject, *issuer);
        if (!check) {
          (void)std::fprintf(stderr, "%s: a certificate signature is not in the prepared form\n", f.c_str());
          return 1;
        }
        w.certificate_checks.push_back(*check);
      }
      const RsaPublicKey* partition_key = partition->rsa_public_key();
      const std::size_t k = partition_key->size();
      for (const Bytes* blob :
           {&doc.private_key_attestation, doc.public_key_attestation ? &*doc.public_key_attestation : nullptr}) {
        if (blob)
          w.blob_signatures.emplace_back(Bytes(blob->end() - static_cast<std::ptrdiff_t>(k), blob->end()),
                                         partition_key);
      }
      it = prepared.emplace(text, std::move(w)).first;
    }
    plan.push_back(&it->second);
    rsa_ops +=
        it->second.certificate_checks.size() + it->second.x509_verify_checks.size() + it->second.blob_signatures.size();
  }

  std::atomic<std::size_t> next{0};
  std::atomic<bool> ok{true};
  auto run = [&] {
    for (std::size_t i = next++; i < plan.size(); i = next++) ok = VerifyAll(*plan[i]) && ok;
  };
  auto start = std::chrono::steady_clock::now();
  if (processes > 0) {
    // Each child takes every processes-th file; the parent times them all.
    std::vector<pid_t> children;
    for (unsigned p = 0; p < processes; ++p) {
      const pid_t pid = fork();
      if (pid == 0) {
        bool child_ok = true;
        for (std::size_t i = p; i < plan.size(); i += processes) child_ok = VerifyAll(*plan[i]) && child_ok;
        _exit(child_ok ? 0 : 1);
      }
      if (pid < 0) return 2;
      children.push_back(pid);
    }
    for (pid_t pid : children) {
      int status = 0;
      ok = ok && waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0;
    }
  } else {
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t) pool.emplace_back(run);
    for (auto& t : pool) t.join();
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf(
      "files %zu  rsa_verifications %zu  %s %u  seconds %.3f  files_per_second %.0f  verifications_per_second "
      "%.0f%s\n",
      plan.size(), rsa_ops, processes > 0 ? "processes" : "threads", processes > 0 ? processes : threads, seconds,
      static_cast<double>(plan.size()) / seconds, static_cast<double>(rsa_ops) / seconds,
      ok ? "" : "  (SOME VERIFICATIONS FAILED)");
  return ok ? 0 : 1;
}
