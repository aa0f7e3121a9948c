// Runs one subcommand: common options, parsing, the exception boundary, the
// rendering and the exit code (docs/exit-codes.md).
#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "cli/command.h"
#include "keyattest/core/errors.h"
#include "keyattest/report/json_renderer.h"
#include "keyattest/report/junit_renderer.h"
#include "keyattest/report/text_renderer.h"
#include "keyattest/run/batch.h"

namespace keyattest::cli {

namespace {

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

/// An option given with an empty value is a usage error: an unset shell
/// variable must not silently switch a check off.
std::string NotEmpty(const std::string& value) { return value.empty() ? "an empty value is not allowed" : ""; }

int WriteReport(const Report& report, const CommonOptions& common) {
  if (common.output == "json") {
    std::cout << RenderJsonDocument({report});
  } else if (common.output == "jsonl") {
    std::cout << RenderJsonLine(report);
  } else if (common.output == "junit") {
    JunitRunWriter junit(std::cout);
    junit.Add(report);
    junit.Finish();
  } else {
    std::cout << RenderText(report, TextOptions{common.verbose, common.color, common.quiet});
  }
  std::cout.flush();
  if (!std::cout.good()) {
    std::cerr << "validate_attestation: the report could not be written to standard output\n";
    return static_cast<int>(ExitCode::kOutputError);
  }
  return static_cast<int>(report.exit_code());
}

}  // namespace

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
  CLI::App app{std::string("validate_attestation ") + command.name + ": " + command.summary,
               std::string("validate_attestation ") + command.name};
  CommonOptions common;
  app.add_option("--at", common.at, "Check times as of this RFC 3339 time (e.g. 2030-01-01T00:00:00Z); default now")
      ->type_name("TIME")
      ->check(NotEmpty);
  app.add_option("-o,--output", common.output,
                 "text (default), json (one document, schema/report.schema.json), jsonl (one line per report) or "
                 "junit (JUnit XML, a test case per check)")
      ->check(CLI::IsMember({"text", "json", "jsonl", "junit"}))
      ->type_name("FORMAT");
  app.add_flag("-v,--verbose", common.verbose, "Show every detail");
  app.add_flag("-q,--quiet", common.quiet, "Only failed checks and the result line");
  app.add_option("--color", common.color_mode,
                 "auto (default: on a terminal, unless NO_COLOR is set or TERM is dumb), always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->type_name("WHEN");
  app.footer(
      "Exit codes: 0 verified, 1 a check failed, 2 usage error or unusable trust input,\n"
      "3 input unreadable or malformed, 4 the report could not be written, 5 internal error.\n");
  CommandRunner run = command.declare(app, common);

  // CLI11 parses a reversed vector of the arguments.
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::Success& e) {
    return app.exit(e);  // --help
  } catch (const CLI::ParseError& e) {
    (void)app.exit(e);
    return static_cast<int>(ExitCode::kUsage);
  }
  common.color = UseColor(common.color_mode);
  try {
    common.check_time = CheckTime::FromOptions(common.at, common.skew);
    const Report report = run(common);
    return WriteReport(report, common);
  } catch (const UsageError& e) {
    std::cerr << "validate_attestation " << command.name << ": " << e.what() << "\n";
    return static_cast<int>(ExitCode::kUsage);
  } catch (const InputError& e) {
    Report report;
    report.kind = command.name;
    report.input_error = e.what();
    return WriteReport(report, common);
  } catch (const std::exception& e) {
    std::cerr << "validate_attestation " << command.name << ": internal error: " << e.what() << "\n";
    return static_cast<int>(ExitCode::kInternalError);
  }
}

}  // namespace keyattest::cli
