// mig-lint: static safety analysis of migration files; no database needed.
#include <cctype>
#include <cstdlib>
#include <memory>
#include <sstream>

#include "cli/cli.hpp"
#include "lint/lint.hpp"
#include "lint/reporters.hpp"
#include "lint/rule_catalog.hpp"
#include "cli/version.hpp"

namespace {


void set_rule(mig::lint::LintOptions& options, const std::string& rule, const std::string& level, const std::string& from) {
  if (!mig::lint::find_rule(rule)) throw mig::usage_error(from + ": unknown rule '" + rule + "'");
  const auto severity = mig::lint::parse_severity(level);
  if (!severity) throw mig::usage_error(from + ": '" + level + "' is not off, warning or error");
  options.rule_severity[rule] = *severity;
}

// "$user, app, public" -> "app": where CREATE TABLE without a schema puts
// the table ($user, a schema named after whoever runs it, is skipped).
std::string first_schema(const std::string& search_path) {
  std::stringstream in(search_path);
  for (std::string item; std::getline(in, item, ',');) {
    item.erase(0, item.find_first_not_of(" \t"));
    item.erase(item.find_last_not_of(" \t") + 1);
    if (item.size() >= 2 && item.front() == '"' && item.back() == '"') {
      item = item.substr(1, item.size() - 2);  // quoted: case kept
    } else {
      for (char& c : item) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (!item.empty() && item != "$user") return item;
  }
  throw mig::usage_error("--search-path: '" + search_path + "' names no schema");
}

mig::lint::LintOptions lint_options(const mig::ToolRun& run) {
  mig::lint::LintOptions options;
  options.allow_breaking = run.config.allow_breaking_migrations;
  if (auto it = run.config.file.find("lint"); it != run.config.file.end()) {
    if (!it->is_object()) throw mig::invalid_input("bad_config", "mig.json: \"lint\" must map rule ids to off|warning|error");
    for (const auto& [rule, level] : it->items()) {
      if (!level.is_string()) throw mig::invalid_input("bad_config", "mig.json: lint." + rule + " must be a string");
      set_rule(options, rule, level.get<std::string>(), "mig.json lint");
    }
  }
  if (const auto path = run.flag<std::string>("search-path")) options.default_schema = first_schema(*path);
  for (const auto& r : run.flag<std::vector<std::string>>("rule").value_or(std::vector<std::string>{})) {
    const auto eq = r.find('=');
    if (eq == std::string::npos) throw mig::usage_error("--rule takes RULE=off|warning|error, not '" + r + "'");
    set_rule(options, r.substr(0, eq), r.substr(eq + 1), "--rule");
  }
  return options;
}

void lint(mig::ToolRun& run) {
  auto paths = run.flag<std::vector<std::string>>("paths").value_or(std::vector<std::string>{});
  if (paths.empty()) paths.push_back(run.config.dir);
  const mig::lint::LintOptions options = lint_options(run);
  mig::lint::require_readable(paths);
  const auto max_warnings = run.whole_number("max-warnings");
  std::shared_ptr<mig::lint::FindingWriter> writer = mig::lint::make_finding_writer(run.output.format(), mig::kVersion);
  run.output.finish_stream = [writer](const nlohmann::json& document) { writer->finish(document); };
  const mig::lint::LintReport report =
      mig::lint::lint_paths(paths, options, [&writer](const mig::lint::Finding& f) { writer->add(f); });
  run.data = mig::lint::report_data(report);
  const int errors = report.errors;
  const int warnings = report.warnings;
  if (errors > 0) {
    run.finding = mig::Error(mig::ExitCode::check_failed, "lint_failed",
                             std::to_string(errors) + " error(s), " + std::to_string(warnings) + " warning(s)");
  } else if (max_warnings && warnings > *max_warnings) {
    run.finding = mig::Error(mig::ExitCode::check_failed, "too_many_warnings",
                             std::to_string(warnings) + " warning(s), more than --max-warnings " +
                                 std::to_string(*max_warnings));
  }
}

}  // namespace

int main(int argc, char** argv) {
  mig::ToolSpec spec{"mig-lint", "Static safety analysis of migration files, on PostgreSQL's own parser.",
                     "[options] [PATH...]"};
  spec.database = false;
  spec.formats = {"text", "json", "github", "sarif"};
  spec.epilog =
      "PATHs are files or migration folders (default: MIG_DIR or ./migrations). Exit 0 no errors,\n"
      "1 errors (or more warnings than --max-warnings), 2 usage, 3 unreadable path.\n"
      "Suppress with '-- mig-lint:ignore rule[,rule]' before a statement or '-- mig-lint:ignore-file rule'.\n"
      "ALLOW_BREAKING_MIGRATIONS=true turns drops, renames and required columns into warnings.\n"
      "mig.json: {\"lint\": {\"prefer-bigint\": \"off\"}}.";
  return mig::run_tool(
      argc, argv, spec,
      [](cxxopts::Options& o) {
        o.add_options()
            ("rule", "set a rule's severity: RULE=off|warning|error (repeatable)", cxxopts::value<std::vector<std::string>>(), "RULE=SEVERITY")
            ("max-warnings", "exit 1 when there are more warnings than N", cxxopts::value<std::string>(), "N")
            ("search-path", "schema(s) unqualified table names resolve to, first one counts (default public)",
             cxxopts::value<std::string>(), "SCHEMAS")
            ("paths", "files or folders", cxxopts::value<std::vector<std::string>>());
        o.parse_positional({"paths"});
      },
      lint, nullptr);
}
