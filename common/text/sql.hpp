// SQL text as PostgreSQL's own parser (libpg_query) sees it. Offsets are bytes.
#pragma once
#include <optional>
#include <string>
#include <vector>

namespace mig {

// One statement: [begin, end) spans its first token to its last, without
// leading comments or blanks and without the closing ';'.
struct SqlStatement {
  std::size_t begin;
  std::size_t end;
};

// A comment: [begin, end) including its "--" or "/* */" markers.
struct SqlComment {
  std::size_t begin;
  std::size_t end;
  bool line_comment;  // "-- ..." rather than "/* ... */"
};

struct ScannedSql {
  std::vector<SqlStatement> statements;
  std::vector<SqlComment> comments;
  // Identifier tokens longer than PostgreSQL's 63-byte limit, as written: the
  // parser truncates them, so only the scanner can tell.
  std::vector<SqlStatement> long_identifiers;
};

// A lexical or syntax error with the byte offset it points at.
struct SqlSyntaxError {
  std::string message;
  std::size_t byte_offset;
};

// Splits `text` into statements and collects its comments. Survives syntax
// errors, unbalanced parentheses included (the rest is split at ';' tokens);
// a lexical error (an unterminated string or comment) is returned.
struct ScanOutcome {
  ScannedSql sql;
  std::optional<SqlSyntaxError> error;
};
ScanOutcome scan_sql(const std::string& text);

// The parse tree of one statement as libpg_query's JSON, or the syntax error
// (offset relative to `statement`).
struct ParseOutcome {
  std::string tree_json;
  std::optional<SqlSyntaxError> error;
};
ParseOutcome parse_sql(const std::string& statement);

// The text of a comment without its markers, trimmed: "-- mig:x" -> "mig:x".
std::string comment_body(const std::string& text, const SqlComment& comment);

// True when the statement is transaction control (BEGIN, COMMIT, SAVEPOINT, ...).
// A statement that does not parse is not.
bool is_transaction_control(const std::string& statement);

// What a transaction-control statement does to an explicit block.
enum class TransactionControl {
  none,      // not transaction control
  begin,     // BEGIN, START TRANSACTION
  end,       // COMMIT, END, ROLLBACK, ABORT
  other,     // SAVEPOINT, RELEASE, ROLLBACK TO, PREPARE TRANSACTION, ...
};
TransactionControl transaction_control(const std::string& statement);

// True for a statement that writes rows (INSERT, UPDATE, DELETE, MERGE, COPY):
// data a schema dump does not carry. A statement that does not parse is not.
bool changes_rows(const std::string& statement);

// The table a `CREATE INDEX CONCURRENTLY` builds on, as written ("schema.table"
// quoted for regclass), or nullopt for any other statement.
std::optional<std::string> concurrent_index_table(const std::string& statement);

// `statement` (one UPDATE, DELETE, or INSERT ... SELECT) with `condition` ANDed
// into its WHERE (the INSERT's SELECT's), through the parse tree: the user's
// statement is never pasted into as text. Deparsed by libpg_query.
std::string with_condition(const std::string& statement, const std::string& condition);

// `statement` (SQL mig wrote) with every name qualified by `schema` ("public.t",
// "\"public\".t", 'public.t_id_seq'::regclass) written unqualified, from the
// scanner's tokens: so a migration runs in whichever schema its search_path names
// (a schema per tenant). Function bodies in string literals are left alone.
std::string without_schema_qualifier(const std::string& statement, const std::string& schema);

}  // namespace mig
