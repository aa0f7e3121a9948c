// Which listed paths are directories, for a batch's --files-from list of
// thousands of files: one directory read instead of a stat(2) per file.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace keyattest {

/// Lists of at least this many paths in one directory are answered from
/// that directory's entries.
constexpr std::size_t kMinPathsForDirectoryRead = 16;

/// For each of `paths`: whether it names a directory after symbolic links,
/// as stat(2) says (false when it cannot be examined, and for "-"). Where at
/// least `min_paths_per_directory` paths name entries of one directory (by
/// the text before their last '/'), that directory's entries are read once
/// and their types answer for its regular files, FIFOs, devices, sockets
/// and directories; a symbolic link, an entry of unknown type, a name not
/// found and any path of another form is examined with stat(2). A
/// directory is read for at most some dozens of entries per entry asked of
/// it (then stat(2) answers the rest), so a few files listed from a huge
/// directory cost at most about a millisecond more than before. Never
/// throws for a path it cannot examine.
std::vector<bool> WhichAreDirectories(const std::vector<std::string>& paths,
                                      std::size_t min_paths_per_directory = kMinPathsForDirectoryRead);

}  // namespace keyattest
