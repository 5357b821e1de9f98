// A no-transaction migration cut into the units mig runs one at a time: single
// statements, and explicit BEGIN ... COMMIT blocks (golang-migrate style), which
// run, fail, roll back and retry as one.
#pragma once
#include <optional>
#include <string>
#include <vector>

namespace mig {

struct MigrationFile;
struct ScanOutcome;

struct StatementUnit {
  std::size_t begin;  // byte range in the file: first token of the first statement...
  std::size_t end;    // ...to the end of the last one (without its ';')
  int line;           // 1-based line of `begin`
  std::vector<int> statement_lines;  // first line of each statement in the unit
  bool block = false;                // an explicit transaction block, BEGIN to COMMIT/ROLLBACK
  // For a CREATE INDEX CONCURRENTLY: its table, so a failure's INVALID index can be dropped.
  std::optional<std::string> concurrent_index_table;
};

// Splits the file. Throws invalid_input (exit 3) naming file:line for a lexical
// error, a BEGIN inside a block, and a block that is never closed.
std::vector<StatementUnit> statement_units(const MigrationFile& file);
// The same, from the file's scan when the caller has it already.
std::vector<StatementUnit> statement_units(const MigrationFile& file, const ScanOutcome& scanned);

// The line an error inside `unit` points at: the server's LINE n (relative to the
// unit's text) when given, else the failing statement's first line.
int error_line(const StatementUnit& unit, std::optional<int> query_line, std::optional<int> failed_statement);

}  // namespace mig
