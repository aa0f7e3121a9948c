// The crypto floor of a batch: only the RSA verifications that verifying the
// given attestation files needs, timed alone with OpenSSL. Per file:
//   - one RSA-2048 public operation per blob signature (EVP_PKEY_verify_recover,
//     no padding, as the layout-B scheme needs), and
//   - the four certificate signatures of its chains (card by the pinned root,
//     partition by the card, owner root by itself, owner partition by the
//     owner root), with X509_verify.
// With --threads N the work is shared by N threads of one process (OpenSSL 3.0
// serialises some of it on shared locks); with --processes N by N forked
// processes, which share nothing, as `openssl speed -multi` measures the
// hardware. Both are printed by bench/run.sh.
// Usage: keyattest_crypto_floor [--threads N | --processes N] [--files-from LIST] FILE...   (files may repeat)
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

namespace {

using namespace keyattest;

struct Work {
  std::vector<std::pair<const Certificate*, EVP_PKEY*>> certificate_checks;
  std::vector<std::pair<Bytes, EVP_PKEY*>> blob_signatures;
  std::shared_ptr<const BundleVerification> bundle;
};

bool RsaPublicOp(const Bytes& signature, EVP_PKEY* key) {
  EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new(key, nullptr));
  if (!ctx || EVP_PKEY_verify_recover_init(ctx.get()) != 1 ||
      EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_NO_PADDING) != 1) {
    return false;
  }
  unsigned char out[1024];
  std::size_t out_len = sizeof(out);
  return EVP_PKEY_verify_recover(ctx.get(), out, &out_len, signature.data(), signature.size()) == 1;
}

}  // namespace

int main(int argc, char** argv) {
  unsigned threads = 1;
  unsigned processes = 0;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--threads") == 0 && i + 1 < argc) {
      threads = static_cast<unsigned>(std::stoul(argv[++i]));
    } else if (std::strcmp(argv[i], "--processes") == 0 && i + 1 < argc) {
      processes = static_cast<unsigned>(std::stoul(argv[++i]));
    } else if (std::strcmp(argv[i], "--files-from") == 0 && i + 1 < argc) {
      std::vector<std::string> listed = ReadPathList(argv[++i]);
      files.insert(files.end(), listed.begin(), listed.end());
    } else {
      files.emplace_back(argv[i]);
    }
  }
  if (files.empty()) {
    (void)std::fprintf(stderr, "usage: keyattest_crypto_floor [--threads N | --processes N] FILE...\n");
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
      EVP_PKEY* root_key = nullptr;
      for (const auto& anchor : options.marvell_roots) {
        if (anchor.Issued(*w.bundle->Card())) root_key = anchor.certificate().public_key();
      }
      if (root_key == nullptr) {
        (void)std::fprintf(stderr, "%s: no pinned root issued the card certificate\n", f.c_str());
        return 1;
      }
      w.certificate_checks = {{w.bundle->Card(), root_key},
                              {partition, w.bundle->Card()->public_key()},
                              {w.bundle->OwnerRoot(), w.bundle->OwnerRoot()->public_key()},
                              {owner_partition, w.bundle->OwnerRoot()->public_key()}};
      const std::size_t k = static_cast<std::size_t>(EVP_PKEY_get_size(partition->public_key()));
      for (const Bytes* blob :
           {&doc.private_key_attestation, doc.public_key_attestation ? &*doc.public_key_attestation : nullptr}) {
        if (blob)
          w.blob_signatures.emplace_back(Bytes(blob->end() - static_cast<std::ptrdiff_t>(k), blob->end()),
                                         partition->public_key());
      }
      it = prepared.emplace(text, std::move(w)).first;
    }
    plan.push_back(&it->second);
    rsa_ops += it->second.certificate_checks.size() + it->second.blob_signatures.size();
  }

  std::atomic<std::size_t> next{0};
  std::atomic<bool> ok{true};
  auto run = [&] {
    for (std::size_t i = next++; i < plan.size(); i = next++) {
      for (const auto& [cert, key] : plan[i]->certificate_checks) ok = ok && X509_verify(cert->get(), key) == 1;
      for (const auto& [sig, key] : plan[i]->blob_signatures) ok = ok && RsaPublicOp(sig, key);
    }
  };
  auto start = std::chrono::steady_clock::now();
  if (processes > 0) {
    // Each child takes every processes-th file; the parent times them all.
    std::vector<pid_t> children;
    for (unsigned p = 0; p < processes; ++p) {
      const pid_t pid = fork();
      if (pid == 0) {
        bool child_ok = true;
        for (std::size_t i = p; i < plan.size(); i += processes) {
          for (const auto& [cert, key] : plan[i]->certificate_checks) {
            child_ok = child_ok && X509_verify(cert->get(), key) == 1;
          }
          for (const auto& [sig, key] : plan[i]->blob_signatures) child_ok = child_ok && RsaPublicOp(sig, key);
        }
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
