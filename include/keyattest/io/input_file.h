// Files are read at the edge, here, and nowhere else: verifiers take bytes.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace keyattest {

/// Reads a whole file ("-" = standard input) of at most `max_bytes`.
/// `what` names the input in errors ("an MAA token", "an SNP report").
/// Throws InputError (exit 3) naming the path and the reason.
std::string ReadInputFile(const std::string& path, std::size_t max_bytes, std::string_view what);

/// The same reader, into `buffer`, whose capacity is reused: a batch reads
/// every file into one buffer per worker instead of allocating (and
/// freeing) one per file. On return `buffer` holds exactly the file's
/// bytes, nothing of what it held before; when it throws, `buffer` is empty.
void ReadInputFileInto(const std::string& path, std::size_t max_bytes, std::string_view what, std::string& buffer);

}  // namespace keyattest
