#include "keyattest/run/directory_types.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <optional>
#include <string_view>
#include <unordered_map>

namespace keyattest {

namespace {

/// Reads at most this many entries per entry asked of a directory (and at
/// least kMinEntriesRead): an entry read costs a few per cent of a stat(2)
/// call, so past that, stat(2) on each path is cheaper. Directories are
/// read in no particular order (tmpfs: newest first), so the budget is
/// generous.
constexpr std::size_t kEntriesReadPerPath = 32;
constexpr std::size_t kMinEntriesRead = 1024;

bool StatSaysDirectory(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

/// The answer an entry's type gives without stat(2), if it gives one: a
/// symbolic link must be followed, and some file systems do not say.
std::optional<bool> DirectoryByEntryType(unsigned char type) {
  switch (type) {
    case DT_DIR:
      return true;
    case DT_REG:
    case DT_FIFO:
    case DT_CHR:
    case DT_BLK:
    case DT_SOCK:
      return false;
    default:  // DT_LNK, DT_UNKNOWN, anything newer
      return std::nullopt;
  }
}

/// The directory and entry name a path names, when it has the plain form
/// "DIR/NAME" or "NAME" (NAME not empty, "." or ".."; no NUL, which stat
/// would stop at).
struct Split {
  std::string_view directory;
  std::string_view name;
};

std::optional<Split> SplitPath(const std::string& path) {
  if (path.empty() || path == "-" || path.find('\0') != std::string::npos) return std::nullopt;
  const std::size_t slash = path.rfind('/');
  const std::string_view whole(path);
  Split split;
  if (slash == std::string::npos) {
    split = {".", whole};
  } else {
    split = {slash == 0 ? std::string_view("/") : whole.substr(0, slash), whole.substr(slash + 1)};
  }
  if (split.name.empty() || split.name == "." || split.name == "..") return std::nullopt;
  return split;
}

/// Answers what it can for the paths at `wanted` (by entry name) from one
/// read of `directory`; leaves the rest unanswered.
void AnswerFromDirectory(const std::string& directory,
                         const std::unordered_map<std::string_view, std::vector<std::size_t>>& wanted,
                         std::vector<std::optional<bool>>& answers) {
  const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return;
  // stat(2) on DIR/NAME needs search permission on DIR, which reading DIR
  // does not: without it, every path is left to stat, which then fails.
  if (::faccessat(fd, ".", X_OK, AT_EACCESS) != 0) {
    ::close(fd);
    return;
  }
  DIR* dir = ::fdopendir(fd);  // owns fd from here
  if (dir == nullptr) {
    ::close(fd);
    return;
  }
  const std::size_t budget = std::max(kMinEntriesRead, kEntriesReadPerPath * wanted.size());
  std::size_t found = 0;
  for (std::size_t read = 0; read < budget && found < wanted.size(); ++read) {
    // readdir is safe on a stream no other thread uses (readdir_r is deprecated).
    const dirent* entry = ::readdir(dir);  // NOLINT(concurrency-mt-unsafe)
    if (entry == nullptr) break;
    auto it = wanted.find(std::string_view(entry->d_name));
    if (it == wanted.end()) continue;
    ++found;
    const std::optional<bool> answer = DirectoryByEntryType(entry->d_type);
    for (std::size_t i : it->second) answers[i] = answer;
  }
  ::closedir(dir);
}

}  // namespace

std::vector<bool> WhichAreDirectories(const std::vector<std::string>& paths, std::size_t min_paths_per_directory) {
  std::vector<std::optional<bool>> answers(paths.size());
  // Paths by directory, then by entry name (a name listed twice is asked once).
  std::unordered_map<std::string_view, std::unordered_map<std::string_view, std::vector<std::size_t>>> by_directory;
  for (std::size_t i = 0; i < paths.size(); ++i) {
    if (paths[i] == "-") {
      answers[i] = false;
      continue;
    }
    if (std::optional<Split> split = SplitPath(paths[i])) by_directory[split->directory][split->name].push_back(i);
  }
  for (const auto& [directory, wanted] : by_directory) {
    if (wanted.size() >= min_paths_per_directory) AnswerFromDirectory(std::string(directory), wanted, answers);
  }
  std::vector<bool> out(paths.size());
  for (std::size_t i = 0; i < paths.size(); ++i) out[i] = answers[i] ? *answers[i] : StatSaysDirectory(paths[i]);
  return out;
}

}  // namespace keyattest
