// Locks, rewrites and full scans on tables that already exist. A table
// created earlier in the same file is empty and nobody else sees it yet: exempt.
#include <set>

#include "statement_rules.hpp"

namespace mig::lint {
namespace {

// Functions whose value changes per row: a DEFAULT calling one rewrites the table.
// now(), current_timestamp and friends are stable: PostgreSQL 11+ stores them once.
const std::set<std::string>& volatile_functions() {
  static const std::set<std::string> names = {
      "random", "gen_random_uuid", "uuid_generate_v1", "uuid_generate_v1mc", "uuid_generate_v4",
      "clock_timestamp", "timeofday", "nextval", "txid_current", "pg_current_xact_id", "random_normal"};
  return names;
}

std::string volatile_call_in(const Tree& expression) {
  std::string found;
  for_each_node(expression, "FuncCall", [&](const Tree& call) {
    const std::vector<Tree> names = list(call, "funcname");
    if (found.empty() && !names.empty() && volatile_functions().count(string_value(names.back()))) {
      found = string_value(names.back());
    }
  });
  return found;
}

bool is_serial(const std::string& type) {
  return type == "serial" || type == "bigserial" || type == "smallserial" || type == "serial2" ||
         type == "serial4" || type == "serial8";
}

void check_constraint(const Tree& constraint, const std::string& table, std::size_t at, const Emit& emit) {
  const std::string type = text(constraint, "contype");
  const bool not_valid = flag(constraint, "skip_validation");
  const bool using_index = !text(constraint, "indexname").empty();
  if (type == "CONSTR_FOREIGN" && !not_valid) {
    emit("adding-foreign-key-constraint", at,
         "foreign key on " + table + " is validated now, locking both tables while every row is checked");
  } else if (type == "CONSTR_CHECK" && !not_valid) {
    emit("constraint-missing-not-valid", at, "CHECK constraint on " + table + " scans every row under the lock");
  } else if (type == "CONSTR_PRIMARY" && !using_index) {
    emit("adding-primary-key", at, "adding a primary key to " + table + " builds its index under ACCESS EXCLUSIVE");
  } else if (type == "CONSTR_UNIQUE" && !using_index) {
    emit("disallowed-unique-constraint", at, "adding UNIQUE to " + table + " builds its index under ACCESS EXCLUSIVE");
  } else if (type == "CONSTR_EXCLUSION") {
    emit("adding-exclusion-constraint", at, "exclusion constraint on " + table + " scans it under ACCESS EXCLUSIVE");
  }
}

void check_added_column(const Tree& column, const std::string& table, std::size_t offset, const Emit& emit) {
  const std::size_t at = offset + location_of(column);
  const std::string name = table + "." + text(column, "colname");
  if (is_serial(type_name(field(column, "typeName")))) {
    emit("adding-serial-column", at, "serial column " + name + " rewrites the table");
  }
  for (const Tree& wrapped : list(column, "constraints")) {
    const Tree& c = unwrap(wrapped, "Constraint");
    const std::string type = text(c, "contype");
    if (type == "CONSTR_DEFAULT") {
      const std::string call = volatile_call_in(field(c, "raw_expr"));
      if (!call.empty()) {
        emit("adding-field-with-default", at, "DEFAULT " + call + "() is volatile: adding " + name + " rewrites the table");
      }
    } else if (type == "CONSTR_GENERATED") {
      emit("adding-field-with-default", at, "stored generated column " + name + " rewrites the table");
    } else {
      check_constraint(c, table, at, emit);
    }
  }
}

void check_alter_command(const Tree& cmd, const std::string& table, const StatementView& s, const FileState& state,
                         const Emit& emit) {
  const std::string subtype = text(cmd, "subtype");
  const Tree& def = field(cmd, "def");
  const std::string column = table + "." + text(cmd, "name");
  if (!state.transactional && (subtype == "AT_AddColumn" || subtype == "AT_DropColumn") && !flag(cmd, "missing_ok")) {
    emit("prefer-robust-stmts", s.offset,
         std::string(subtype == "AT_AddColumn" ? "ADD COLUMN without IF NOT EXISTS" : "DROP COLUMN without IF EXISTS") +
             " fails when a partly applied no-transaction migration is run again");
  }
  if (subtype == "AT_AddColumn") {
    check_added_column(unwrap(def, "ColumnDef"), table, s.offset, emit);
  } else if (subtype == "AT_AddConstraint") {
    const Tree& c = unwrap(def, "Constraint");
    check_constraint(c, table, s.offset + location_of(c), emit);
  } else if (subtype == "AT_SetNotNull") {
    emit("adding-not-nullable-field", s.offset, "SET NOT NULL on " + column + " scans the table under ACCESS EXCLUSIVE");
  } else if (subtype == "AT_AlterColumnType") {
    emit("changing-column-type", s.offset, "changing the type of " + column + " may rewrite the table and its indexes");
  } else if (subtype == "AT_DetachPartition" && !flag(unwrap(def, "PartitionCmd"), "concurrent")) {
    emit("require-concurrent-partition-detach", s.offset, "DETACH PARTITION on " + table + " takes ACCESS EXCLUSIVE");
  }
}

void check_alter_table(const StatementView& s, FileState& state, const Emit& emit) {
  const std::string table = relation_name(field(s.body, "relation"));
  if (state.is_new(table)) return;
  if (++state.alter_count[table] == 2) {
    emit("multiple-alter-table", s.offset, "another ALTER TABLE " + table + " in this file takes its lock again");
  }
  for (const Tree& wrapped : list(s.body, "cmds")) {
    check_alter_command(unwrap(wrapped, "AlterTableCmd"), table, s, state, emit);
  }
}

void check_index(const StatementView& s, const FileState& state, const Emit& emit) {
  const std::string table = relation_name(field(s.body, "relation"));
  const bool concurrent = flag(s.body, "concurrent");
  if (concurrent && state.transactional) {
    emit("ban-concurrent-index-creation-in-transaction", s.offset,
         "CREATE INDEX CONCURRENTLY cannot run inside a transaction");
  } else if (concurrent && !flag(s.body, "if_not_exists")) {
    emit("prefer-robust-stmts", s.offset,
         "CREATE INDEX CONCURRENTLY without IF NOT EXISTS fails on a re-run after a partial failure");
  } else if (!concurrent && !state.is_new(table)) {
    emit("require-concurrent-index-creation", s.offset, "CREATE INDEX on " + table + " blocks writes while it builds");
  }
}

void check_drop_index(const StatementView& s, const FileState& state, const Emit& emit) {
  if (text(s.body, "removeType") != "OBJECT_INDEX") return;
  const bool concurrent = flag(s.body, "concurrent");
  if (concurrent && state.transactional) {
    emit("ban-concurrent-index-creation-in-transaction", s.offset, "DROP INDEX CONCURRENTLY cannot run inside a transaction");
    return;
  }
  if (concurrent && !flag(s.body, "missing_ok")) {
    emit("prefer-robust-stmts", s.offset, "DROP INDEX CONCURRENTLY without IF EXISTS fails on a re-run");
    return;
  }
  if (concurrent) return;
  for (const Tree& object : list(s.body, "objects")) {
    const std::vector<Tree> items = list(unwrap(object, "List"), "items");
    const std::string name = items.empty() ? "" : string_value(items.back());
    if (!state.created_indexes.count(name)) {
      emit("require-concurrent-index-deletion", s.offset, "DROP INDEX " + name + " blocks the table while it runs");
    }
  }
}

void check_unbounded(const StatementView& s, const FileState& state, const Emit& emit) {
  const std::string table = relation_name(field(s.body, "relation"));
  if (!field(s.body, "whereClause").empty() || state.is_new(table)) return;
  emit("unbounded-update", s.offset,
       std::string(s.type == "UpdateStmt" ? "UPDATE" : "DELETE") + " of every row in " + table + " in one transaction");
}

// Does this statement take ACCESS EXCLUSIVE on an existing table? Returns the table.
std::string access_exclusive_target(const StatementView& s, const FileState& state) {
  static const std::set<std::string> weaker = {
      "AT_ValidateConstraint", "AT_SetStatistics", "AT_SetOptions",    "AT_ResetOptions",  "AT_ClusterOn",
      "AT_DropCluster",        "AT_SetRelOptions", "AT_ResetRelOptions", "AT_AttachPartition", "AT_ReplicaIdentity"};
  std::string table;
  if (s.type == "AlterTableStmt") {
    table = relation_name(field(s.body, "relation"));
    bool exclusive = false;
    for (const Tree& wrapped : list(s.body, "cmds")) {
      const Tree& cmd = unwrap(wrapped, "AlterTableCmd");
      const Tree& c = unwrap(field(cmd, "def"), "Constraint");
      const bool foreign_key = text(c, "contype") == "CONSTR_FOREIGN";
      exclusive = exclusive || (!weaker.count(text(cmd, "subtype")) && !foreign_key);
    }
    if (!exclusive) table.clear();
  } else if (s.type == "RenameStmt" || s.type == "TruncateStmt" || (s.type == "VacuumStmt" && has_option(list(s.body, "options"), "full"))) {
    table = relation_name(field(s.body, "relation"));
    if (table.empty()) table = "a table";
  } else if (s.type == "DropStmt" && text(s.body, "removeType") == "OBJECT_TABLE") {
    table = "a dropped table";
  } else if (s.type == "LockStmt" && integer(s.body, "mode") == 8 && !list(s.body, "relations").empty()) {
    table = relation_name(unwrap(list(s.body, "relations").front(), "RangeVar"));
  }
  return state.is_new(table) ? "" : table;
}

}  // namespace

void check_locks_and_rewrites(const StatementView& s, FileState& state, const Emit& emit) {
  if (state.transactional && !state.access_exclusive_table.empty()) {
    emit("statement-after-access-exclusive", s.offset,
         "runs while this transaction holds ACCESS EXCLUSIVE on " + state.access_exclusive_table +
             ", so every query on it waits longer");
  }
  if (s.type == "AlterTableStmt") {
    check_alter_table(s, state, emit);
  } else if (s.type == "IndexStmt") {
    check_index(s, state, emit);
  } else if (s.type == "DropStmt") {
    check_drop_index(s, state, emit);
  } else if (s.type == "ReindexStmt") {
    if (!has_option(list(s.body, "params"), "concurrently")) {
      emit("require-concurrent-reindex", s.offset, "REINDEX without CONCURRENTLY blocks writes (and reads that use the index)");
    }
  } else if (s.type == "VacuumStmt") {
    if (has_option(list(s.body, "options"), "full")) {
      emit("ban-vacuum-full", s.offset, "VACUUM FULL rewrites the table under ACCESS EXCLUSIVE");
    }
  } else if (s.type == "UpdateStmt" || s.type == "DeleteStmt") {
    check_unbounded(s, state, emit);
  }
}

void note_effects(const StatementView& s, FileState& state) {
  if (s.type == "CreateStmt") {
    state.created_tables.insert(relation_name(field(s.body, "relation")));
  } else if (s.type == "CreateTableAsStmt") {
    state.created_tables.insert(relation_name(field(unwrap(s.body, "into"), "rel")));
  } else if (s.type == "IndexStmt" && !text(s.body, "idxname").empty()) {
    state.created_indexes.insert(text(s.body, "idxname"));
  }
  if (state.transactional && state.access_exclusive_table.empty()) {
    state.access_exclusive_table = access_exclusive_target(s, state);
  }
}

}  // namespace mig::lint
