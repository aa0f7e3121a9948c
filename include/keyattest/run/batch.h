// Verifying many files of one kind in one run: parallel workers, results
// delivered in input order, memory bounded by a small window of reports.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "keyattest/report/report.h"
#include "keyattest/run/file_verifier.h"

namespace keyattest {

struct BatchSummary {
  std::size_t files = 0;
  std::size_t verified = 0;
  std::size_t failed = 0;
  std::size_t unreadable = 0;
  double seconds = 0;
  ExitCode exit_code = ExitCode::kVerified;  // worst over all files

  void Count(const Report& report);
};

/// Expands command-line inputs: a directory becomes every entry directly in
/// it whose name ends in ".json" in any case (sorted by name; names starting
/// with '.' and other names are skipped). Entries are listed whatever their
/// type, so a dangling or looping symbolic link or a non-regular file is
/// reported as unreadable when read, never skipped. Anything else is kept
/// as given. Throws InputError for an unreadable directory or one with no
/// JSON file.
std::vector<std::string> ExpandInputPaths(const std::vector<std::string>& inputs);

/// Reads a newline-separated list of paths ("-" = stdin) with the one file
/// reader (a FIFO or device is refused, never waited on); blank lines and
/// trailing '\r' are ignored. Throws InputError.
std::vector<std::string> ReadPathList(const std::string& list_file);

/// Verifies `paths` (each read and verified by `verifier`) on `jobs` threads (the calling thread and jobs - 1
/// more) and calls `emit(index, report)` in input order, whatever the
/// scheduling: one call at a time, each after the previous one returned,
/// from whichever thread holds the next report. At most a few reports per
/// thread are held at a time. `progress(done, total)` (optional) is called
/// right after each `emit`, in the same way.
BatchSummary VerifyBatch(const std::vector<std::string>& paths, const FileVerifier& verifier, unsigned jobs,
                         const std::function<void(std::size_t, const Report&)>& emit,
                         const std::function<void(std::size_t, std::size_t)>& progress = {});

}  // namespace keyattest
