#include "keyattest/run/batch.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <mutex>
#include <string_view>
#include <system_error>
#include <thread>

#include "keyattest/core/errors.h"
#include "keyattest/io/input_file.h"
#include "keyattest/run/directory_types.h"

namespace keyattest {

void BatchSummary::Count(const Report& report) {
  ++files;
  switch (report.verdict()) {
    case Verdict::kVerified:
      ++verified;
      break;
    case Verdict::kFailed:
    case Verdict::kUnusableTrust:
    case Verdict::kInternalError:
      ++failed;
      break;
    case Verdict::kUnreadable:
      ++unreadable;
      break;
  }
  exit_code = WorstExitCode(exit_code, report.exit_code());
}

namespace {

/// "*.json" in any case ("A.JSON" too), the suffix after a non-empty stem.
bool HasJsonSuffix(const std::string& name) {
  constexpr std::string_view kSuffix = ".json";
  if (name.size() <= kSuffix.size()) return false;
  for (std::size_t i = 0; i < kSuffix.size(); ++i) {
    const char c = name[name.size() - kSuffix.size() + i];
    if (std::tolower(static_cast<unsigned char>(c)) != kSuffix[i]) return false;
  }
  return true;
}

/// Upper bound for a --files-from list (one path a line).
constexpr std::size_t kMaxPathListBytes = 16u << 20;

}  // namespace

std::vector<std::string> ExpandInputPaths(const std::vector<std::string>& inputs) {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  // Every path is examined (a listed directory is expanded too), but the
  // thousands of files of one list cost a read of their directory, not a
  // stat(2) each.
  const std::vector<bool> directories = WhichAreDirectories(inputs);
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const std::string& input = inputs[i];
    if (!directories[i]) {
      out.push_back(input);
      continue;
    }
    // Every *.json entry is listed whatever its type: a dangling or looping
    // symbolic link, a FIFO or a directory named *.json is then reported
    // as unreadable by the one file reader, never skipped in silence.
    // Dotfiles (editor and system leftovers) are skipped.
    std::vector<std::string> found;
    std::error_code ec;
    for (fs::directory_iterator it(input, ec), end; !ec && it != end; it.increment(ec)) {
      const std::string name = it->path().filename().string();
      if (name.empty() || name[0] == '.' || !HasJsonSuffix(name)) continue;
      found.push_back(it->path().string());
    }
    if (ec) throw InputError("cannot list directory '" + input + "': " + ec.message());
    if (found.empty()) throw InputError("directory '" + input + "' holds no *.json file");
    std::sort(found.begin(), found.end());
    out.insert(out.end(), found.begin(), found.end());
  }
  return out;
}

std::vector<std::string> ReadPathList(const std::string& list_file) {
  // The one file reader: a FIFO or device is refused, never waited on.
  const std::string text = ReadInputFile(list_file, kMaxPathListBytes, "a path list");
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t line_number = 1; start < text.size(); ++line_number) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    // A path ends at a NUL for the system: "a\0b" would be read as "a", and
    // find -print0 output as its first path alone.
    if (line.find('\0') != std::string::npos) {
      throw InputError("path list '" + list_file + "' line " + std::to_string(line_number) +
                       " holds a NUL byte: give one path per line (find -print, not -print0)");
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) out.push_back(std::move(line));
    start = end + 1;
  }
  return out;
}

BatchSummary VerifyBatch(const std::vector<std::string>& paths, const FileVerifier& verifier, unsigned jobs,
                         const std::function<void(std::size_t, const Report&)>& emit,
                         const std::function<void(std::size_t, std::size_t)>& progress) {
  const auto start = std::chrono::steady_clock::now();
  BatchSummary summary;
  const std::size_t n = paths.size();
  jobs = std::max(1u, std::min<unsigned>(jobs, static_cast<unsigned>(std::max<std::size_t>(n, 1))));
  auto deliver = [&](std::size_t i, const Report& r) {
    summary.Count(r);
    emit(i, r);
    if (progress) progress(i + 1, n);
  };

  if (jobs == 1) {
    std::string buffer;  // every file is read into it in turn
    for (std::size_t i = 0; i < n; ++i) deliver(i, VerifyFile(paths[i], verifier, buffer));
  } else {
    // Threads claim indices in order but may not run more than `window`
    // ahead of the next report to emit, so memory stays bounded even when
    // one file is slow. Whoever stores the next report to emit delivers it,
    // and every consecutive one after it: there is no separate emitting
    // thread to wake per file.
    const std::size_t window = 4 * std::size_t{jobs};
    std::mutex mutex;
    std::condition_variable space;                            // the emit cursor moved
    std::map<std::size_t, std::pair<Report, unsigned>> done;  // report, and the worker that made it
    // Delivered reports go back to the worker that made them, to be freed
    // there: glibc frees another thread's memory under that thread's arena
    // lock, which the two workers would otherwise contend for on every file.
    std::vector<std::vector<Report>> retired(jobs);
    std::size_t next_claim = 0;
    std::size_t next_emit = 0;
    bool delivering = false;
    // Worker 0 (this thread) uses `verifier`; each other worker its own
    // copy when the verifier offers one (FileVerifier::for_worker).
    std::vector<FileVerifier> copies;
    copies.reserve(jobs - 1);
    for (unsigned t = 1; t < jobs && verifier.for_worker; ++t) copies.push_back(verifier.for_worker());
    auto work = [&](unsigned worker) {
      const FileVerifier& worker_verifier = worker == 0 || copies.empty() ? verifier : copies[worker - 1];
      std::string buffer;  // this worker's: every file it verifies is read into it
      for (;;) {
        std::size_t i = 0;
        std::vector<Report> mine;  // freed here, outside the lock
        {
          std::unique_lock<std::mutex> lock(mutex);
          mine.swap(retired[worker]);
          space.wait(lock, [&] { return next_claim >= n || next_claim < next_emit + window; });
          if (next_claim >= n) return;
          i = next_claim++;
        }
        mine.clear();
        Report report = VerifyFile(paths[i], worker_verifier, buffer);
        std::unique_lock<std::mutex> lock(mutex);
        done.emplace(i, std::make_pair(std::move(report), worker));
        if (delivering) continue;  // the delivering thread will take it
        delivering = true;
        for (auto it = done.find(next_emit); it != done.end(); it = done.find(next_emit)) {
          auto [next, origin] = std::move(it->second);
          done.erase(it);
          lock.unlock();
          deliver(next_emit, next);
          lock.lock();
          retired[origin].push_back(std::move(next));
          ++next_emit;
          space.notify_all();
        }
        delivering = false;
      }
    };
    std::vector<std::thread> threads;
    threads.reserve(jobs - 1);
    for (unsigned t = 1; t < jobs; ++t) threads.emplace_back(work, t);
    work(0);
    for (auto& t : threads) t.join();
  }
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return summary;
}

}  // namespace keyattest
