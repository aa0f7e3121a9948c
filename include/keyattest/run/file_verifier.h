// What a batch needs to verify one file of any kind: how to read it (the
// one file reader's limit and the noun its errors use) and the verifier of
// its bytes. Verifiers never see a path, only the bytes and a source name.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "keyattest/report/report.h"

namespace keyattest {

struct FileVerifier {
  /// An empty report of this verifier (its kind and the facts that lay
  /// out its text), for a file that could not be read or a verifier that
  /// threw.
  std::function<Report()> new_report;
  /// The largest file accepted, and how errors name it ("an MAA token").
  std::size_t max_bytes = 0;
  std::string what;
  /// Verifies the file's bytes; `source` is the path as given. Must not
  /// throw for bad input (a report says what was wrong).
  std::function<Report(const std::string& source, std::string_view bytes)> verify;
  /// For a batch with more than one worker: the verifier one more worker
  /// uses, with its own copy of whatever workers would otherwise write in
  /// common on every file (the reference counts of parsed certificates they
  /// share; docs/architecture.md "Batches"). What must stay shared (a cache
  /// of verified chains) stays shared. Empty: every worker uses this one.
  std::function<FileVerifier()> for_worker;
};

/// Reads `path` with the one file reader and verifies it: an unreadable
/// file is a report with input_error (exit 3), an exception escaping the
/// verifier an internal error (exit 5). Never throws.
Report VerifyFile(const std::string& path, const FileVerifier& verifier);

/// The same, reading into `buffer` (ReadInputFileInto): a batch worker
/// owns one and passes it for every file it verifies, so no file costs an
/// allocation of its size. The verifier sees only this file's bytes. The
/// buffer keeps its capacity for the next file up to 1 MiB; the memory of a
/// larger file is released once it is verified.
Report VerifyFile(const std::string& path, const FileVerifier& verifier, std::string& buffer);

}  // namespace keyattest
