#include "file_linter.hpp"

#include <algorithm>
#include <future>
#include <set>
#include <sstream>

#include "directives.hpp"
#include "errors.hpp"
#include "migration_set.hpp"
#include "rule_catalog.hpp"
#include "source_text.hpp"
#include "sql.hpp"
#include "statement_rules.hpp"

namespace mig::lint {
namespace {

// "-- mig-lint:ignore a,b" (the next statement) or "-- mig-lint:ignore-file a,b".
// Statement types whose trees the rules read.
const std::set<std::string>& inspected_types() {
  static const std::set<std::string> types = {
      "AlterTableStmt", "CreateStmt", "CreateTableAsStmt", "DeleteStmt", "DropStmt", "DropdbStmt", "IndexStmt",
      "LockStmt", "ReindexStmt", "RenameStmt", "TransactionStmt", "TruncateStmt", "UpdateStmt", "VacuumStmt"};
  return types;
}

// The statement's node type from libpg_query's output, which always starts
// {"version":N,"stmts":[{"stmt":{"<Type>":... for a single statement.
std::string statement_type(const std::string& tree_json) {
  const std::size_t at = tree_json.find("{\"stmt\":{\"");
  if (at == std::string::npos) return "";
  const std::size_t begin = at + 10;
  return tree_json.substr(begin, tree_json.find('"', begin) - begin);
}

// One statement, parsed. Its tree's JSON is kept only for statement types a
// rule reads; the others (INSERT, SELECT, COMMENT, ...) need just their type.
struct ParsedStatement {
  std::string type;
  std::string tree_json;
  std::optional<SqlSyntaxError> error;
};

ParsedStatement parse_statement(const std::string& sql) {
  ParsedStatement parsed;
  ParseOutcome outcome = parse_sql(sql);
  if (outcome.error) {
    parsed.error = outcome.error;
    return parsed;
  }
  parsed.type = statement_type(outcome.tree_json);
  if (inspected_types().count(parsed.type)) parsed.tree_json = std::move(outcome.tree_json);
  return parsed;
}

// Statements are parsed in batches on two threads (parsing is independent per
// statement), while the rules see them in order: the worker parses most of
// the next batch while the main thread runs the rules on this one, then the
// main thread parses the rest. Memory stays bounded by two batches.
constexpr std::size_t kBatch = 2048;

class BatchParser {
 public:
  BatchParser(const std::string& text, const std::vector<SqlStatement>& statements)
      : text_(text), statements_(statements) {}

  // Starts parsing [first, first + kBatch): the worker takes the tail now.
  void start(std::size_t first) {
    first_ = first;
    last_ = std::min(first + kBatch, statements_.size());
    middle_ = last_ - first_ < 64 ? last_ : first_ + (last_ - first_) * 2 / 5;
    parsed_.assign(last_ - first_, ParsedStatement{});
    if (middle_ < last_) worker_ = std::async(std::launch::async, [this] { parse(middle_, last_); });
  }

  // Parses the main thread's share, waits for the worker, and hands the batch over.
  std::vector<ParsedStatement> finish() {
    parse(first_, middle_);
    if (worker_.valid()) worker_.get();
    return std::move(parsed_);
  }

 private:
  void parse(std::size_t from, std::size_t to) {
    for (std::size_t i = from; i < to; ++i) {
      const SqlStatement& s = statements_[i];
      parsed_[i - first_] = parse_statement(text_.substr(s.begin, s.end - s.begin));
    }
  }

  const std::string& text_;
  const std::vector<SqlStatement>& statements_;
  std::size_t first_ = 0, middle_ = 0, last_ = 0;
  std::vector<ParsedStatement> parsed_;
  std::future<void> worker_;
};

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
    const ScanOutcome scanned = scan_sql(text_);
    if (scanned.error) {
      report("syntax-error", scanned.error->byte_offset, scanned.error->message);
      return std::move(result_);
    }
    if (!read_directives_as_findings(scanned.sql)) return std::move(result_);
    suppressions_ = read_suppressions(text_, scanned.sql);
    if (scanned.sql.statements.empty() && role_ == FileRole::up) {
      report("empty-migration", 0, "the migration has no statement");
    }
    const auto& statements = scanned.sql.statements;
    BatchParser parser(text_, statements);
    if (!statements.empty()) parser.start(0);
    for (std::size_t first = 0; first < statements.size(); first += kBatch) {
      const std::vector<ParsedStatement> parsed = parser.finish();
      if (first + kBatch < statements.size()) parser.start(first + kBatch);
      for (std::size_t i = 0; i < parsed.size(); ++i) {
        statement_index_ = static_cast<int>(first + i);
        lint_statement(statements[first + i], parsed[i]);
      }
    }
    statement_index_ = -1;
    report_long_identifiers(scanned.sql);
    report_unused_ignores();
    result_.statements = static_cast<int>(scanned.sql.statements.size());
    return std::move(result_);
  }

 private:
  bool read_directives_as_findings(const ScannedSql& scanned) {
    try {
      state_.transactional = !read_directives(MigrationFile{path_, text_, ""}, scanned).no_transaction;
      state_.down_file = role_ == FileRole::down;
      return true;
    } catch (const Error& e) {
      const int line = e.position() && e.position()->line ? *e.position()->line : 1;
      add({path_, line, 1, "syntax-error", Severity::error, e.what(), ""});
      return false;
    }
  }

  void lint_statement(const SqlStatement& statement, const ParsedStatement& parsed) {
    if (parsed.error) {
      const std::size_t length = statement.end - statement.begin;
      report("syntax-error", statement.begin + std::min(parsed.error->byte_offset, length), parsed.error->message);
      return;
    }
    // Decoded here, on the main thread: simdjson is fast enough that this
    // needs no second core, and the tree lives until the next statement.
    Tree body;
    simdjson::dom::element root;
    if (!parsed.tree_json.empty() && json_parser_.parse(parsed.tree_json).get(root) == simdjson::SUCCESS) {
      const std::vector<Tree> stmts = list(Tree(root), "stmts");
      if (!stmts.empty()) body = field(field(stmts.front(), "stmt"), parsed.type.c_str());
    }
    const StatementView view{parsed.type, body, statement.begin};
    const Emit emit = [this](const char* rule, std::size_t offset, const std::string& message) {
      report(rule, offset, message);
    };
    if (role_ == FileRole::up) check_breaking_changes(view, state_, emit);
    check_locks_and_rewrites(view, state_, emit);
    check_column_types(view, emit);
    check_transaction_use(view, state_, emit);
    note_effects(view, state_);
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
  simdjson::dom::parser json_parser_;
};

}  // namespace

FileLintResult lint_file(const std::string& path, const std::string& text, FileRole role, const LintOptions& options) {
  return FileLinter(path, text, role, options).run();
}

}  // namespace mig::lint
