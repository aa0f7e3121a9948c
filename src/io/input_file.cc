#include "keyattest/io/input_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <system_error>

#include "keyattest/core/errors.h"

namespace keyattest {

namespace {

/// Closes a descriptor this module opened (never standard input).
struct FdCloser {
  int fd;
  explicit FdCloser(int owned) : fd(owned) {}
  FdCloser(const FdCloser&) = delete;
  FdCloser& operator=(const FdCloser&) = delete;
  ~FdCloser() {
    if (fd >= 0) (void)::close(fd);
  }
};

std::string FormatLimit(std::size_t bytes) {
  if (bytes >= (1u << 20) && bytes % (1u << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
  if (bytes >= (1u << 10) && bytes % (1u << 10) == 0) return std::to_string(bytes >> 10) + " KiB";
  return std::to_string(bytes) + " bytes";
}

const char* FileTypeName(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  return "a special file";
}

/// ReadInputFileInto's body: appends the file to the empty `out`.
void ReadWhole(const std::string& path, std::size_t max_bytes, std::string_view what, std::string& out) {
  const bool from_stdin = path == "-";
  // O_NONBLOCK: opening a FIFO with no writer (or a device) must not block;
  // only regular files are read, so nothing can hang on a special file.
  const int fd = from_stdin ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) throw InputError("cannot open '" + path + "': " + std::generic_category().message(errno));
  const FdCloser closer(from_stdin ? -1 : fd);
  // The size the file had when opened; unknown (-1) for standard input.
  off_t file_size = -1;
  if (!from_stdin) {
    struct stat file_stat {};
    if (::fstat(fd, &file_stat) != 0) {
      throw InputError("cannot read '" + path + "': " + std::generic_category().message(errno));
    }
    if (!S_ISREG(file_stat.st_mode)) {
      throw InputError("'" + path + "' is " + FileTypeName(file_stat.st_mode) +
                       ", not a regular file (use '-' for standard input)");
    }
    // O_NONBLOCK stays set: it has no effect on a regular file, whose reads
    // never block, and clearing it would cost two system calls per file of a
    // batch.
    file_size = file_stat.st_size;
  }
  auto too_large = [&] {
    return InputError("'" + path + "' is larger than the " + FormatLimit(max_bytes) + " limit for " +
                      std::string(what));
  };
  // A regular file is read in one call into a buffer of its size plus one
  // byte: getting exactly its size back means the file is whole as fstat
  // described it, with no second call to see the end. One that grew or
  // shrank meanwhile, a pseudo-file that reports no size (/proc) and standard
  // input are read on until the end, in 64 KiB steps. No stdio buffer, no copy;
  // a reused buffer of enough capacity is not allocated again.
  constexpr std::size_t kPipeChunk = 65536;
  std::size_t chunk = kPipeChunk;
  if (file_size > 0) {
    if (static_cast<std::uintmax_t>(file_size) > max_bytes) throw too_large();
    chunk = static_cast<std::size_t>(file_size) + 1;
    out.reserve(chunk);
  }
  for (bool first = true;; first = false) {
    const std::size_t used = out.size();
    out.resize(used + chunk);
    const ssize_t n = ::read(fd, out.data() + used, chunk);
    if (n < 0) {
      out.resize(used);
      if (errno == EINTR) continue;
      throw InputError("cannot read '" + path + "': " + std::generic_category().message(errno));
    }
    out.resize(used + static_cast<std::size_t>(n));
    if (n == 0) break;
    if (out.size() > max_bytes) throw too_large();
    if (first && file_size > 0 && out.size() == static_cast<std::size_t>(file_size)) break;
    chunk = kPipeChunk;
  }
}

}  // namespace

void ReadInputFileInto(const std::string& path, std::size_t max_bytes, std::string_view what, std::string& buffer) {
  buffer.clear();  // keeps the capacity
  try {
    ReadWhole(path, max_bytes, what, buffer);
  } catch (...) {
    buffer.clear();  // no part of this file or of an earlier one is left to see
    throw;
  }
}

std::string ReadInputFile(const std::string& path, std::size_t max_bytes, std::string_view what) {
  std::string out;
  ReadInputFileInto(path, max_bytes, what, out);
  return out;
}

}  // namespace keyattest
