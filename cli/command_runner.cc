// Runs every command, the default one included: common options, parsing,
// the one exception boundary, the rendering and the exit code
// (docs/exit-codes.md).
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <system_error>

#include "cli/command.h"
#include "keyattest/core/errors.h"
#include "keyattest/core/terminal_text.h"
#include "keyattest/report/json_renderer.h"
#include "keyattest/report/junit_renderer.h"
#include "keyattest/report/text_renderer.h"
#include "keyattest/run/batch.h"

namespace keyattest::cli {

namespace {

constexpr std::size_t kHelpWidth = 80;
constexpr std::size_t kHelpColumn = 28;

/// CLI11 2.1 prints option descriptions on one line whatever their length;
/// this one wraps them under themselves within 80 columns.
class EightyColumnFormatter : public CLI::Formatter {
 public:
  EightyColumnFormatter() { column_width(kHelpColumn); }

  std::string make_option(const CLI::Option* opt, bool is_positional) const override {
    const std::string name = "  " + make_option_name(opt, is_positional) + make_option_opts(opt);
    std::string out = name;
    std::size_t used = name.size();
    if (used >= kHelpColumn) {
      out += "\n";
      used = 0;
    }
    out += std::string(kHelpColumn - used, ' ');
    bool first = true;
    for (const std::string& paragraph : SplitLines(make_option_desc(opt))) {
      for (const std::string& line : WrapWords(paragraph, kHelpWidth - kHelpColumn)) {
        if (!first) out += "\n" + std::string(kHelpColumn, ' ');
        out += line;
        first = false;
      }
    }
    return out + "\n";
  }

  std::string make_description(const CLI::App* app) const override {
    return Wrap(CLI::Formatter::make_description(app));
  }
  std::string make_footer(const CLI::App* app) const override { return Wrap(CLI::Formatter::make_footer(app)); }

 private:
  static std::vector<std::string> SplitLines(const std::string& text) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start <= text.size()) {
      const std::size_t end = std::min(text.find('\n', start), text.size());
      lines.push_back(text.substr(start, end - start));
      start = end + 1;
    }
    return lines;
  }

  /// Lines longer than 80 columns wrap, keeping their indentation.
  static std::string Wrap(const std::string& text) {
    std::string out;
    const std::vector<std::string> lines = SplitLines(text);
    for (std::size_t i = 0; i < lines.size(); ++i) {
      const std::string& line = lines[i];
      if (line.size() <= kHelpWidth) {
        out += line;
      } else {
        const std::size_t indent = line.find_first_not_of(' ');
        std::string wrapped = WrapWithHangingIndent(line.substr(0, indent) + "  ", line.substr(indent), kHelpWidth);
        wrapped.erase(indent, 2);  // the first line keeps its own indent
        wrapped.pop_back();
        out += wrapped;
      }
      if (i + 1 < lines.size()) out += "\n";
    }
    return out;
  }
};

/// --color auto: a terminal, NO_COLOR unset or empty, TERM not "dumb".
bool UseColor(const std::string& mode) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  // Read before any thread exists.
  const char* no_color = std::getenv("NO_COLOR");  // NOLINT(concurrency-mt-unsafe)
  const char* term = std::getenv("TERM");          // NOLINT(concurrency-mt-unsafe)
  return isatty(STDOUT_FILENO) == 1 && (no_color == nullptr || no_color[0] == '\0') &&
         (term == nullptr || std::string(term) != "dumb");
}

/// The terminal's width, or 0 when standard output is not a terminal (piped
/// output keeps one record per line). COLUMNS is the fallback when the
/// terminal does not say.
std::size_t TerminalWidth() {
  if (isatty(STDOUT_FILENO) != 1) return 0;
  winsize size{};
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  const char* columns = std::getenv("COLUMNS");  // NOLINT(concurrency-mt-unsafe)
  if (columns != nullptr) {
    char* end = nullptr;
    const long value = std::strtol(columns, &end, 10);
    if (end != columns && *end == '\0' && value > 0 && value < 10000) return static_cast<std::size_t>(value);
  }
  return 80;
}

/// An option given with an empty value is a usage error: an unset shell
/// variable must not silently switch a check off.
std::string NotEmpty(const std::string& value) { return value.empty() ? "an empty value is not allowed" : ""; }

/// Flushes standard output and reports a write or flush failure (a full
/// disk, a closed pipe): an audit that could not be written must not exit 0.
int FinishOutput(int code) {
  std::cout.flush();
  const bool failed = !std::cout.good() || std::fflush(stdout) != 0 || std::ferror(stdout) != 0;
  if (!failed) return code;
  const int error = errno;
  std::cerr << "validate_attestation: the report could not be written to standard output"
            << (error != 0 ? ": " + std::generic_category().message(error) : std::string()) << "\n";
  return static_cast<int>(ExitCode::kOutputError);
}

std::string FirstFailure(const Report& r) {
  if (r.internal_error) return "internal error: " + EscapeForTerminal(*r.internal_error);
  if (r.input_error) return EscapeForTerminal(*r.input_error);
  if (r.trust_error) return EscapeForTerminal(*r.trust_error);
  for (const auto& c : r.checks) {
    if (c.status == CheckStatus::kFail) return EscapeForTerminal(c.id.view()) + ": " + EscapeForTerminal(c.detail);
  }
  return "no check was completed";
}

/// The verdict column of a batch line, ten characters wide. Each verdict
/// has its own tag: an internal error or unusable trust input is neither
/// a failed check nor an unreadable file.
const char* BatchTag(Verdict v) {
  switch (v) {
    case Verdict::kVerified:
      return "VERIFIED  ";
    case Verdict::kFailed:
      return "FAILED    ";
    case Verdict::kUnreadable:
      return "UNREADABLE";
    case Verdict::kUnusableTrust:
      return "UNUSABLE  ";
    case Verdict::kInternalError:
      return "INTERNAL  ";
  }
  return "FAILED    ";
}

/// One line per file in batch mode: verdict, path, key, first failing
/// check. Everything from the input is escaped for the terminal.
/// Appends a report's batch line to `line`: written into one string a run
/// reuses, a line costs no allocation of its own.
void AppendBatchLine(std::string& line, const Report& r, bool color) {
  const Verdict v = r.verdict();
  if (color) line += v == Verdict::kVerified ? "\033[32m" : "\033[31m";
  line += BatchTag(v);
  if (color) line += "\033[0m";
  const TreeFacts tree(r.facts);
  const ReportFacts& facts = r.verifier_facts ? *r.verifier_facts : static_cast<const ReportFacts&>(tree);
  line += "  ";
  line += EscapeForTerminal(r.source);
  if (facts.Frame().names_kind) {
    line += " (";
    line += r.kind;
    line += ")";
  }
  if (const std::string subject = facts.BatchSubject(); !subject.empty()) {
    line += "  ";
    line += subject;
  }
  if (v != Verdict::kVerified) {
    line += "  ";
    line += FirstFailure(r);
  }
  line += "\n";
}

std::string BatchLine(const Report& r, bool color) {
  std::string line;
  AppendBatchLine(line, r, color);
  return line;
}

/// Renders a run's reports in the chosen format as they arrive.
class ReportWriter {
 public:
  ReportWriter(const CommonOptions& common, bool batch)
      : common_(common), batch_(batch), terminal_(isatty(STDOUT_FILENO) == 1) {
    if (common.output == "json") json_.emplace(std::cout);
    if (common.output == "junit") junit_.emplace(std::cout);
  }

  void Add(std::size_t index, const Report& report) {
    for (const auto& c : report.checks) warnings_ += c.status == CheckStatus::kWarn ? 1 : 0;
    if (json_) {
      json_->Add(report);
    } else if (junit_) {
      junit_->Add(report);
    } else if (common_.output == "jsonl") {
      std::cout << RenderJsonLine(report) << std::flush;
    } else if (!batch_ || common_.verbose) {
      if (index > 0) std::cout << "\n";
      std::cout << RenderText(report, TextOptions{common_.verbose, common_.color, common_.quiet, common_.width});
    } else {
      if (report.verdict() != Verdict::kVerified) failures_.push_back(BatchLine(report, false));
      if (common_.quiet && report.verdict() == Verdict::kVerified) return;
      line_.clear();  // keeps its capacity
      AppendBatchLine(line_, report, common_.color);
      std::cout << line_;
      // A terminal sees each line at once; a pipe or file gets full buffers.
      if (terminal_) std::cout.flush();
    }
  }

  void Finish(const BatchSummary& summary, const std::string& note) {
    if (json_) {
      json_->Finish(summary);
    } else if (junit_) {
      junit_->Finish();
    } else if (common_.output == "text" && batch_) {
      char rate[64];
      const double per_second = summary.seconds > 0 ? static_cast<double>(summary.files) / summary.seconds : 0.0;
      if (summary.seconds < 1.0) {
        (void)std::snprintf(rate, sizeof(rate), "%.1f ms (%.0f files/s)", summary.seconds * 1000, per_second);
      } else {
        (void)std::snprintf(rate, sizeof(rate), "%.2f s (%.0f files/s)", summary.seconds, per_second);
      }
      std::cout << "\n"
                << Plural(summary.files, "file", "files") << ": " << summary.verified << " verified, " << summary.failed
                << " failed, " << summary.unreadable << " unreadable in " << rate << note;
      if (warnings_ > 0) std::cout << "; " << Plural(warnings_, "warning", "warnings");
      std::cout << "\n";
      if (common_.quiet && !failures_.empty()) {
        std::cout << "Not verified:\n";
        for (const std::string& line : failures_) std::cout << "  " << line;
      }
    }
  }

 private:
  const CommonOptions& common_;
  bool batch_;
  bool terminal_;
  std::optional<JsonRunWriter> json_;
  std::optional<JunitRunWriter> junit_;
  std::vector<std::string> failures_;
  std::string line_;  // the batch line being written
  std::size_t warnings_ = 0;
};

int RunBatch(const BatchPlan& plan, const CommonOptions& common) {
  ReportWriter writer(common, plan.batch);
  const bool progress_shown = plan.batch && common.output == "text" && isatty(STDERR_FILENO) == 1;
  bool progress_line = false;
  auto emit = [&](std::size_t i, const Report& report) {
    if (progress_line) std::cerr << "\r\033[K";
    progress_line = false;
    writer.Add(i, report);
  };
  auto progress = [&](std::size_t done, std::size_t total) {
    if (progress_shown && total >= 50 && (done % 25 == 0 || done == total)) {
      std::cerr << "\r\033[K[" << done << "/" << total << "] verifying..." << std::flush;
      progress_line = true;
    }
  };
  const BatchSummary summary = plan.verify(emit, progress);
  if (progress_line) std::cerr << "\r\033[K";
  writer.Finish(summary, plan.summary_note ? plan.summary_note() : "");
  return FinishOutput(static_cast<int>(summary.exit_code));
}

int WriteReport(const Report& report, const CommonOptions& common) {
  ReportWriter writer(common, false);
  writer.Add(0, report);
  BatchSummary summary;
  summary.Count(report);
  writer.Finish(summary, "");
  return FinishOutput(static_cast<int>(report.exit_code()));
}

void AddCommonOptions(CLI::App& app, CommonOptions& common) {
  app.add_option("--at", common.at, "Check times as of this RFC 3339 time (e.g. 2030-01-01T00:00:00Z); default now")
      ->type_name("TIME")
      ->check(NotEmpty);
  app.add_option("-o,--output", common.output,
                 "text (default), json (one document, schema/report.schema.json), jsonl (one JSON object per "
                 "report, a line each, streamed) or junit (JUnit XML, a test case per check)")
      ->check(CLI::IsMember({"text", "json", "jsonl", "junit"}))
      ->type_name("FORMAT");
  app.add_flag("-v,--verbose", common.verbose, "Show every detail (a wide view: nothing is wrapped)");
  app.add_flag("-q,--quiet", common.quiet, "Only failures and the result (with several files: the summary)");
  app.add_flag("--wide", common.wide, "Do not wrap text output to the terminal's width");
  app.add_option("--color", common.color_mode,
                 "auto (default: on a terminal, unless NO_COLOR is set or TERM is dumb), always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->type_name("WHEN");
}

}  // namespace

std::string Plural(std::size_t count, const std::string& singular, const std::string& plural) {
  return std::to_string(count) + " " + (count == 1 ? singular : plural);
}

void UseEightyColumnHelp(CLI::App& app) { app.formatter(std::make_shared<EightyColumnFormatter>()); }

void AddSkewOption(CLI::App& app, CommonOptions& common) {
  app.add_option("--skew", common.skew, "Seconds of clock skew allowed on token times (default 0; reported)")
      ->type_name("SECONDS")
      ->check(CLI::Range(static_cast<std::int64_t>(0), static_cast<std::int64_t>(86400)));
}

CLI::Option* AddFileOption(CLI::App& app, const std::string& name, std::string& target, const std::string& help) {
  return app.add_option(name, target, help)->type_name("FILE")->check(NotEmpty);
}

CLI::Option* AddOptionalFileOption(CLI::App& app, const std::string& name, std::optional<std::string>& target,
                                   const std::string& help) {
  return app.add_option(name, target, help)->type_name("FILE")->check(NotEmpty);
}

CLI::Option* AddRepeatableOption(CLI::App& app, const std::string& name, std::vector<std::string>& target,
                                 const std::string& help, const std::string& type_name) {
  return app.add_option(name, target, help)
      ->type_name(type_name)
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->allow_extra_args(false)
      ->check(NotEmpty);
}

int RunCommand(const Command& command, const std::vector<std::string>& args) {
  const bool is_default = &command == &DefaultCommand();
  const std::string program =
      is_default ? std::string("validate_attestation") : std::string("validate_attestation ") + command.name;
  CLI::App app{is_default ? std::string() : program + ": " + command.summary, program};
  UseEightyColumnHelp(app);
  CommonOptions common;
  AddCommonOptions(app, common);
  app.footer(
      "Exit codes: 0 verified, 1 a check failed, 2 usage error or unusable trust input,\n"
      "3 input unreadable or malformed, 4 the report could not be written, 5 internal error.\n");
  CommandRunner run;
  BatchRunner run_batch;
  if (command.declare_batch != nullptr) {
    run_batch = command.declare_batch(app, common);
  } else {
    run = command.declare(app, common);
  }

  // CLI11 parses a reversed vector of the arguments.
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::Success& e) {
    return app.exit(e);  // --help, --version
  } catch (const CLI::ParseError& e) {
    (void)app.exit(e);
    return static_cast<int>(ExitCode::kUsage);
  }
  common.color = UseColor(common.color_mode);
  common.width = common.wide || common.verbose ? 0 : TerminalWidth();
  try {
    common.check_time = CheckTime::FromOptions(common.at, common.skew);
    if (run_batch) return RunBatch(run_batch(common), common);
    return WriteReport(run(common), common);
  } catch (const UsageError& e) {
    std::cerr << program << ": " << EscapeForTerminal(e.what()) << "\n";
    return static_cast<int>(ExitCode::kUsage);
  } catch (const InputError& e) {
    if (run_batch) {
      std::cerr << program << ": " << EscapeForTerminal(e.what()) << "\n";
      return static_cast<int>(ExitCode::kUnreadable);
    }
    Report report = command.new_report != nullptr ? command.new_report() : Report{};
    report.kind = command.name;
    report.input_error = e.what();
    return WriteReport(report, common);
  } catch (const std::exception& e) {
    std::cerr << program << ": internal error: " << EscapeForTerminal(e.what()) << "\n";
    return static_cast<int>(ExitCode::kInternalError);
  }
}

}  // namespace keyattest::cli
