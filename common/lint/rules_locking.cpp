// Locks, rewrites and full scans on tables that already exist. A table
// created earlier in the same file is empty and nobody else sees it yet: exempt.
#include <set>

#include "lint/function_volatility.hpp"
#include "lint/statement_rules.hpp"

namespace mig::lint {
namespace {

// The first call in a DEFAULT expression that is not a built-in known to be
// stable or immutable: PostgreSQL then evaluates it per row, rewriting the table.
std::string volatile_call_in(const Tree& expression) {
  std::string found;
  for_each_node(expression, "FuncCall", [&](const Tree& call) {
    if (!found.empty()) return;
    std::vector<std::string> name;
    for (const Tree& part : list(call, "funcname")) name.push_back(string_value(part));
    if (is_volatile_function(name)) {
      for (const std::string& part : name) found += (found.empty() ? "" : ".") + part;
    }
  });
  return found;
}

bool is_serial(const std::string& type) {
  return type == "serial" || type == "bigserial" || type == "smallserial" || type == "serial2" ||
         type == "serial4" || type == "serial8";
}

// CHECK (col IS NOT NULL) on one plain column: that column, else "".
std::string not_null_check_column(const Tree& constraint) {
  if (text(constraint, "contype") != "CONSTR_CHECK") return "";
  const Tree test = unwrap(field(constraint, "raw_expr"), "NullTest");
  if (text(test, "nulltesttype") != "IS_NOT_NULL") return "";
  const std::vector<Tree> fields = list(unwrap(field(test, "arg"), "ColumnRef"), "fields");
  return fields.size() == 1 ? string_value(fields.front()) : "";
}

// The name PostgreSQL gives a constraint: as written, or <table>_<column>_check.
std::string constraint_name(const Tree& constraint, const std::string& relname, const std::string& column) {
  const std::string name = text(constraint, "conname");
  if (!name.empty() || column.empty()) return name;
  return relname + "_" + column + "_check";
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
        emit("adding-field-with-default", at,
             "DEFAULT " + call + "() is volatile (or not a built-in): adding " + name + " rewrites the table");
      }
    } else if (type == "CONSTR_GENERATED") {
      emit("adding-field-with-default", at, "stored generated column " + name + " rewrites the table");
    } else if (type == "CONSTR_IDENTITY") {
      emit("adding-field-with-default", at, "identity column " + name + " fills every row: the table is rewritten");
    } else {
      check_constraint(c, table, at, emit);
    }
  }
}

void check_set_not_null(const Tree& cmd, const std::string& table, const std::string& qualified,
                        const StatementView& s, const FileState& state, const Emit& emit) {
  const std::string column = text(cmd, "name");
  if (state.set->validated_not_null.count(qualified + "." + column)) return;  // PostgreSQL 12+ skips the scan
  if (state.set->validated_unknown_checks.count(qualified)) return;
  emit("adding-not-nullable-field", s.offset,
       "SET NOT NULL on " + table + "." + column + " scans the table under ACCESS EXCLUSIVE");
}

void check_validate(const Tree& cmd, const std::string& table, const std::string& qualified, const StatementView& s,
                    const FileState& state, const Emit& emit) {
  const std::string name = text(cmd, "name");
  if (state.in_transaction() && state.not_valid_added.count(qualified + "/" + name)) {
    emit("constraint-missing-not-valid", s.offset,
         "VALIDATE CONSTRAINT " + name + " in the transaction that added it NOT VALID keeps the ADD's lock on " +
             table + " through the whole scan: validate in a later migration");
  }
}

void check_alter_command(const Tree& cmd, const std::string& table, const std::string& qualified,
                         const StatementView& s, const FileState& state, const Emit& emit) {
  const std::string subtype = text(cmd, "subtype");
  const Tree& def = field(cmd, "def");
  if (subtype == "AT_AddColumn") {
    check_added_column(unwrap(def, "ColumnDef"), table, s.offset, emit);
  } else if (subtype == "AT_AddConstraint") {
    const Tree& c = unwrap(def, "Constraint");
    check_constraint(c, table, s.offset + location_of(c), emit);
  } else if (subtype == "AT_SetNotNull") {
    check_set_not_null(cmd, table, qualified, s, state, emit);
  } else if (subtype == "AT_ValidateConstraint") {
    check_validate(cmd, table, qualified, s, state, emit);
  } else if (subtype == "AT_AlterColumnType") {
    emit("changing-column-type", s.offset,
         "changing the type of " + table + "." + text(cmd, "name") + " may rewrite the table and its indexes");
  } else if (subtype == "AT_DetachPartition" && !flag(unwrap(def, "PartitionCmd"), "concurrent")) {
    emit("require-concurrent-partition-detach", s.offset, "DETACH PARTITION on " + table + " takes ACCESS EXCLUSIVE");
  }
}

void check_alter_table(const StatementView& s, FileState& state, const Emit& emit) {
  const Tree relation = field(s.body, "relation");
  const std::string table = relation_name(relation);
  const std::string qualified = state.qualify(relation);
  if (state.is_new(qualified)) return;
  if (++state.alter_count[qualified] == 2) {
    emit("multiple-alter-table", s.offset, "another ALTER TABLE " + table + " in this file takes its lock again");
  }
  for (const Tree& wrapped : list(s.body, "cmds")) {
    check_alter_command(unwrap(wrapped, "AlterTableCmd"), table, qualified, s, state, emit);
  }
}

void check_index(const StatementView& s, const FileState& state, const Emit& emit) {
  const Tree relation = field(s.body, "relation");
  const bool concurrent = flag(s.body, "concurrent");
  if (concurrent && state.in_transaction()) {
    emit("ban-concurrent-index-creation-in-transaction", s.offset,
         std::string("CREATE INDEX CONCURRENTLY cannot run inside a transaction") +
             (state.transactional ? "" : " (this one is inside a BEGIN block)"));
  } else if (!concurrent && !state.is_new(state.qualify(relation))) {
    emit("require-concurrent-index-creation", s.offset,
         "CREATE INDEX on " + relation_name(relation) + " blocks writes while it builds");
  }
}

void check_drop_index(const StatementView& s, const FileState& state, const Emit& emit) {
  if (text(s.body, "removeType") != "OBJECT_INDEX") return;
  const bool concurrent = flag(s.body, "concurrent");
  if (concurrent && state.in_transaction()) {
    emit("ban-concurrent-index-creation-in-transaction", s.offset,
         std::string("DROP INDEX CONCURRENTLY cannot run inside a transaction") +
             (state.transactional ? "" : " (this one is inside a BEGIN block)"));
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

void check_reindex(const StatementView& s, const Emit& emit) {
  const std::string kind = text(s.body, "kind");
  // REINDEX SYSTEM has no concurrent form: there is nothing better to advise.
  if (kind == "REINDEX_OBJECT_SYSTEM" || option_enabled(list(s.body, "params"), "concurrently")) return;
  emit("require-concurrent-reindex", s.offset, "REINDEX without CONCURRENTLY blocks writes (and reads that use the index)");
}

std::string first_vacuum_relation(const Tree& body) {
  const std::vector<Tree> rels = list(body, "rels");
  return rels.empty() ? "" : relation_name(field(unwrap(rels.front(), "VacuumRelation"), "relation"));
}

void check_unbounded(const StatementView& s, const FileState& state, const Emit& emit) {
  const Tree relation = field(s.body, "relation");
  if (state.backfill || !field(s.body, "whereClause").empty() || state.is_new(state.qualify(relation))) return;
  emit("unbounded-update", s.offset,
       std::string(s.type == "UpdateStmt" ? "UPDATE" : "DELETE") + " of every row in " + relation_name(relation) +
           " in one transaction: stalls the application's writes to it for the whole run; use -- mig:backfill");
}

void check_domain(const StatementView& s, const Emit& emit) {
  if (s.type == "AlterDomainStmt" && text(s.body, "subtype") == "C") {
    emit("ban-alter-domain-with-add-constraint", s.offset,
         "ALTER DOMAIN ... ADD CONSTRAINT checks every column that uses the domain, in every table, under lock");
    return;
  }
  for (const Tree& wrapped : list(s.body, "constraints")) {
    const std::string type = text(unwrap(wrapped, "Constraint"), "contype");
    if (type == "CONSTR_NULL") continue;
    emit("ban-create-domain-with-constraint", s.offset,
         "a domain with a constraint: changing that constraint later scans every column that uses the domain");
    return;
  }
}

// Does this statement take ACCESS EXCLUSIVE on an existing table? Returns its
// qualified name and the name as written.
std::pair<std::string, std::string> access_exclusive_target(const StatementView& s, const FileState& state) {
  static const std::set<std::string> weaker = {
      "AT_ValidateConstraint", "AT_SetStatistics", "AT_SetOptions",    "AT_ResetOptions",  "AT_ClusterOn",
      "AT_DropCluster",        "AT_SetRelOptions", "AT_ResetRelOptions", "AT_AttachPartition", "AT_ReplicaIdentity"};
  Tree relation;
  if (s.type == "AlterTableStmt") {
    bool exclusive = false;
    for (const Tree& wrapped : list(s.body, "cmds")) {
      const Tree& cmd = unwrap(wrapped, "AlterTableCmd");
      const std::string subtype = text(cmd, "subtype");
      const bool foreign_key = text(unwrap(field(cmd, "def"), "Constraint"), "contype") == "CONSTR_FOREIGN";
      const bool concurrent_detach = subtype == "AT_DetachPartition" && flag(unwrap(field(cmd, "def"), "PartitionCmd"), "concurrent");
      exclusive = exclusive || (!weaker.count(subtype) && !foreign_key && !concurrent_detach);
    }
    if (exclusive) relation = field(s.body, "relation");
  } else if (s.type == "RenameStmt" || s.type == "ClusterStmt") {
    relation = field(s.body, "relation");
  } else if (s.type == "TruncateStmt") {
    const std::vector<Tree> relations = list(s.body, "relations");
    if (!relations.empty()) relation = unwrap(relations.front(), "RangeVar");
  } else if (s.type == "LockStmt" && integer(s.body, "mode") == 8 && !list(s.body, "relations").empty()) {
    relation = unwrap(list(s.body, "relations").front(), "RangeVar");
  }
  if (relation.empty()) return {};
  const std::string qualified = state.qualify(relation);
  if (state.is_new(qualified) || state.dropped_tables.count(qualified)) return {};
  return {qualified, relation_name(relation)};
}

std::vector<std::string> dropped_table_names(const StatementView& s, const FileState& state) {
  std::vector<std::string> names;
  if (s.type != "DropStmt" || text(s.body, "removeType") != "OBJECT_TABLE") return names;
  for (const Tree& object : list(s.body, "objects")) names.push_back(state.qualify_list(unwrap(object, "List")));
  return names;
}

void note_constraints(const StatementView& s, FileState& state) {
  if (s.type != "AlterTableStmt") return;
  const Tree relation = field(s.body, "relation");
  const std::string qualified = state.qualify(relation);
  for (const Tree& wrapped : list(s.body, "cmds")) {
    const Tree& cmd = unwrap(wrapped, "AlterTableCmd");
    const std::string subtype = text(cmd, "subtype");
    if (subtype == "AT_AddConstraint") {
      const Tree& c = unwrap(field(cmd, "def"), "Constraint");
      const std::string column = not_null_check_column(c);
      const std::string name = constraint_name(c, text(relation, "relname"), column);
      const bool not_valid = flag(c, "skip_validation");
      if (not_valid && !name.empty()) state.not_valid_added.insert(qualified + "/" + name);
      // The DROP CONSTRAINT IF EXISTS before it makes one ADD robust, not the next one.
      state.dropped_constraints_if_exists.erase(qualified + "/" + text(c, "conname"));
      if (!column.empty() && !state.down_file) {
        state.set->not_null_checks[qualified + "/" + name] = column;
        if (!not_valid) state.set->validated_not_null.insert(qualified + "." + column);
      }
    } else if (subtype == "AT_ValidateConstraint" && !state.down_file) {
      const auto check = state.set->not_null_checks.find(qualified + "/" + text(cmd, "name"));
      if (check != state.set->not_null_checks.end()) {
        state.set->validated_not_null.insert(qualified + "." + check->second);
      } else {
        // A constraint added where mig-lint cannot see (an older migration
        // outside the linted files) may be the CHECK (col IS NOT NULL) of the
        // recipe: a SET NOT NULL on this table after it is accepted, as squawk does.
        state.set->validated_unknown_checks.insert(qualified);
      }
    } else if (subtype == "AT_DropConstraint" && flag(cmd, "missing_ok")) {
      state.dropped_constraints_if_exists.insert(qualified + "/" + text(cmd, "name"));
    }
  }
}

void note_transaction_control(const StatementView& s, FileState& state) {
  const std::string kind = text(s.body, "kind");
  if (kind == "TRANS_STMT_BEGIN" || kind == "TRANS_STMT_START") {
    if (!state.in_block) state.block_offset = s.offset;
    state.in_block = true;
  } else if (kind == "TRANS_STMT_COMMIT" || kind == "TRANS_STMT_ROLLBACK") {
    state.in_block = false;
    state.transaction_ended = true;
  }
}

}  // namespace

bool option_enabled(const std::vector<Tree>& options, const std::string& option) {
  for (const Tree& wrapped : options) {
    const Tree& o = unwrap(wrapped, "DefElem");
    if (text(o, "defname") != option) continue;
    const Tree arg = field(o, "arg");
    if (!arg.present()) return true;
    const Tree number = unwrap(arg, "Integer");
    if (number.present()) return integer(number, "ival") != 0;
    const std::string value = string_value(arg);
    return !(value == "false" || value == "off" || value == "0" || value == "no");
  }
  return false;
}

void check_locks_and_rewrites(const StatementView& s, FileState& state, const Emit& emit) {
  if (s.type == "AlterTableStmt") {
    check_alter_table(s, state, emit);
  } else if (s.type == "IndexStmt") {
    check_index(s, state, emit);
  } else if (s.type == "DropStmt") {
    check_drop_index(s, state, emit);
  } else if (s.type == "ReindexStmt") {
    check_reindex(s, emit);
  } else if (s.type == "VacuumStmt") {
    if (option_enabled(list(s.body, "options"), "full")) {
      const std::string table = first_vacuum_relation(s.body);
      emit("ban-vacuum-full", s.offset,
           "VACUUM FULL rewrites " + (table.empty() ? "every table" : table) + " under ACCESS EXCLUSIVE");
    }
  } else if (s.type == "ClusterStmt") {
    const Tree relation = field(s.body, "relation");
    if (!state.is_new(state.qualify(relation))) {
      emit("ban-cluster", s.offset,
           "CLUSTER rewrites " + (relation.empty() ? std::string("every clustered table") : relation_name(relation)) +
               " under ACCESS EXCLUSIVE");
    }
  } else if (s.type == "AlterDomainStmt" || s.type == "CreateDomainStmt") {
    check_domain(s, emit);
  } else if (s.type == "UpdateStmt" || s.type == "DeleteStmt") {
    check_unbounded(s, state, emit);
  }
}

void note_effects(const StatementView& s, FileState& state) {
  state.transaction_ended = false;
  if (s.type == "CreateStmt") {
    state.created_tables.insert(state.qualify(field(s.body, "relation")));
  } else if (s.type == "CreateTableAsStmt") {
    state.created_tables.insert(state.qualify(field(unwrap(s.body, "into"), "rel")));
  } else if (s.type == "IndexStmt" && !text(s.body, "idxname").empty()) {
    state.created_indexes.insert(text(s.body, "idxname"));
  } else if (s.type == "TransactionStmt" && !state.transactional) {
    note_transaction_control(s, state);
  }
  note_constraints(s, state);
  for (const std::string& table : dropped_table_names(s, state)) {
    state.dropped_tables.insert(table);
    state.exclusive_tables.erase(table);
  }
  if (state.in_transaction()) {
    const auto [qualified, written] = access_exclusive_target(s, state);
    if (!qualified.empty()) {
      if (state.exclusive_tables.empty()) {
        state.exclusive_first = written;
        state.exclusive_offset = s.offset;
      }
      state.exclusive_tables.insert(qualified);
    }
  } else if (s.type != "TransactionStmt") {
    state.transaction_ended = true;  // a statement of a no-transaction file is its own transaction
  }
}

std::string FileState::qualify(const Tree& range_var) const {
  const std::string schema = text(range_var, "schemaname");
  return (schema.empty() ? default_schema : schema) + "." + text(range_var, "relname");
}

std::string FileState::qualify_list(const Tree& name_list) const {
  const std::vector<Tree> items = list(name_list, "items");
  if (items.empty()) return "";
  const std::string name = string_value(items.back());
  return (items.size() >= 2 ? string_value(items[items.size() - 2]) : default_schema) + "." + name;
}

void FileState::end_transaction() {
  exclusive_tables.clear();
  exclusive_first.clear();
  not_valid_added.clear();
  transaction_ended = false;
}

}  // namespace mig::lint
