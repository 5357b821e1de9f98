#include "engine/backfill_statement.hpp"

#include <nlohmann/json.hpp>

#include "base/errors.hpp"
#include "engine/migration_set.hpp"
#include "text/source_text.hpp"
#include "text/sql.hpp"

namespace mig {
namespace {

using nlohmann::json;

Error refused(const MigrationFile& file, int line, const std::string& why) {
  return Error(ExitCode::invalid_input, "backfill_shape",
               file.path + ":" + std::to_string(line) + ": -- mig:backfill: " + why)
      .with_position({file.path, line, std::nullopt});
}

const json& node_of(const json& wrapped, const char* type) {
  static const json empty = json::object();
  return wrapped.contains(type) ? wrapped[type] : empty;
}

// A CTE that writes (WITH x AS (DELETE ... RETURNING ...)) changes rows no key range bounds.
bool writes_in_with(const json& body) {
  for (const json& cte : body.value("withClause", json::object()).value("ctes", json::array())) {
    const json& query = node_of(cte, "CommonTableExpr").value("ctequery", json::object());
    if (!query.contains("SelectStmt")) return true;
  }
  return false;
}

// The table a FROM item starts with: itself, or the left side of a JOIN, all the way down.
json leftmost_table(json item) {
  while (item.contains("JoinExpr")) item = item["JoinExpr"].value("larg", json::object());
  return item.value("RangeVar", json::object());
}

void take_table(BackfillStatement& b, const json& range_var) {
  b.schema = range_var.value("schemaname", "");
  b.table = range_var.value("relname", "");
  b.qualifier = range_var.value("alias", json::object()).value("aliasname", b.table);
}

}  // namespace

BackfillStatement read_backfill_statement(const MigrationFile& file) {
  const ScanOutcome scanned = scan_sql(file.text);
  const LineIndex lines(file.text);
  if (scanned.error) throw refused(file, lines.at(scanned.error->byte_offset).line, scanned.error->message);
  if (scanned.sql.statements.size() != 1) {
    const int line = scanned.sql.statements.size() > 1 ? lines.at(scanned.sql.statements[1].begin).line : 1;
    throw refused(file, line, "the body must be exactly one UPDATE, DELETE or INSERT ... SELECT statement (it has " +
                                  std::to_string(scanned.sql.statements.size()) + ")");
  }
  const SqlStatement& s = scanned.sql.statements.front();
  BackfillStatement b;
  b.sql = file.text.substr(s.begin, s.end - s.begin);
  b.line = lines.at(s.begin).line;
  const ParseOutcome parsed = parse_sql(b.sql);
  if (parsed.error) throw refused(file, lines.at(s.begin + parsed.error->byte_offset).line, parsed.error->message);
  const json stmt = json::parse(parsed.tree_json)["stmts"][0].value("stmt", json::object());
  const std::string type = stmt.empty() ? "" : stmt.begin().key();
  const json& body = stmt.empty() ? stmt : stmt.begin().value();
  if (type == "UpdateStmt" || type == "DeleteStmt") {
    b.kind = type == "UpdateStmt" ? "UPDATE" : "DELETE";
    take_table(b, body.value("relation", json::object()));
  } else if (type == "InsertStmt") {
    b.kind = "INSERT";
    const json select = node_of(body.value("selectStmt", json::object()), "SelectStmt");  // a copy: value() returns one
    const json from = select.value("fromClause", json::array());
    if (select.empty() || select.value("op", "SETOP_NONE") != "SETOP_NONE" || select.contains("valuesLists") || from.empty() ||
        leftmost_table(from[0]).empty()) {
      throw refused(file, b.line, "an INSERT backfill is batched by the first table it reads: INSERT ... SELECT ... FROM table [...]");
    }
    take_table(b, leftmost_table(from[0]));
    if (writes_in_with(select)) throw refused(file, b.line, "a WITH query that writes is not bounded by the key range");
  } else {
    throw refused(file, b.line, "the body must be an UPDATE, DELETE or INSERT ... SELECT, not " + (type.empty() ? "this" : type));
  }
  if (body.contains("returningList")) throw refused(file, b.line, "RETURNING has nowhere to go in a batched backfill");
  if (writes_in_with(body)) throw refused(file, b.line, "a WITH query that writes is not bounded by the key range");
  if (b.table.empty()) {
    throw refused(file, b.line, "no table to batch");
  }
  return b;
}

}  // namespace mig
