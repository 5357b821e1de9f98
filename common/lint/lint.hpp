// mig-lint: static safety analysis of migration files on PostgreSQL's own
// parser. No database. Collects every finding, then the caller decides.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mig::lint {

enum class Severity { off, warning, error };
const char* severity_name(Severity s);
std::optional<Severity> parse_severity(const std::string& text);

struct Finding {
  std::string file;
  int line = 1;
  int column = 1;
  std::string rule;
  Severity severity = Severity::warning;
  std::string message;
  std::string help;
};

struct LintOptions {
  std::map<std::string, Severity> rule_severity;  // --rule R=..., mig.json "lint"
  bool allow_breaking = false;                    // ALLOW_BREAKING_MIGRATIONS=true
};

struct LintReport {
  int files = 0;
  int statements = 0;
  std::vector<Finding> findings;  // ordered by file, line, column
  int count(Severity s) const;
};

// Lints files and folders. A folder is a migration set: its file-set rules
// apply too. Throws mig::Error (exit 3) for a path that cannot be read.
LintReport lint_paths(const std::vector<std::string>& paths, const LintOptions& options);

}  // namespace mig::lint
