#include "lint/lint.hpp"

#include <filesystem>

#include "base/errors.hpp"
#include "lint/file_linter.hpp"
#include "engine/migration_set.hpp"
#include "lint/rule_catalog.hpp"
#include "text/source_text.hpp"
#include "lint/statement_rules.hpp"

namespace fs = std::filesystem;

namespace mig::lint {
namespace {

class PathLinter {
 public:
  PathLinter(const LintOptions& options, const FindingSink& sink) : options_(options), sink_(sink) {}

  // The set's problems (names, duplicates, orphans) first, then each
  // migration's up and down file in version order, then the repeatable ones. An orphan down file is
  // linted too: it runs when somebody reverts by hand.
  void lint_folder(const std::string& dir) {
    const ScannedSet scanned = scan_migration_set(dir);
    for (const SetProblem& p : scanned.problems) add_rule(p.rule, p.file, p.line.value_or(1), p.message);
    for (const Migration& m : scanned.set.migrations) {
      lint_text(m.up.path, m.up.text, FileRole::up);
      if (m.down) {
        lint_text(m.down->path, m.down->text, FileRole::down);
      } else if (!m.checkpoint) {  // a checkpoint is never reverted: it would drop the whole schema
        add_rule("missing-down", m.up.path, 1, "migration " + m.version + "_" + m.name + " has no .down.sql");
      }
    }
    for (const Migration& m : scanned.set.repeatables) lint_text(m.up.path, m.up.text, FileRole::repeatable);
    for (const SetProblem& p : scanned.problems) {
      if (p.rule == "orphan-down") lint_single_file(p.file);
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
    const auto ends_with = [&](const std::string& suffix) {
      return path.size() > suffix.size() && path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    lint_text(path, normalize_source(bytes),
              ends_with(".down.sql") ? FileRole::down : ends_with(".repeatable.sql") ? FileRole::repeatable : FileRole::up);
  }

  LintReport finish() { return report_; }

 private:
  void lint_text(const std::string& path, const std::string& text, FileRole role) {
    SetKnowledge scratch;  // a down file's constraints tell the next up file nothing
    ++report_.files;
    report_.statements += lint_file(path, text, role, options_, role == FileRole::up ? set_ : scratch,
                                    [this](const Finding& f) { emit(f); });
  }

  void add_rule(const std::string& rule_id, const std::string& file, int line, const std::string& message) {
    const RuleInfo* rule = find_rule(rule_id);
    if (!rule) return;
    const Severity severity = effective_severity(*rule, options_);
    if (severity == Severity::off) return;
    emit({file, line, 1, rule_id, severity, message, rule->help});
  }

  void emit(const Finding& f) {
    (f.severity == Severity::error ? report_.errors : report_.warnings) += 1;
    sink_(f);
  }

  const LintOptions& options_;
  const FindingSink& sink_;
  SetKnowledge set_;
  LintReport report_;
};

}  // namespace

void require_readable(const std::vector<std::string>& paths) {
  for (const std::string& path : paths) {
    std::error_code ec;
    if (!fs::is_directory(path, ec) && !fs::is_regular_file(path, ec)) {
      throw invalid_input("unreadable_path", path + ": no such file or folder");
    }
  }
}

LintReport lint_paths(const std::vector<std::string>& paths, const LintOptions& options, const FindingSink& sink) {
  require_readable(paths);
  PathLinter linter(options, sink);
  for (const std::string& path : paths) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      linter.lint_folder(path);
    } else {
      linter.lint_single_file(path);
    }
  }
  return linter.finish();
}

}  // namespace mig::lint
