#include "engine/statement_units.hpp"

#include "base/errors.hpp"
#include "engine/migration_set.hpp"
#include "text/source_text.hpp"
#include "text/sql.hpp"

namespace mig {
namespace {

Error bad_block(const MigrationFile& file, int line, const std::string& why) {
  return invalid_input("transaction_block", file.path + ":" + std::to_string(line) + ": " + why + "; nothing was run")
      .with_position({file.path, line, std::nullopt});
}

}  // namespace

std::vector<StatementUnit> statement_units(const MigrationFile& file) {
  return statement_units(file, scan_sql(file.text));
}

std::vector<StatementUnit> statement_units(const MigrationFile& file, const ScanOutcome& scanned) {
  const LineIndex lines(file.text);
  if (scanned.error) {
    const LineColumn at = lines.at(scanned.error->byte_offset);
    throw invalid_input("syntax_error", file.path + ":" + std::to_string(at.line) + ": " + scanned.error->message +
                                            " (nothing was run)")
        .with_position({file.path, at.line, at.column});
  }
  std::vector<StatementUnit> units;
  StatementUnit* open_block = nullptr;
  for (const SqlStatement& s : scanned.sql.statements) {
    const int line = lines.at(s.begin).line;
    const TransactionControl control = transaction_control(file.text.substr(s.begin, s.end - s.begin));
    if (open_block) {
      if (control == TransactionControl::begin) {
        throw bad_block(file, line, "BEGIN inside the transaction block opened on line " +
                                        std::to_string(open_block->line));
      }
      open_block->end = s.end;
      open_block->statement_lines.push_back(line);
      if (control == TransactionControl::end) open_block = nullptr;
      continue;
    }
    StatementUnit unit{s.begin, s.end, line, {line}, control == TransactionControl::begin, std::nullopt};
    if (control == TransactionControl::none) {
      unit.concurrent_index_table = concurrent_index_table(file.text.substr(s.begin, s.end - s.begin));
    }
    units.push_back(std::move(unit));
    if (units.back().block) open_block = &units.back();
  }
  if (open_block) {
    throw bad_block(file, open_block->line,
                    "the transaction block opened here is never closed (add COMMIT; an open block would end "
                    "uncommitted when the session does)");
  }
  return units;
}

int error_line(const StatementUnit& unit, std::optional<int> query_line, std::optional<int> failed_statement) {
  if (query_line) return unit.line + *query_line - 1;
  if (failed_statement && *failed_statement >= 0 &&
      *failed_statement < static_cast<int>(unit.statement_lines.size())) {
    return unit.statement_lines[*failed_statement];
  }
  return unit.line;
}

}  // namespace mig
