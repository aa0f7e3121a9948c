#include "tests/support/cli_run.h"

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>

namespace keyattest::testing {

CliRun RunBinary(const std::string& binary, const std::string& args) {
  return RunShell("NO_COLOR=1 " + binary + " " + args + " 2>&1");
}

CliRun RunShell(const std::string& command_line) {
  CliRun run;
  FILE* p = popen(command_line.c_str(), "r");
  if (p == nullptr) return run;
  std::array<char, 4096> buf{};
  std::size_t n = 0;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) run.out.append(buf.data(), n);
  const int status = pclose(p);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

std::string WriteTempFile(const std::string& name, const std::string& content) {
  // A folder per test process: ctest runs tests (and other checkouts run
  // theirs) in parallel, and a fixture's inputs made with a fresh key must
  // not be overwritten by another process's.
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("keyattest-test-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::string path = (dir / name).string();
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

}  // namespace keyattest::testing
