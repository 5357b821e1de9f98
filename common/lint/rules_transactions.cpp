// Transactions: control statements, explicit blocks in no-transaction files,
// and statements PostgreSQL refuses inside a transaction block.
#include "lint/statement_rules.hpp"

namespace mig::lint {
namespace {

// What about this statement PostgreSQL refuses inside a transaction block, or
// "" when it may run there. (CREATE/DROP INDEX CONCURRENTLY have a rule of their own.)
std::string non_transactional_form(const StatementView& s) {
  if (s.type == "VacuumStmt" && flag(s.body, "is_vacuumcmd")) return "VACUUM";
  if (s.type == "ReindexStmt") {
    const std::string kind = text(s.body, "kind");
    if (kind == "REINDEX_OBJECT_SYSTEM") return "REINDEX SYSTEM";
    if (kind == "REINDEX_OBJECT_DATABASE") return "REINDEX DATABASE";
    if (option_enabled(list(s.body, "params"), "concurrently")) return "REINDEX ... CONCURRENTLY";
  }
  if (s.type == "AlterTableStmt") {
    for (const Tree& wrapped : list(s.body, "cmds")) {
      const Tree& cmd = unwrap(wrapped, "AlterTableCmd");
      if (text(cmd, "subtype") == "AT_DetachPartition" && flag(unwrap(field(cmd, "def"), "PartitionCmd"), "concurrent")) {
        return "ALTER TABLE ... DETACH PARTITION ... CONCURRENTLY";
      }
    }
  }
  if (s.type == "ClusterStmt" && field(s.body, "relation").empty()) return "CLUSTER without a table";
  if (s.type == "CreatedbStmt") return "CREATE DATABASE";
  if (s.type == "DropdbStmt") return "DROP DATABASE";
  if (s.type == "AlterSystemStmt") return "ALTER SYSTEM";
  if (s.type == "CreateTableSpaceStmt") return "CREATE TABLESPACE";
  if (s.type == "DropTableSpaceStmt") return "DROP TABLESPACE";
  return "";
}

}  // namespace

void check_transaction_use(const StatementView& s, const FileState& state, const Emit& emit) {
  if (s.type == "TransactionStmt") {
    const std::string kind = text(s.body, "kind");
    const bool opens = kind == "TRANS_STMT_BEGIN" || kind == "TRANS_STMT_START";
    if (state.transactional) {
      emit("transaction-nesting", s.offset, "transaction control inside a migration that mig already runs in a transaction");
    } else if (opens && state.in_block) {
      emit("transaction-nesting", s.offset, "BEGIN inside a BEGIN block: PostgreSQL has no nested transactions");
    } else if (!state.in_block && (kind == "TRANS_STMT_COMMIT" || kind == "TRANS_STMT_ROLLBACK")) {
      emit("transaction-nesting", s.offset,
           std::string(kind == "TRANS_STMT_COMMIT" ? "COMMIT" : "ROLLBACK") +
               " without a BEGIN: there is no transaction block to end, so the statements it was meant to group ran one by one");
    }
    return;
  }
  if (!state.in_transaction()) return;
  const std::string form = non_transactional_form(s);
  if (form.empty()) return;
  emit("non-transactional-statement-in-transaction", s.offset,
       form + " cannot run inside a transaction block" +
           (state.transactional ? std::string(": put it in its own file with -- mig:no-transaction")
                                : std::string(": move it out of the BEGIN ... COMMIT block")));
}

void check_end_of_file(const FileState& state, const Emit& emit) {
  if (state.in_block) {
    emit("ban-uncommitted-transaction", state.block_offset,
         "BEGIN without COMMIT: the block's statements would be rolled back when mig disconnects");
  }
}

}  // namespace mig::lint
