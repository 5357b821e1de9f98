#include "migration_script.hpp"

#include <algorithm>

#include "migration_set.hpp"

namespace mig {

void MigrationScript::add_statement(const std::string& sql) {
  sql_ += sql;
  sql_ += ';';
}

void MigrationScript::add_file(const MigrationFile& file) {
  sql_ += '\n';
  ++line_;
  const int lines = 1 + static_cast<int>(std::count(file.text.begin(), file.text.end(), '\n'));
  segments_.push_back({line_, lines, file.path});
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

}  // namespace mig
