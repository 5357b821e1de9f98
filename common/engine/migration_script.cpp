#include "engine/migration_script.hpp"

#include <algorithm>

#include "engine/migration_set.hpp"
#include "text/source_text.hpp"
#include "text/sql.hpp"

namespace mig {

void MigrationScript::add_statement(const std::string& sql) {
  sql_ += sql;
  sql_ += ';';
  // Ours may hold several statements ("SET LOCAL a; SET LOCAL b"): count them as the server will.
  const std::size_t count =
      sql.find(';') == std::string::npos ? 1 : std::max<std::size_t>(1, scan_sql(sql).sql.statements.size());
  statements_.insert(statements_.end(), count, SourcePosition{"", std::nullopt, std::nullopt});
}

void MigrationScript::add_generated(const std::string& sql) {
  sql_ += '\n';
  sql_ += sql;
  sql_ += "\n;";
  line_ += 2 + static_cast<int>(std::count(sql.begin(), sql.end(), '\n'));
  statements_.push_back(SourcePosition{"", std::nullopt, std::nullopt});
}

void MigrationScript::add_file(const MigrationFile& file) {
  sql_ += '\n';
  ++line_;
  const int lines = 1 + static_cast<int>(std::count(file.text.begin(), file.text.end(), '\n'));
  segments_.push_back({line_, lines, file.path});
  const ScanOutcome scanned = scan_sql(file.text);
  const LineIndex index(file.text);
  for (const SqlStatement& s : scanned.sql.statements) {
    statements_.push_back({file.path, index.at(s.begin).line, std::nullopt});
  }
  sql_ += file.text;
  line_ += lines - 1;
  // A fresh line ends a trailing "--" comment; the ';' ends the last statement.
  sql_ += "\n;";
  ++line_;
}

std::optional<SourcePosition> MigrationScript::locate(int query_line) const {
  for (const Segment& s : segments_) {
    if (query_line >= s.first_line && query_line < s.first_line + s.line_count) {
      return SourcePosition{s.path, query_line - s.first_line + 1, std::nullopt};
    }
  }
  return std::nullopt;
}

std::optional<SourcePosition> MigrationScript::locate_statement(int index) const {
  if (index < 0 || index >= static_cast<int>(statements_.size()) || statements_[index].file.empty()) {
    return std::nullopt;
  }
  return statements_[index];
}

std::optional<SourcePosition> MigrationScript::locate(const Error& error) const {
  if (error.position() && error.position()->line) {
    if (auto at = locate(*error.position()->line)) return at;
  }
  if (error.failed_statement()) return locate_statement(*error.failed_statement());
  return std::nullopt;
}

}  // namespace mig
