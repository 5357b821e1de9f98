// Column types that cause trouble later: json, int ids, timestamp, char(n), serial.
// (Over-long identifiers are found from scanner tokens in file_linter.cpp: the
// parse tree already holds them truncated.)
#include "lint/statement_rules.hpp"

namespace mig::lint {
namespace {

void check_type(const Tree& type, const std::string& column, std::size_t at, const Emit& emit) {
  const std::string name = type_name(type);
  const std::string where = "column " + column;
  if (name == "json") emit("prefer-jsonb", at, where + " is json");
  if (name == "int4" || name == "int2" || name == "serial" || name == "serial4" || name == "smallserial" ||
      name == "serial2") {
    emit("prefer-bigint", at, where + " is " + (name == "int2" ? "smallint" : name == "int4" ? "integer" : name));
  }
  if (name == "serial" || name == "serial4" || name == "bigserial" || name == "serial8" || name == "smallserial" ||
      name == "serial2") {
    emit("prefer-identity", at, where + " is " + name);
  }
  if (name == "timestamp") emit("prefer-timestamptz", at, where + " is timestamp without time zone");
  if (name == "bpchar") emit("ban-char-field", at, where + " is char(n)");
}

void check_column(const Tree& column, const std::string& table, std::size_t offset, const Emit& emit) {
  const std::string name = text(column, "colname");
  const std::size_t at = offset + location_of(column);
  check_type(field(column, "typeName"), table + "." + name, at, emit);
}

}  // namespace

void check_column_types(const StatementView& s, const Emit& emit) {
  if (s.type == "CreateStmt") {
    const std::string table = relation_name(field(s.body, "relation"));
    for (const Tree& element : list(s.body, "tableElts")) {
      const Tree& column = unwrap(element, "ColumnDef");
      if (!column.empty()) check_column(column, table, s.offset, emit);
    }
  } else if (s.type == "AlterTableStmt") {
    const std::string table = relation_name(field(s.body, "relation"));
    for (const Tree& wrapped : list(s.body, "cmds")) {
      const Tree& cmd = unwrap(wrapped, "AlterTableCmd");
      const std::string subtype = text(cmd, "subtype");
      const Tree& def = field(cmd, "def");
      if (subtype == "AT_AddColumn") check_column(unwrap(def, "ColumnDef"), table, s.offset, emit);
      if (subtype == "AT_AlterColumnType") {
        const Tree& column = unwrap(def, "ColumnDef");
        check_type(field(column, "typeName"), table + "." + text(cmd, "name"),
                   s.offset + location_of(column), emit);
      }
    }
  }
}

}  // namespace mig::lint
