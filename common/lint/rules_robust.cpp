// prefer-robust-stmts: a no-transaction migration that fails half-way is
// run again from its first statement, so each statement outside a BEGIN block
// must succeed a second time: IF [NOT] EXISTS, or a DROP ... IF EXISTS first.
#include "lint/statement_rules.hpp"

namespace mig::lint {
namespace {

void robust(const StatementView& s, const std::string& what, const Emit& emit) {
  emit("prefer-robust-stmts", s.offset, what + " fails when a partly applied no-transaction migration is run again");
}

void check_alter_table(const StatementView& s, const FileState& state, const Emit& emit) {
  const std::string qualified = state.qualify(field(s.body, "relation"));
  for (const Tree& wrapped : list(s.body, "cmds")) {
    const Tree& cmd = unwrap(wrapped, "AlterTableCmd");
    const std::string subtype = text(cmd, "subtype");
    const bool guarded = flag(cmd, "missing_ok");
    if (subtype == "AT_AddColumn" && !guarded) robust(s, "ADD COLUMN without IF NOT EXISTS", emit);
    if (subtype == "AT_DropColumn" && !guarded) robust(s, "DROP COLUMN without IF EXISTS", emit);
    if (subtype == "AT_DropConstraint" && !guarded) robust(s, "DROP CONSTRAINT without IF EXISTS", emit);
    if (subtype == "AT_AddConstraint") {
      const std::string name = text(unwrap(field(cmd, "def"), "Constraint"), "conname");
      if (name.empty() || !state.dropped_constraints_if_exists.count(qualified + "/" + name)) {
        robust(s, "ADD CONSTRAINT without a DROP CONSTRAINT IF EXISTS before it", emit);
      }
    }
  }
}

void check_drop(const StatementView& s, const Emit& emit) {
  if (flag(s.body, "missing_ok")) return;
  const std::string kind = text(s.body, "removeType");
  if (kind == "OBJECT_TABLE") robust(s, "DROP TABLE without IF EXISTS", emit);
  if (kind == "OBJECT_TYPE") robust(s, "DROP TYPE without IF EXISTS", emit);
  if (kind == "OBJECT_INDEX") robust(s, "DROP INDEX without IF EXISTS", emit);
}

}  // namespace

void check_robustness(const StatementView& s, const FileState& state, const Emit& emit) {
  if (state.in_transaction()) return;
  if (s.type == "AlterTableStmt") {
    check_alter_table(s, state, emit);
  } else if (s.type == "DropStmt") {
    check_drop(s, emit);
  } else if (s.type == "CreateStmt" && !flag(s.body, "if_not_exists") && text(field(s.body, "relation"), "relpersistence") != "t") {
    // (a temporary table lives only as long as the session: a re-run makes it anew)
    robust(s, "CREATE TABLE without IF NOT EXISTS", emit);
  } else if (s.type == "IndexStmt" && !flag(s.body, "if_not_exists")) {
    robust(s, std::string(flag(s.body, "concurrent") ? "CREATE INDEX CONCURRENTLY" : "CREATE INDEX") +
                  " without IF NOT EXISTS",
           emit);
  }
}

}  // namespace mig::lint
