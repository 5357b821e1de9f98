#include "lint/file_linter.hpp"

#include <algorithm>
#include <future>
#include <map>
#include <set>
#include <sstream>

#include "engine/backfill_statement.hpp"
#include "engine/directives.hpp"
#include "base/errors.hpp"
#include "engine/migration_set.hpp"
#include "lint/rule_catalog.hpp"
#include "text/source_text.hpp"
#include "text/sql.hpp"
#include "lint/statement_rules.hpp"

namespace mig::lint {
namespace {

// Statement types whose trees the rules read.
const std::set<std::string>& inspected_types() {
  static const std::set<std::string> types = {
      "AlterDomainStmt", "AlterSystemStmt", "AlterTableStmt", "ClusterStmt", "CreateDomainStmt", "CreateStmt",
      "CreateTableAsStmt", "CreateTableSpaceStmt", "CreatedbStmt", "DeleteStmt", "DropStmt", "DropTableSpaceStmt",
      "DropdbStmt", "IndexStmt", "LockStmt", "ReindexStmt", "RenameStmt", "TransactionStmt", "TruncateStmt",
      "UpdateStmt", "VacuumStmt"};
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
  std::size_t comment_offset = 0;
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

// "-- mig-lint:ignore a,b" covers the next statement, "-- mig-lint:ignore-file a,b" the file.
struct Suppressions {
  std::vector<Suppression> whole_file;
  std::map<int, std::vector<Suppression>> by_statement;  // -1: after the last statement
};

Suppressions read_suppressions(const std::string& text, const ScannedSql& sql) {
  Suppressions found;
  for (const SqlComment& comment : sql.comments) {
    const std::string body = comment_body(text, comment);
    Suppression s;
    s.comment_offset = comment.begin;
    if (body.rfind("mig-lint:ignore-file", 0) == 0) {
      s.rules = rule_list(body.substr(20));
      found.whole_file.push_back(std::move(s));
    } else if (body.rfind("mig-lint:ignore", 0) == 0) {
      s.rules = rule_list(body.substr(15));
      const auto next = std::lower_bound(sql.statements.begin(), sql.statements.end(), comment.end,
                                         [](const SqlStatement& st, std::size_t at) { return st.begin < at; });
      const int statement = next == sql.statements.end() ? -1 : static_cast<int>(next - sql.statements.begin());
      found.by_statement[statement].push_back(std::move(s));
    }
  }
  return found;
}

// statement-after-access-exclusive, once per lock: the statements that ran
// while a transaction held ACCESS EXCLUSIVE on an existing table.
struct LockExtension {
  int statements = 0;
  std::size_t first = 0;
  std::size_t last = 0;
};

class FileLinter {
 public:
  FileLinter(const std::string& path, const std::string& text, FileRole role, const LintOptions& options,
             SetKnowledge& set, const FindingSink& sink)
      : path_(path), text_(text), role_(role), options_(options), sink_(sink), lines_(text) {
    state_.set = &set;
    state_.default_schema = options.default_schema;
  }

  int run() {
    const ScanOutcome scanned = scan_sql(text_);
    if (scanned.error) {
      report("syntax-error", scanned.error->byte_offset, scanned.error->message);
      flush();
      return 0;
    }
    if (!read_directives_as_findings(scanned.sql)) return 0;
    suppressions_ = read_suppressions(text_, scanned.sql);
    if (scanned.sql.statements.empty() && role_ != FileRole::down) {
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
        report_long_identifiers(scanned.sql, statements[first + i].end);
        lint_statement(statements[first + i], parsed[i]);
        report_unused_ignores(statement_index_);
        flush();
      }
    }
    statement_index_ = -1;
    report_long_identifiers(scanned.sql, text_.size());
    end_lock_extension();
    check_end_of_file(state_, [this](const char* rule, std::size_t offset, const std::string& message) {
      report(rule, offset, message);
    });
    report_unused_ignores(-1);
    report_unused_ignores(suppressions_.whole_file);
    flush();
    return static_cast<int>(statements.size());
  }

 private:
  bool read_directives_as_findings(const ScannedSql& scanned) {
    try {
      const MigrationFile file{path_, text_, ""};
      const Directives directives = read_directives(file, scanned);
      state_.transactional = !directives.no_transaction;
      state_.backfill = directives.backfill;
      state_.down_file = role_ == FileRole::down;
      if (role_ == FileRole::repeatable) require_fits_repeatable(file, directives);
      if (directives.backfill) read_backfill_statement(file);
      return true;
    } catch (const Error& e) {
      const int line = e.position() && e.position()->line ? *e.position()->line : 1;
      const char* rule = e.kind() == "backfill_shape" ? "backfill-shape" : "syntax-error";
      sink_({path_, line, 1, rule, Severity::error, e.what(), find_rule(rule)->help});
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
    note_lock_extension(view);
    if (role_ != FileRole::down) check_breaking_changes(view, state_, emit);
    check_locks_and_rewrites(view, state_, emit);
    check_column_types(view, emit);
    check_transaction_use(view, state_, emit);
    check_robustness(view, state_, emit);
    note_effects(view, state_);
    if (state_.transaction_ended || state_.exclusive_tables.empty()) end_lock_extension();
    if (state_.transaction_ended) state_.end_transaction();
  }

  // Counts this statement against the lock an earlier one holds, unless it is
  // the COMMIT that ends it or an ignore comment covers it.
  void note_lock_extension(const StatementView& s) {
    if (!state_.in_transaction() || state_.exclusive_tables.empty() || s.type == "TransactionStmt") return;
    if (suppressed("statement-after-access-exclusive")) return;
    if (extension_.statements++ == 0) extension_.first = s.offset;
    extension_.last = s.offset;
  }

  // Reports the statements a lock was held through, at the last of them.
  void end_lock_extension() {
    if (extension_.statements > 0) {
      const int first = lines_.at(extension_.first).line;
      const int last = lines_.at(extension_.last).line;
      const int taken = lines_.at(state_.exclusive_offset).line;
      const std::string lines = first == last ? "line " + std::to_string(first)
                                              : "lines " + std::to_string(first) + "-" + std::to_string(last);
      report_unsuppressed("statement-after-access-exclusive", extension_.last,
                          std::to_string(extension_.statements) + " statement(s) on " + lines +
                              " run while this transaction holds ACCESS EXCLUSIVE on " + state_.exclusive_first +
                              " (taken on line " + std::to_string(taken) + "), so every query on it waits longer");
    }
    extension_ = LockExtension{};
  }

  bool suppressed(const std::string& rule) {
    for (Suppression& s : suppressions_.whole_file) {
      if (s.rules.count(rule)) return s.used.insert(rule), true;
    }
    if (statement_index_ < 0) return false;
    const auto here = suppressions_.by_statement.find(statement_index_);
    if (here == suppressions_.by_statement.end()) return false;
    for (Suppression& s : here->second) {
      if (s.rules.count(rule)) return s.used.insert(rule), true;
    }
    return false;
  }

  void report(const char* rule_id, std::size_t offset, const std::string& message) {
    if (!suppressed(rule_id)) report_unsuppressed(rule_id, offset, message);
  }

  void report_unsuppressed(const char* rule_id, std::size_t offset, const std::string& message) {
    const RuleInfo* rule = find_rule(rule_id);
    if (!rule) return;
    const Severity severity = effective_severity(*rule, options_);
    if (severity == Severity::off) return;
    const LineColumn at = lines_.at(offset);
    pending_.push_back({path_, at.line, at.column, rule_id, severity, message, rule->help});
  }

  // Long identifiers are found by the scanner (the parse tree holds them
  // truncated): those that start before `end`, not yet reported.
  void report_long_identifiers(const ScannedSql& sql, std::size_t end) {
    for (; next_long_identifier_ < sql.long_identifiers.size(); ++next_long_identifier_) {
      const SqlStatement& token = sql.long_identifiers[next_long_identifier_];
      if (token.begin >= end) break;
      const std::string name = text_.substr(token.begin, token.end - token.begin);
      report("identifier-too-long", token.begin,
             "identifier " + name + " is " + std::to_string(name.size()) + " bytes; PostgreSQL keeps the first 63");
    }
  }

  // The ignore comments covering one statement (-1: after the last one).
  void report_unused_ignores(int statement) {
    const auto here = suppressions_.by_statement.find(statement);
    if (here != suppressions_.by_statement.end()) report_unused_ignores(here->second);
  }

  void report_unused_ignores(const std::vector<Suppression>& suppressions) {
    for (const Suppression& s : suppressions) {
      for (const std::string& rule : s.rules) {
        if (s.used.count(rule)) continue;
        report("unused-ignore", s.comment_offset,
               find_rule(rule) ? "mig-lint:ignore " + rule + " silences nothing here"
                               : "mig-lint:ignore names an unknown rule '" + rule + "'");
      }
    }
  }

  // Hands this statement's findings to the sink, by position.
  void flush() {
    std::stable_sort(pending_.begin(), pending_.end(), [](const Finding& a, const Finding& b) {
      return std::tie(a.line, a.column) < std::tie(b.line, b.column);
    });
    for (const Finding& f : pending_) sink_(f);
    pending_.clear();
  }

  const std::string& path_;
  const std::string& text_;
  FileRole role_;
  const LintOptions& options_;
  const FindingSink& sink_;
  LineIndex lines_;
  FileState state_;
  Suppressions suppressions_;
  LockExtension extension_;
  int statement_index_ = -1;
  std::size_t next_long_identifier_ = 0;
  std::vector<Finding> pending_;
  simdjson::dom::parser json_parser_;
};

}  // namespace

int lint_file(const std::string& path, const std::string& text, FileRole role, const LintOptions& options,
              SetKnowledge& set, const FindingSink& sink) {
  return FileLinter(path, text, role, options, set, sink).run();
}

FileLintResult lint_file(const std::string& path, const std::string& text, FileRole role, const LintOptions& options) {
  FileLintResult result;
  SetKnowledge set;
  result.statements =
      lint_file(path, text, role, options, set, [&](const Finding& f) { result.findings.push_back(f); });
  return result;
}

}  // namespace mig::lint
