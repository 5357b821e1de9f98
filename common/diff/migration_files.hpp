// What mig-diff hands on: the plan's statements with the mig-lint rules each
// trips, the migration files --write makes, and the SQL --dump prints.
#pragma once
#include <ctime>
#include <string>
#include <vector>

#include "diff/plan.hpp"

namespace mig::diff {

struct DiffOutcome;

struct PlannedStatement {
  std::string sql;
  bool transactional = true;
  std::vector<std::string> hazards;  // mig-lint rule ids, from the linter's own rules
};

// The statements of `plan` as the migration files hold them, each with its hazards.
std::vector<PlannedStatement> planned_statements(const Plan& plan);

// The down of the no-transaction (online) file as it is written: its steps run
// outside a transaction (Plan::separate), and an index drop is
// DROP INDEX CONCURRENTLY IF EXISTS. The replay proved the plain DROP INDEX in a
// transaction; outside one this is the same change without blocking the table,
// and a re-run after a partial failure finds nothing to drop.
Plan online_down(const Plan& down_separate);

// The text of a migration file holding `steps`.
std::string migration_text(const std::string& title, const std::vector<Step>& steps, bool no_transaction);

// Writes <version>_<name>.up.sql/.down.sql (the transactional part) and, when
// the plan has statements that must run outside a transaction,
// <version+1>_<name>_online.up.sql/.down.sql marked -- mig:no-transaction.
// Names in public are written unqualified (a schema per tenant runs them in its own).
// All files appear or none. Returns their paths.
std::vector<std::string> write_migrations(const std::string& dir, const std::string& name, const DiffOutcome& outcome,
                                          std::time_t now);

}  // namespace mig::diff
