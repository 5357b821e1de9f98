// Breaking changes: drops, renames and required columns break running code or lose data.
#include "lint/statement_rules.hpp"

namespace mig::lint {
namespace {

bool is_required_without_default(const Tree& column) {
  bool not_null = false;
  bool filled = false;  // a DEFAULT, identity or generated value fills existing rows
  for (const Tree& c : list(column, "constraints")) {
    const std::string type = text(unwrap(c, "Constraint"), "contype");
    not_null = not_null || type == "CONSTR_NOTNULL" || type == "CONSTR_PRIMARY";
    filled = filled || type == "CONSTR_DEFAULT" || type == "CONSTR_IDENTITY" || type == "CONSTR_GENERATED";
  }
  const std::string type = type_name(field(column, "typeName"));
  filled = filled || type == "serial" || type == "bigserial" || type == "smallserial" || type == "serial4" ||
           type == "serial8" || type == "serial2";
  return not_null && !filled;
}

void check_drop(const StatementView& s, const FileState& state, const Emit& emit) {
  const std::string kind = text(s.body, "removeType");
  if (kind == "OBJECT_SCHEMA") {
    emit("ban-drop-schema", s.offset, "DROP SCHEMA drops every object in the schema");
    return;
  }
  if (kind != "OBJECT_TABLE") return;
  for (const Tree& object : list(s.body, "objects")) {
    std::string name;
    for (const Tree& part : list(unwrap(object, "List"), "items")) {
      name += (name.empty() ? "" : ".") + string_value(part);
    }
    if (!state.is_new(state.qualify_list(unwrap(object, "List")))) {
      emit("ban-drop-table", s.offset, "DROP TABLE " + name + " loses its data");
    }
  }
}

void check_rename(const StatementView& s, const FileState& state, const Emit& emit) {
  const std::string kind = text(s.body, "renameType");
  const std::string table = relation_name(field(s.body, "relation"));
  if (state.is_new(state.qualify(field(s.body, "relation")))) return;
  if (kind == "OBJECT_TABLE") {
    emit("renaming-table", s.offset, "renaming table " + table + " breaks code that still uses the old name");
  } else if (kind == "OBJECT_COLUMN") {
    emit("renaming-column", s.offset,
         "renaming column " + table + "." + text(s.body, "subname") + " breaks code that still uses the old name");
  }
}

void check_alter(const StatementView& s, const FileState& state, const Emit& emit) {
  const std::string table = relation_name(field(s.body, "relation"));
  if (state.is_new(state.qualify(field(s.body, "relation")))) return;
  for (const Tree& wrapped : list(s.body, "cmds")) {
    const Tree& cmd = unwrap(wrapped, "AlterTableCmd");
    const std::string subtype = text(cmd, "subtype");
    if (subtype == "AT_DropColumn") {
      emit("ban-drop-column", s.offset, "dropping column " + table + "." + text(cmd, "name") + " loses its data");
    } else if (subtype == "AT_AddColumn") {
      const Tree& column = unwrap(field(cmd, "def"), "ColumnDef");
      if (is_required_without_default(column)) {
        emit("adding-required-field", s.offset + location_of(column),
             "column " + table + "." + text(column, "colname") + " is NOT NULL without a DEFAULT");
      }
    }
  }
}

}  // namespace

void check_breaking_changes(const StatementView& s, const FileState& state, const Emit& emit) {
  if (s.type == "DropStmt") {
    check_drop(s, state, emit);
  } else if (s.type == "DropdbStmt") {
    emit("ban-drop-database", s.offset, "DROP DATABASE " + text(s.body, "dbname"));
  } else if (s.type == "TruncateStmt") {
    for (const Tree& r : list(s.body, "relations")) {
      const std::string table = relation_name(unwrap(r, "RangeVar"));
      if (!state.is_new(state.qualify(unwrap(r, "RangeVar")))) emit("ban-truncate", s.offset, "TRUNCATE " + table + " deletes every row");
    }
  } else if (s.type == "RenameStmt") {
    check_rename(s, state, emit);
  } else if (s.type == "AlterTableStmt") {
    check_alter(s, state, emit);
  }
}

}  // namespace mig::lint
