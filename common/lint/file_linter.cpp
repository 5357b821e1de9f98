#include "file_linter.hpp"

#include <algorithm>
#include <set>
#include <sstream>

#include "errors.hpp"
#include "migration_set.hpp"
#include "rule_catalog.hpp"
#include "source_text.hpp"
#include "sql.hpp"
#include "statement_rules.hpp"

namespace mig::lint {
namespace {

// "-- mig-lint:ignore a,b" (the next statement) or "-- mig-lint:ignore-file a,b".
struct Suppression {
  std::set<std::string> rules;
  bool whole_file = false;
  std::size_t comment_offset = 0;
  int statement = -1;  // index of the statement it covers
  std::set<std::string> used;
};

std::set<std::string> rule_list(const std::string& text) {
  std::set<std::string> rules;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) {
    item.erase(0, item.find_first_not_of(" \t"));
    item.erase(item.find_last_not_of(" \t") + 1);
    if (!item.empty()) rules.insert(item);
  }
  return rules;
}

std::vector<Suppression> read_suppressions(const std::string& text, const ScannedSql& sql) {
  std::vector<Suppression> found;
  for (const SqlComment& comment : sql.comments) {
    const std::string body = comment_body(text, comment);
    Suppression s;
    s.comment_offset = comment.begin;
    if (body.rfind("mig-lint:ignore-file", 0) == 0) {
      s.whole_file = true;
      s.rules = rule_list(body.substr(20));
    } else if (body.rfind("mig-lint:ignore", 0) == 0) {
      s.rules = rule_list(body.substr(15));
      const auto next = std::find_if(sql.statements.begin(), sql.statements.end(),
                                     [&](const SqlStatement& st) { return st.begin >= comment.end; });
      s.statement = next == sql.statements.end() ? -1 : static_cast<int>(next - sql.statements.begin());
    } else {
      continue;
    }
    found.push_back(std::move(s));
  }
  return found;
}

class FileLinter {
 public:
  FileLinter(const std::string& path, const std::string& text, FileRole role, const LintOptions& options)
      : path_(path), text_(text), role_(role), options_(options), lines_(text) {}

  FileLintResult run() {
    if (!read_directives_as_findings()) return std::move(result_);
    const ScanOutcome scanned = scan_sql(text_);
    if (scanned.error) {
      report("syntax-error", scanned.error->byte_offset, scanned.error->message);
      return std::move(result_);
    }
    suppressions_ = read_suppressions(text_, scanned.sql);
    if (scanned.sql.statements.empty() && role_ == FileRole::up) {
      report("empty-migration", 0, "the migration has no statement");
    }
    for (std::size_t i = 0; i < scanned.sql.statements.size(); ++i) {
      statement_index_ = static_cast<int>(i);
      lint_statement(scanned.sql.statements[i]);
    }
    statement_index_ = -1;
    report_long_identifiers(scanned.sql);
    report_unused_ignores();
    result_.statements = static_cast<int>(scanned.sql.statements.size());
    return std::move(result_);
  }

 private:
  bool read_directives_as_findings() {
    try {
      state_.transactional = !read_directives(MigrationFile{path_, text_, ""}).no_transaction;
      state_.down_file = role_ == FileRole::down;
      return true;
    } catch (const Error& e) {
      const int line = e.position() && e.position()->line ? *e.position()->line : 1;
      add({path_, line, 1, "syntax-error", Severity::error, e.what(), ""});
      return false;
    }
  }

  void lint_statement(const SqlStatement& statement) {
    const std::string sql = text_.substr(statement.begin, statement.end - statement.begin);
    const ParseOutcome parsed = parse_sql(sql);
    if (parsed.error) {
      report("syntax-error", statement.begin + std::min(parsed.error->byte_offset, sql.size()), parsed.error->message);
      return;
    }
    const Tree tree = Tree::parse(parsed.tree_json);
    for (const Tree& wrapped : list(tree, "stmts")) {
      const Tree& node = field(wrapped, "stmt");
      if (node.empty()) continue;
      const std::string type = node.begin().key();
      const StatementView view{type, node.begin().value(), statement.begin};
      const Emit emit = [this](const char* rule, std::size_t offset, const std::string& message) {
        report(rule, offset, message);
      };
      if (role_ == FileRole::up) check_breaking_changes(view, state_, emit);
      check_locks_and_rewrites(view, state_, emit);
      check_column_types(view, emit);
      check_transaction_use(view, state_, emit);
      note_effects(view, state_);
    }
  }

  bool suppressed(const std::string& rule) {
    for (Suppression& s : suppressions_) {
      if (!s.rules.count(rule)) continue;
      if (s.whole_file || (s.statement >= 0 && s.statement == statement_index_)) {
        s.used.insert(rule);
        return true;
      }
    }
    return false;
  }

  void report(const char* rule_id, std::size_t offset, const std::string& message) {
    const RuleInfo* rule = find_rule(rule_id);
    if (!rule) return;
    const Severity severity = effective_severity(*rule, options_);
    if (severity == Severity::off || suppressed(rule_id)) return;
    const LineColumn at = lines_.at(offset);
    add({path_, at.line, at.column, rule_id, severity, message, rule->help});
  }

  void report_long_identifiers(const ScannedSql& sql) {
    for (const SqlStatement& token : sql.long_identifiers) {
      const auto covering = std::find_if(sql.statements.begin(), sql.statements.end(),
                                         [&](const SqlStatement& st) { return token.begin < st.end; });
      statement_index_ = covering == sql.statements.end() ? -1 : static_cast<int>(covering - sql.statements.begin());
      const std::string name = text_.substr(token.begin, token.end - token.begin);
      report("identifier-too-long", token.begin,
             "identifier " + name + " is " + std::to_string(name.size()) + " bytes; PostgreSQL keeps the first 63");
    }
    statement_index_ = -1;
  }

  void report_unused_ignores() {
    for (const Suppression& s : suppressions_) {
      for (const std::string& rule : s.rules) {
        if (s.used.count(rule)) continue;
        report("unused-ignore", s.comment_offset,
               find_rule(rule) ? "mig-lint:ignore " + rule + " silences nothing here"
                               : "mig-lint:ignore names an unknown rule '" + rule + "'");
      }
    }
  }

  void add(Finding f) { result_.findings.push_back(std::move(f)); }

  const std::string& path_;
  const std::string& text_;
  FileRole role_;
  const LintOptions& options_;
  LineIndex lines_;
  FileState state_;
  std::vector<Suppression> suppressions_;
  int statement_index_ = -1;
  FileLintResult result_;
};

}  // namespace

FileLintResult lint_file(const std::string& path, const std::string& text, FileRole role, const LintOptions& options) {
  return FileLinter(path, text, role, options).run();
}

}  // namespace mig::lint
