// mig-lint: static safety analysis of migration files on PostgreSQL's own
// parser. No database. Findings are handed to a sink as they are found, so a
// file where every statement is a finding needs no more memory than one that
// has none.
#pragma once
#include <functional>
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
  std::string default_schema = "public";          // --search-path: where unqualified table names live
};

using FindingSink = std::function<void(const Finding&)>;

struct LintReport {
  int files = 0;
  int statements = 0;
  int errors = 0;
  int warnings = 0;
};

// Throws mig::Error (exit 3) naming the first path that is neither a file nor a folder.
void require_readable(const std::vector<std::string>& paths);

// Lints files and folders, in the order given; a folder is a migration set
// (its file-set rules apply too, its files in version order). Findings come
// file by file, in statement order within a file. Throws mig::Error (exit 3)
// for a path that cannot be read.
LintReport lint_paths(const std::vector<std::string>& paths, const LintOptions& options, const FindingSink& sink);

}  // namespace mig::lint
