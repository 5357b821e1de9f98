#include "directives.hpp"

#include "errors.hpp"
#include "source_text.hpp"
#include "sql.hpp"

namespace mig {

Directives read_directives(const MigrationFile& file) { return read_directives(file, scan_sql(file.text).sql); }

Directives read_directives(const MigrationFile& file, const ScannedSql& scanned) {
  Directives directives;
  const std::size_t first_statement = scanned.statements.empty() ? file.text.size() : scanned.statements.front().begin;
  for (const SqlComment& comment : scanned.comments) {
    if (comment.begin >= first_statement || !comment.line_comment) continue;
    const std::string body = comment_body(file.text, comment);
    if (body.compare(0, 4, "mig:") != 0) continue;
    const std::size_t space = body.find_first_of(" \t");
    const std::string key = body.substr(4, space == std::string::npos ? std::string::npos : space - 4);
    std::string value = space == std::string::npos ? "" : body.substr(body.find_first_not_of(" \t", space));
    const int line = line_column_at(file.text, comment.begin).line;
    const std::string where = file.path + ":" + std::to_string(line);
    try {
      if (key == "no-transaction" && value.empty()) {
        directives.no_transaction = true;
      } else if (key == "lock-timeout") {
        directives.lock_timeout = parse_duration(value, where + ": mig:lock-timeout");
      } else if (key == "statement-timeout") {
        directives.statement_timeout = parse_duration(value, where + ": mig:statement-timeout");
      } else {
        throw invalid_input("invalid_directive", where + ": unknown directive '-- " + body +
                                                     "' (known: mig:no-transaction, mig:lock-timeout D, "
                                                     "mig:statement-timeout D)");
      }
    } catch (const Error& e) {
      throw invalid_input("invalid_directive", e.what()).with_position({file.path, line, std::nullopt});
    }
  }
  return directives;
}

}  // namespace mig
