// Batch verification: input order whatever the scheduling, worst exit code,
// and a chain cache that can never let a foreign blob pass.
#include "keyattest/run/batch.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <thread>

#include "keyattest/run/cli_support.h"
#include "tests/support/attestation_files.h"
#include "tests/support/synthetic.h"
#include "tests/support/test_paths.h"

namespace keyattest {
namespace {

using namespace keyattest::testing;
namespace fs = std::filesystem;

std::time_t ParseRfc3339Helper() { return *ParseRfc3339("2026-06-01T00:00:00Z"); }

/// `options` checked at another time (the chain cache keys on it).
VerifyOptions AtTime(VerifyOptions options, std::time_t at) {
  options.check_time = keyattest::CheckTime::At(at);
  return options;
}

fs::path FreshDir(const std::string& name) {
  fs::path dir = fs::path(::testing::TempDir()) / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

TEST(BatchTest, EmitsInInputOrderWithManyWorkers) {
  std::vector<std::string> paths;
  const char* samples[] = {"azure-sdk-js-rsa2048", "azure-cli-rsa2048", "azure-sdk-net-ec-p256",
                           "azure-sdk-net-oct-aes256"};
  for (int i = 0; i < 48; ++i)
    paths.push_back(i % 7 == 3 ? "/nonexistent/" + std::to_string(i) : RepoSample(samples[i % 4]));
  VerifyOptions options = DefaultVerifyOptions();
  options.check_time = keyattest::CheckTime::At(ParseRfc3339Helper());
  options.chain_cache = std::make_shared<ChainCache>();
  std::vector<std::size_t> order;
  std::vector<Verdict> verdicts;
  BatchSummary summary = VerifyBatch(paths, AttestationFiles(options), 4, [&](std::size_t i, const Report& r) {
    order.push_back(i);
    EXPECT_EQ(r.source, paths[i]);
    verdicts.push_back(r.verdict());
  });
  ASSERT_EQ(order.size(), paths.size());
  for (std::size_t i = 0; i < order.size(); ++i) EXPECT_EQ(order[i], i);
  for (std::size_t i = 0; i < paths.size(); ++i) {
    Verdict want = i % 7 == 3 ? Verdict::kUnreadable : i % 4 == 1 ? Verdict::kFailed : Verdict::kVerified;
    EXPECT_EQ(verdicts[i], want) << i;
  }
  EXPECT_EQ(summary.files, 48u);
  EXPECT_EQ(summary.unreadable, 7u);
  EXPECT_EQ(summary.exit_code, ExitCode::kUnreadable);
  EXPECT_EQ(options.chain_cache->misses() + options.chain_cache->hits(), 41u);
  EXPECT_EQ(options.chain_cache->misses(), 4u);  // one verification per distinct bundle, whatever the threads
}

// emit and progress run one call at a time, progress right after its emit,
// whichever thread delivers; a slow first file holds the others back.
TEST(BatchTest, EmitAndProgressAreSerialisedAndOrdered) {
  std::vector<std::string> paths;
  for (int i = 0; i < 64; ++i) paths.push_back(RepoSample(i % 2 ? "azure-sdk-net-ec-p256" : "azure-sdk-js-rsa2048"));
  VerifyOptions options = DefaultVerifyOptions();
  options.check_time = keyattest::CheckTime::At(ParseRfc3339Helper());
  for (unsigned jobs : {2u, 3u, 8u}) {
    std::atomic<int> inside{0};
    std::atomic<bool> overlapped{false};
    std::size_t emitted = 0;
    std::vector<std::size_t> progress_seen;
    auto emit = [&](std::size_t i, const Report& r) {
      if (inside.fetch_add(1) != 0) overlapped = true;
      EXPECT_EQ(i, emitted);
      EXPECT_EQ(r.verdict(), Verdict::kVerified);
      if (i == 0) std::this_thread::sleep_for(std::chrono::milliseconds(20));  // others finish meanwhile
      ++emitted;
      inside.fetch_sub(1);
    };
    auto progress = [&](std::size_t done, std::size_t total) {
      if (inside.load() != 0) overlapped = true;
      EXPECT_EQ(total, paths.size());
      EXPECT_EQ(done, emitted);
      progress_seen.push_back(done);
    };
    BatchSummary summary = VerifyBatch(paths, AttestationFiles(options), jobs, emit, progress);
    EXPECT_FALSE(overlapped) << jobs;
    EXPECT_EQ(emitted, paths.size());
    ASSERT_EQ(progress_seen.size(), paths.size());
    EXPECT_EQ(progress_seen.back(), paths.size());
    EXPECT_EQ(summary.verified, paths.size());
  }
}

/// `text` with the character `offset` characters after the first `marker`
/// swapped for another base64 letter (a one-character forgery).
std::string Flipped(std::string text, const std::string& marker, std::size_t offset) {
  const std::size_t at = text.find(marker);
  EXPECT_NE(at, std::string::npos) << marker;
  char& c = text[at + marker.size() + offset];
  c = c == 'A' ? 'B' : 'A';
  return text;
}

struct Outcome {
  std::string source;
  ExitCode exit_code;
  std::vector<std::string> checks;  // "id status detail"
  bool operator==(const Outcome&) const = default;
};

// Whatever the number of jobs and with the chain cache on or off, every file
// gets exactly the report one job gives it, in input order: genuine files,
// a file that fails at the check time, one-character forgeries of a blob
// signature, a certificate and the key, unreadable and malformed inputs.
TEST(BatchTest, ReportsAreTheSameWithOneJobAndMany) {
  const fs::path dir = FreshDir("batch_same_reports_" + std::to_string(getpid()));  // other checkouts run it too
  const std::string js = ReadRepoSample("azure-sdk-js-rsa2048");
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir / name, std::ios::binary) << text;
    return (dir / name).string();
  };
  const std::vector<std::string> kinds = {
      RepoSample("azure-sdk-js-rsa2048"),
      write("blob-forged.json", Flipped(js, "\"privateKeyAttestation\":\"", 2000)),
      RepoSample("azure-cli-rsa2048"),
      write("cert-forged.json", Flipped(js, "\"certificatePemFile\":\"", 3000)),
      RepoSample("azure-sdk-net-ec-p256"),
      write("key-forged.json", Flipped(js, "\"n\":\"", 40)),
      "/nonexistent/file.json",
      write("not-json.json", "{\"attributes\": "),
      RepoSample("azure-sdk-net-oct-aes256"),
  };
  std::vector<std::string> paths;
  for (int i = 0; i < 40; ++i) paths.push_back(kinds[static_cast<std::size_t>(i) % kinds.size()]);
  auto run = [&](unsigned jobs, bool cache) {
    VerifyOptions options = DefaultVerifyOptions();
    options.check_time = keyattest::CheckTime::At(ParseRfc3339Helper());
    if (cache) options.chain_cache = std::make_shared<ChainCache>();
    options.certificate_cache = std::make_shared<CertificateCache>();
    std::vector<Outcome> out;
    const BatchSummary summary =
        VerifyBatch(paths, AttestationFiles(options), jobs, [&](std::size_t i, const Report& r) {
          EXPECT_EQ(i, out.size());
          Outcome o{r.source, r.exit_code(), {}};
          for (const auto& c : r.checks) {
            o.checks.push_back(std::string(c.id.view()) + " " + std::to_string(static_cast<int>(c.status)) + " " +
                               c.detail);
          }
          out.push_back(std::move(o));
        });
    EXPECT_EQ(summary.exit_code, ExitCode::kUnreadable);
    return out;
  };
  const std::vector<Outcome> one = run(1, false);
  ASSERT_EQ(one.size(), paths.size());
  for (std::size_t i = 0; i < paths.size(); ++i) {
    const std::size_t kind = i % kinds.size();
    const bool genuine = kind == 0 || kind == 4 || kind == 8;
    EXPECT_EQ(one[i].source, paths[i]);
    EXPECT_EQ(one[i].exit_code == ExitCode::kVerified, genuine) << paths[i];
  }
  const ExitCode want[] = {ExitCode::kVerified,           ExitCode::kVerificationFailed, ExitCode::kVerificationFailed,
                           ExitCode::kVerificationFailed, ExitCode::kVerified,           ExitCode::kVerificationFailed,
                           ExitCode::kUnreadable,         ExitCode::kUnreadable,         ExitCode::kVerified};
  for (std::size_t kind = 0; kind < kinds.size(); ++kind) EXPECT_EQ(one[kind].exit_code, want[kind]) << kinds[kind];
  for (unsigned jobs : {1u, 2u, 5u}) {
    for (bool cache : {false, true}) {
      const std::vector<Outcome> many = run(jobs, cache);
      ASSERT_EQ(many.size(), one.size());
      for (std::size_t i = 0; i < one.size(); ++i) {
        EXPECT_EQ(many[i], one[i]) << "jobs " << jobs << ", cache " << cache << ", file " << i << " " << paths[i];
      }
    }
  }
}

TEST(BatchTest, MoreJobsThanFilesAndNoFiles) {
  VerifyOptions options = DefaultVerifyOptions();
  std::vector<std::size_t> order;
  auto record = [&](std::size_t i, const Report&) { order.push_back(i); };
  VerifyBatch({"/nonexistent/a", "/nonexistent/b"}, AttestationFiles(options), 16, record);
  EXPECT_EQ(order, (std::vector<std::size_t>{0, 1}));
  BatchSummary none = VerifyBatch({}, AttestationFiles(options), 4, record);
  EXPECT_EQ(none.files, 0u);
  EXPECT_EQ(order.size(), 2u);
}

TEST(BatchTest, ExitCodeIsTheWorst) {
  VerifyOptions options = DefaultVerifyOptions();
  auto none = [](std::size_t, const Report&) {};
  EXPECT_EQ(VerifyBatch({RepoSample("azure-sdk-js-rsa2048")}, AttestationFiles(options), 2, none).exit_code,
            ExitCode::kVerified);
  EXPECT_EQ(VerifyBatch({RepoSample("azure-sdk-js-rsa2048"), RepoSample("azure-cli-rsa2048")},
                        AttestationFiles(options), 2, none)
                .exit_code,
            ExitCode::kVerificationFailed);
  EXPECT_EQ(
      VerifyBatch({"/nonexistent", RepoSample("azure-cli-rsa2048")}, AttestationFiles(options), 1, none).exit_code,
      ExitCode::kUnreadable);
  EXPECT_EQ(VerifyBatch({}, AttestationFiles(options), 2, none).files, 0u);
}

TEST(ChainCacheTest, CachedBundleNeverLetsAForeignBlobPass) {
  VerifyOptions options = DefaultVerifyOptions();
  options.check_time = keyattest::CheckTime::At(ParseRfc3339Helper());  // one check time: the cache key includes it
  options.chain_cache = std::make_shared<ChainCache>();
  AttestationDocument js = ParseAttestationDocument(ReadRepoSample("azure-sdk-js-rsa2048"));
  ASSERT_EQ(VerifyAzureAttestation(js, options).verdict(), Verdict::kVerified);
  // Same bundle (cache hit), blobs from another pool's partition.
  AttestationDocument forged = js;
  AttestationDocument cli = ParseAttestationDocument(ReadRepoSample("azure-cli-rsa2048"));
  forged.private_key_attestation = cli.private_key_attestation;
  Report r = VerifyAzureAttestation(forged, options);
  EXPECT_EQ(options.chain_cache->hits(), 1u);
  EXPECT_EQ(r.Find("private.signature")->status, CheckStatus::kFail);
  EXPECT_EQ(r.verdict(), Verdict::kFailed);
  // And the other way round: that pool's genuine blobs under this bundle.
  Synthetic s;
  s.options.chain_cache = std::make_shared<ChainCache>();
  ASSERT_EQ(s.Verify().verdict(), Verdict::kVerified);
  EvpPkeyPtr other = LoadTestKey(TestKeyId::kOtherPartitionRsa2048);
  Bytes foreign = LayoutBBuilder({14, s.private_attributes, {}, {}}).Sign(other.get());
  EXPECT_EQ(s.Verify(s.Document(foreign, s.PublicBlob())).verdict(), Verdict::kFailed);
  EXPECT_EQ(s.options.chain_cache->hits(), 1u);
}

TEST(ChainCacheTest, OneByteDifferenceIsAnotherEntry) {
  VerifyOptions options = DefaultVerifyOptions();
  options.check_time = keyattest::CheckTime::At(ParseRfc3339Helper());
  ChainCache cache;
  AttestationDocument js = ParseAttestationDocument(ReadRepoSample("azure-sdk-js-rsa2048"));
  auto first = cache.GetOrVerify(js.certificate_pem, OwnerChainStyle::kAzure, options);
  auto again = cache.GetOrVerify(js.certificate_pem, OwnerChainStyle::kAzure, options);
  EXPECT_EQ(first.get(), again.get());
  Bytes changed = js.certificate_pem;
  changed.push_back('\n');  // same certificates, different bytes
  auto other = cache.GetOrVerify(changed, OwnerChainStyle::kAzure, options);
  EXPECT_NE(other.get(), first.get());
  // A different check time is a different entry too.
  auto later =
      cache.GetOrVerify(js.certificate_pem, OwnerChainStyle::kAzure, AtTime(options, options.check_time.at + 1));
  EXPECT_NE(later.get(), first.get());
  EXPECT_EQ(cache.hits(), 1u);
  EXPECT_EQ(cache.misses(), 3u);
  // A corrupted certificate byte is re-verified and fails.
  Bytes corrupt = js.certificate_pem;
  corrupt[200] = corrupt[200] == 'A' ? 'B' : 'A';
  auto bad = cache.GetOrVerify(corrupt, OwnerChainStyle::kAzure, options);
  bool failed = false;
  for (const auto& c : bad->checks) failed = failed || c.status == CheckStatus::kFail;
  EXPECT_TRUE(failed);
}

TEST(ChainCacheTest, IsBounded) {
  VerifyOptions options = DefaultVerifyOptions();
  ChainCache cache(2);
  Bytes pem = ParseAttestationDocument(ReadRepoSample("azure-sdk-js-rsa2048")).certificate_pem;
  for (std::time_t t = 0; t < 5; ++t) cache.GetOrVerify(pem, OwnerChainStyle::kAzure, AtTime(options, 1800000000 + t));
  cache.GetOrVerify(pem, OwnerChainStyle::kAzure, AtTime(options, 1800000000));  // evicted long ago: verified again
  EXPECT_EQ(cache.misses(), 6u);
  cache.GetOrVerify(pem, OwnerChainStyle::kAzure, AtTime(options, 1800000004));  // still cached
  EXPECT_EQ(cache.hits(), 1u);
}

TEST(InputPathsTest, DirectoryExpandsToSortedJsonFilesOnly) {
  fs::path dir = FreshDir("batchdir");
  for (const char* name : {"b.json", "a.json", "notes.txt", "c.JSON.bak"}) std::ofstream(dir / name) << "{}";
  // A directory named like a file is listed, and reported unreadable when
  // read, never skipped in silence (issue 10).
  fs::create_directories(dir / "sub.json");
  std::vector<std::string> got = ExpandInputPaths({dir.string(), "x.json"});
  EXPECT_EQ(got, (std::vector<std::string>{(dir / "a.json").string(), (dir / "b.json").string(),
                                           (dir / "sub.json").string(), "x.json"}));
}

TEST(InputPathsTest, OnlyWhatIsADirectoryAfterSymbolicLinksIsExpanded) {
  fs::path dir = FreshDir("linkdir");
  fs::create_directories(dir / "real");
  std::ofstream(dir / "real" / "a.json") << "{}";
  std::ofstream(dir / "file.json") << "{}";
  fs::create_directory_symlink(dir / "real", dir / "link");
  fs::create_symlink(dir / "file.json", dir / "filelink.json");
  fs::create_symlink(dir / "nowhere", dir / "dangling.json");
  const std::vector<std::string> inputs = {(dir / "link").string(),          (dir / "file.json").string(),
                                           (dir / "filelink.json").string(), (dir / "dangling.json").string(),
                                           (dir / "missing.json").string(),  "-"};
  EXPECT_EQ(ExpandInputPaths(inputs), (std::vector<std::string>{(dir / "link" / "a.json").string(), inputs[1],
                                                                inputs[2], inputs[3], inputs[4], "-"}));
}

TEST(InputPathsTest, EmptyDirectoryIsAnInputError) {
  fs::path dir = FreshDir("emptydir");
  std::ofstream(dir / "readme.txt") << "x";
  try {
    ExpandInputPaths({dir.string()});
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), "directory '" + dir.string() + "' holds no *.json file");
  }
}

TEST(InputPathsTest, PathListSkipsBlankLinesAndCarriageReturns) {
  fs::path list = fs::path(::testing::TempDir()) / "list.txt";
  std::ofstream(list) << "a.json\r\n\n  \nb.json\n";
  EXPECT_EQ(ReadPathList(list.string()), (std::vector<std::string>{"a.json", "  ", "b.json"}));
  EXPECT_THROW(ReadPathList("/nonexistent/list"), InputError);
}

TEST(InputPathsTest, PathListWithANulByteNamesItsLine) {
  fs::path list = fs::path(::testing::TempDir()) / "list-nul.txt";
  std::ofstream(list, std::ios::binary) << std::string("a.json\nb.json\0c.json\n", 21);
  try {
    ReadPathList(list.string());
    FAIL() << "accepted a NUL byte";
  } catch (const InputError& e) {
    EXPECT_EQ(
        std::string(e.what()),
        "path list '" + list.string() + "' line 2 holds a NUL byte: give one path per line (find -print, not -print0)");
  }
}

/// A verifier of another kind, to show the batch takes any verifier: it
/// passes a file holding "ok", fails one holding anything else, and throws
/// (a bug) for one holding "throw".
FileVerifier TextVerifier() {
  static constexpr CheckDefinition kContent{"text.content", "Text content"};
  FileVerifier v;
  v.new_report = [] {
    Report r;
    r.kind = "text-test";
    return r;
  };
  v.max_bytes = 16;
  v.what = "a text file";
  v.verify = [](const std::string& source, std::string_view bytes) {
    if (bytes == "throw") throw std::runtime_error("verifier bug");
    Report r;
    r.kind = "text-test";
    r.source = source;
    if (bytes == "ok") {
      r.Pass(kContent, "ok");
    } else {
      r.Fail(kContent, "not ok");
    }
    return r;
  };
  return v;
}

TEST(BatchTest, TakesAnyVerifierAndReadsEachFileWithItsLimit) {
  fs::path dir = FreshDir("anykind");
  std::ofstream(dir / "a.txt") << "ok";
  std::ofstream(dir / "b.txt") << "nope";
  std::ofstream(dir / "c.txt") << "throw";
  std::ofstream(dir / "d.txt") << std::string(17, 'x');  // one byte over the limit
  const std::vector<std::string> paths = {(dir / "a.txt").string(), (dir / "b.txt").string(), (dir / "c.txt").string(),
                                          (dir / "d.txt").string(), (dir / "missing.txt").string()};
  std::vector<Report> reports(paths.size());
  const BatchSummary summary =
      VerifyBatch(paths, TextVerifier(), 2, [&](std::size_t i, const Report& r) { reports[i] = r; });
  EXPECT_EQ(summary.files, 5u);
  EXPECT_EQ(reports[0].verdict(), Verdict::kVerified);
  EXPECT_EQ(reports[1].verdict(), Verdict::kFailed);
  EXPECT_EQ(reports[2].verdict(), Verdict::kInternalError);
  EXPECT_EQ(*reports[2].internal_error, "verifier bug");
  EXPECT_EQ(reports[3].verdict(), Verdict::kUnreadable);
  EXPECT_NE(reports[3].input_error->find("a text file"), std::string::npos) << *reports[3].input_error;
  EXPECT_EQ(reports[4].verdict(), Verdict::kUnreadable);
  for (std::size_t i = 0; i < reports.size(); ++i) {
    EXPECT_EQ(reports[i].kind, "text-test") << i;
    EXPECT_EQ(reports[i].source, paths[i]) << i;
  }
  EXPECT_EQ(summary.exit_code, ExitCode::kInternalError);
}

TEST(BatchTest, EachFileReachesItsVerifierAloneThoughWorkersReuseOneBuffer) {
  // Each worker reads every file into one buffer: a short file after a long
  // one, or after one that could not be read, must be seen exactly.
  fs::path dir = FreshDir("reuse");
  std::ofstream(dir / "long.txt") << "okokokokokok";
  std::ofstream(dir / "ok.txt") << "ok";
  std::ofstream(dir / "over.txt") << std::string(17, 'o');
  const std::vector<std::string> paths = {(dir / "long.txt").string(),    (dir / "ok.txt").string(),
                                          (dir / "missing.txt").string(), (dir / "ok.txt").string(),
                                          (dir / "over.txt").string(),    (dir / "ok.txt").string()};
  const std::vector<Verdict> expected = {Verdict::kFailed,   Verdict::kVerified,   Verdict::kUnreadable,
                                         Verdict::kVerified, Verdict::kUnreadable, Verdict::kVerified};
  for (unsigned jobs : {1u, 2u}) {
    std::vector<Report> reports(paths.size());
    VerifyBatch(paths, TextVerifier(), jobs, [&](std::size_t i, const Report& r) { reports[i] = r; });
    for (std::size_t i = 0; i < paths.size(); ++i) EXPECT_EQ(reports[i].verdict(), expected[i]) << jobs << " " << i;
  }
  std::string buffer = "okokokokokok";  // the twin, file by file, one buffer
  EXPECT_EQ(VerifyFile(paths[1], TextVerifier(), buffer).verdict(), Verdict::kVerified);
  EXPECT_EQ(buffer, "ok");
  EXPECT_EQ(VerifyFile(paths[2], TextVerifier(), buffer).verdict(), Verdict::kUnreadable);
  EXPECT_EQ(buffer, "");
}

TEST(BatchTest, EachOtherWorkerUsesItsOwnCopyOfTheVerifierWhenOneIsOffered) {
  fs::path dir = FreshDir("copies");
  std::ofstream(dir / "ok.txt") << "ok";
  std::ofstream(dir / "no.txt") << "no";
  std::vector<std::string> paths;
  for (int i = 0; i < 40; ++i) paths.push_back((dir / (i % 5 == 0 ? "no.txt" : "ok.txt")).string());
  for (unsigned jobs : {1u, 2u, 4u}) {
    std::atomic<unsigned> copies{0};
    std::mutex mutex;
    std::set<std::string> verified_by;  // which verifier made each report
    FileVerifier original = TextVerifier();
    auto tagged = [&](FileVerifier v, std::string tag) {
      v.verify = [&, inner = v.verify, tag](const std::string& source, std::string_view bytes) {
        std::lock_guard<std::mutex> lock(mutex);
        verified_by.insert(tag);
        return inner(source, bytes);
      };
      return v;
    };
    original = tagged(original, "original");
    original.for_worker = [&] { return tagged(TextVerifier(), "copy " + std::to_string(++copies)); };
    std::vector<Report> reports(paths.size());
    VerifyBatch(paths, original, jobs, [&](std::size_t i, const Report& r) {
      // Slow delivery: every worker gets files to verify.
      std::this_thread::sleep_for(std::chrono::microseconds(200));
      reports[i] = r;
    });
    EXPECT_EQ(copies.load(), jobs - 1) << jobs;
    EXPECT_TRUE(verified_by.count("original")) << jobs;
    for (std::size_t i = 0; i < paths.size(); ++i) {
      EXPECT_EQ(reports[i].verdict(), i % 5 == 0 ? Verdict::kFailed : Verdict::kVerified) << jobs << " " << i;
    }
  }
}

TEST(BatchTest, TheAttestationVerifierOffersACopyOnlyWhenItCachesCertificates) {
  VerifyOptions options = DefaultVerifyOptions();
  options.check_time = keyattest::CheckTime::At(ParseRfc3339Helper());
  EXPECT_FALSE(AttestationFiles(options).for_worker);  // nothing per worker to copy
  options.certificate_cache = std::make_shared<CertificateCache>();
  options.chain_cache = std::make_shared<ChainCache>();
  const FileVerifier verifier = AttestationFiles(options);
  ASSERT_TRUE(verifier.for_worker);
  const FileVerifier copy = verifier.for_worker();
  const std::string sample = RepoSample("azure-sdk-js-rsa2048");
  EXPECT_EQ(VerifyFile(sample, copy).verdict(), Verdict::kVerified);
  EXPECT_EQ(VerifyFile(sample, verifier).verdict(), Verdict::kVerified);
  // The chain cache stays shared: the copy's verification is the one the
  // original finds.
  EXPECT_EQ(options.chain_cache->misses(), 1u);
  EXPECT_EQ(options.chain_cache->hits(), 1u);
}

TEST(BatchTest, AWorkerBufferKeepsTheMemoryOfSmallFilesOnlyTillTheNextOne) {
  fs::path dir = FreshDir("keep");
  std::ofstream(dir / "small.txt") << std::string(100000, 's');
  std::ofstream(dir / "large.txt") << std::string((std::size_t{1} << 20) + 1, 'l');
  FileVerifier sizes = TextVerifier();
  sizes.max_bytes = std::size_t{4} << 20;
  std::size_t seen = 0;
  sizes.verify = [&seen](const std::string& source, std::string_view bytes) {
    seen = bytes.size();
    Report r;
    r.source = source;
    return r;
  };
  std::string buffer;
  VerifyFile((dir / "small.txt").string(), sizes, buffer);
  EXPECT_EQ(seen, 100000u);
  EXPECT_GE(buffer.capacity(), 100000u);  // kept for the next file
  VerifyFile((dir / "large.txt").string(), sizes, buffer);
  EXPECT_EQ(seen, (std::size_t{1} << 20) + 1);         // read whole
  EXPECT_LE(buffer.capacity(), std::size_t{1} << 20);  // then released
  VerifyFile((dir / "small.txt").string(), sizes, buffer);
  EXPECT_EQ(seen, 100000u);
}

}  // namespace
}  // namespace keyattest
