#include "lint.hpp"

#include <algorithm>
#include <filesystem>

#include "errors.hpp"
#include "file_linter.hpp"
#include "migration_set.hpp"
#include "rule_catalog.hpp"
#include "source_text.hpp"

namespace fs = std::filesystem;

namespace mig::lint {
namespace {

class PathLinter {
 public:
  explicit PathLinter(const LintOptions& options) : options_(options) {}

  void lint_folder(const std::string& dir) {
    const ScannedSet scanned = scan_migration_set(dir);
    for (const SetProblem& p : scanned.problems) add_rule(p.rule, p.file, p.line.value_or(1), p.message);
    for (const Migration& m : scanned.set.migrations) {
      lint_text(m.up.path, m.up.text, FileRole::up);
      if (m.down) {
        lint_text(m.down->path, m.down->text, FileRole::down);
      } else {
        add_rule("missing-down", m.up.path, 1, "migration " + m.version + "_" + m.name + " has no .down.sql");
      }
    }
  }

  void lint_single_file(const std::string& path) {
    const std::string bytes = read_file_bytes(path);
    if (const auto bad = find_encoding_problem(bytes)) {
      add_rule("invalid-encoding", path, bad->line,
               bad->reason + " at byte " + std::to_string(bad->byte_offset) + "; migrations must be UTF-8");
      ++report_.files;
      return;
    }
    const bool down = path.size() > 9 && path.compare(path.size() - 9, 9, ".down.sql") == 0;
    lint_text(path, normalize_source(bytes), down ? FileRole::down : FileRole::up);
  }

  LintReport finish() {
    std::stable_sort(report_.findings.begin(), report_.findings.end(), [](const Finding& a, const Finding& b) {
      return std::tie(a.file, a.line, a.column) < std::tie(b.file, b.line, b.column);
    });
    return std::move(report_);
  }

 private:
  void lint_text(const std::string& path, const std::string& text, FileRole role) {
    FileLintResult r = lint_file(path, text, role, options_);
    ++report_.files;
    report_.statements += r.statements;
    for (Finding& f : r.findings) report_.findings.push_back(std::move(f));
  }

  void add_rule(const std::string& rule_id, const std::string& file, int line, const std::string& message) {
    const RuleInfo* rule = find_rule(rule_id);
    if (!rule) return;
    const Severity severity = effective_severity(*rule, options_);
    if (severity == Severity::off) return;
    report_.findings.push_back({file, line, 1, rule_id, severity, message, rule->help});
  }

  const LintOptions& options_;
  LintReport report_;
};

}  // namespace

int LintReport::count(Severity s) const {
  return static_cast<int>(std::count_if(findings.begin(), findings.end(), [s](const Finding& f) { return f.severity == s; }));
}

LintReport lint_paths(const std::vector<std::string>& paths, const LintOptions& options) {
  PathLinter linter(options);
  for (const std::string& path : paths) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      linter.lint_folder(path);
    } else if (fs::is_regular_file(path, ec)) {
      linter.lint_single_file(path);
    } else {
      throw invalid_input("unreadable_path", path + ": no such file or folder");
    }
  }
  return linter.finish();
}

}  // namespace mig::lint
