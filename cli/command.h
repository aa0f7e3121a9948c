// The command table: each verifier other than the default key attestation
// is a subcommand (`validate_attestation maa ...`). A command declares its
// own options on a CLI11 app and returns the function that runs it; the
// shared options (--at, --output, --verbose, --color) are declared once, in
// command_runner.cc, and one boundary there maps exceptions to exit codes.
#pragma once

#include <CLI/CLI.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "keyattest/core/check_time.h"
#include "keyattest/report/report.h"
#include "keyattest/run/batch.h"

namespace keyattest::cli {

/// Options every command has.
struct CommonOptions {
  std::optional<std::string> at;    // --at RFC 3339
  std::string output = "text";      // -o/--output text|json|jsonl|junit
  bool verbose = false;             // -v/--verbose
  bool quiet = false;               // -q/--quiet: only failures and the result
  std::string color_mode = "auto";  // --color auto|always|never
  bool color = false;               // from --color, the terminal, NO_COLOR and TERM
  bool wide = false;                // --wide: no wrapping, one record per line
  /// Columns text output fits: the terminal's width; 0 (no wrapping) when
  /// piped, with --wide or with --verbose.
  std::size_t width = 0;
  std::int64_t skew = 0;  // --skew, for commands that declare it
  /// The run's one check time, made from --at (and --skew where a command
  /// declares it) before the command runs.
  CheckTime check_time;
};

/// Runs the command after parsing: reads its files (at the edge), calls the
/// library, returns the report. Throws UsageError (exit 2) or InputError
/// (exit 3) for inputs it cannot use at all.
using CommandRunner = std::function<Report(const CommonOptions&)>;

/// A command that verifies many inputs in one run (the default key
/// attestation command). Its runner checks every option, then returns the
/// plan; command_runner.cc renders what `verify` emits.
struct BatchPlan {
  /// Several inputs: text output is a line per file and a summary.
  bool batch = false;
  /// Verifies every input, calling `emit` in input order and `progress`
  /// after each; returns the counts and the run's exit code.
  std::function<BatchSummary(const std::function<void(std::size_t, const Report&)>& emit,
                             const std::function<void(std::size_t, std::size_t)>& progress)>
      verify;
  /// Appended to the text summary line after the run (e.g. cache counts).
  std::function<std::string()> summary_note;
};
using BatchRunner = std::function<BatchPlan(const CommonOptions&)>;

struct Command {
  const char* name;
  const char* summary;  // one line for the top-level --help
  /// Declares the command's options on `app` (which already has the common
  /// ones) and returns its runner; the options live in the runner's closure.
  CommandRunner (*declare)(CLI::App& app, CommonOptions& common);
  /// Instead of `declare`, for a command that verifies a batch of inputs.
  BatchRunner (*declare_batch)(CLI::App& app, CommonOptions& common) = nullptr;
  /// An empty report of the command's verifier, for an input that is
  /// unreadable before verification starts (it renders in that verifier's
  /// layout); null: a generic report.
  Report (*new_report)() = nullptr;
};

/// A command that verifies nothing and makes no report (`roots`): it parses
/// its own arguments and returns the exit code.
struct PlainCommand {
  const char* name;
  const char* summary;
  int (*run)(const std::vector<std::string>& args);
};

/// The command run when no subcommand is named: key attestation.
const Command& DefaultCommand();

/// Every subcommand, in the order --help lists them.
std::span<const Command> CommandTable();
const Command* FindCommand(const std::string& name);
std::span<const PlainCommand> PlainCommandTable();
const PlainCommand* FindPlainCommand(const std::string& name);

/// `--version`: the version, the git commit, the OpenSSL it runs with and the
/// number of compiled-in trust anchors.
std::string VersionText();

/// Parses `args` (after the command name) and runs `command`; returns the
/// process exit code. The one place where exceptions become exit codes.
int RunCommand(const Command& command, const std::vector<std::string>& args);

/// Help that fits 80 columns: option descriptions wrap under themselves.
void UseEightyColumnHelp(CLI::App& app);

/// "1 file", "2 files": `count` and the noun, plural unless one.
std::string Plural(std::size_t count, const std::string& singular, const std::string& plural);

/// Adds `--skew SECONDS` (default 0) to a command whose checks allow skew.
void AddSkewOption(CLI::App& app, CommonOptions& common);

/// Helpers for declaring options that must not be given empty (an unset
/// shell variable must not switch a check off).
CLI::Option* AddFileOption(CLI::App& app, const std::string& name, std::string& target, const std::string& help);
CLI::Option* AddOptionalFileOption(CLI::App& app, const std::string& name, std::optional<std::string>& target,
                                   const std::string& help);
CLI::Option* AddRepeatableOption(CLI::App& app, const std::string& name, std::vector<std::string>& target,
                                 const std::string& help, const std::string& type_name);

}  // namespace keyattest::cli
