#include "engine/directives.hpp"

#include <algorithm>
#include <cctype>

#include "base/errors.hpp"
#include "text/source_text.hpp"
#include "text/sql.hpp"

namespace mig {
namespace {

// "id" or "tenant_id, id": column names as written (unquoted names fold to lower case, as SQL does).
std::vector<std::string> key_columns(const std::string& value, const std::string& where) {
  std::vector<std::string> columns;
  std::size_t at = 0;
  while (at <= value.size()) {
    const std::size_t comma = value.find(',', at);
    std::string column = value.substr(at, comma == std::string::npos ? std::string::npos : comma - at);
    column.erase(0, column.find_first_not_of(" \t"));
    column.erase(column.find_last_not_of(" \t") + 1);
    const bool plain = !column.empty() && std::all_of(column.begin(), column.end(), [](unsigned char c) {
      return std::isalnum(c) || c == '_';
    }) && !std::isdigit(static_cast<unsigned char>(column[0]));
    if (!plain) throw invalid_input("invalid_directive", where + ": mig:key takes column names separated by commas, not '" + value + "'");
    for (char& c : column) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    columns.push_back(column);
    if (comma == std::string::npos) break;
    at = comma + 1;
  }
  return columns;
}

long long batch_size(const std::string& value, const std::string& where) {
  try {
    std::size_t used = 0;
    const long long n = std::stoll(value, &used);
    if (used == value.size() && n >= 1 && n <= 10'000'000) return n;
  } catch (const std::exception&) {
  }
  throw invalid_input("invalid_directive", where + ": mig:batch-size takes a whole number from 1 to 10000000, not '" + value + "'");
}

// Directives that would be ignored, or that contradict each other, are refused.
void require_coherent(const Directives& d, const MigrationFile& file) {
  const auto refuse = [&](const std::string& why) {
    throw invalid_input("backfill_shape", file.path + ": " + why).with_position({file.path, 1, std::nullopt});
  };
  if (d.backfill && d.no_transaction) {
    refuse("mig:backfill runs its own short transactions, one per batch: it does not go with mig:no-transaction");
  }
  if (d.checkpoint && (d.no_transaction || d.backfill)) {
    throw invalid_input("invalid_directive", file.path + ": mig:checkpoint creates the whole schema in one transaction: "
                                             "it does not go with mig:no-transaction or mig:backfill")
        .with_position({file.path, 1, std::nullopt});
  }
  if (!d.backfill && (!d.key.empty() || d.batch_size || d.batch_time)) {
    refuse("mig:key, mig:batch-size and mig:batch-time only go with -- mig:backfill");
  }
}

}  // namespace


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
      } else if (key == "checkpoint" && value.empty()) {
        directives.checkpoint = true;
      } else if (key == "backfill" && value.empty()) {
        directives.backfill = true;
      } else if (key == "key") {
        directives.key = key_columns(value, where);
      } else if (key == "batch-size") {
        directives.batch_size = batch_size(value, where);
      } else if (key == "batch-time") {
        directives.batch_time = parse_duration(value, where + ": mig:batch-time");
        if (directives.batch_time->count() <= 0) throw invalid_input("invalid_directive", where + ": mig:batch-time must be above 0");
      } else {
        throw invalid_input("invalid_directive", where + ": unknown directive '-- " + body +
                                                     "' (known: mig:no-transaction, mig:lock-timeout D, "
                                                     "mig:statement-timeout D, mig:backfill, mig:key COL[,COL], "
                                                     "mig:batch-size N, mig:batch-time D, mig:checkpoint)");
      }
    } catch (const Error& e) {
      throw invalid_input("invalid_directive", e.what()).with_position({file.path, line, std::nullopt});
    }
  }
  require_coherent(directives, file);
  return directives;
}

void require_fits_repeatable(const MigrationFile& file, const Directives& d) {
  if (!(d.no_transaction || d.backfill || d.checkpoint)) return;
  const char* directive = d.no_transaction ? "no-transaction" : d.backfill ? "backfill" : "checkpoint";
  throw invalid_input("invalid_directive", file.path + ": -- mig:" + directive +
                                               " cannot mark a repeatable migration (it runs again in one "
                                               "transaction whenever it changes); nothing was applied")
      .with_position({file.path, 1, std::nullopt});
}

}  // namespace mig
