// From one schema to another: the DDL that turns `from` into `to`, in an order
// PostgreSQL accepts (drops in reverse dependency order, then alters and
// creates in dependency order), with online strategies where a table already
// exists: CREATE INDEX CONCURRENTLY, constraints added NOT VALID and
// validated later, SET NOT NULL through a validated CHECK.
#pragma once
#include <set>
#include <string>
#include <vector>

namespace mig::catalog {
struct Catalog;
}

namespace mig::diff {

struct Step {
  std::string sql;           // one statement, without the closing ';'
  bool transactional = true;  // false: must run outside a transaction block (or in its own, after the rest)
  // ALTER TYPE ... ADD VALUE: the type and the new label as a literal. A value
  // cannot be used in the transaction that adds it, so when the plan uses it
  // the step commits first (Plan::before).
  std::string enum_type = {};
  std::string enum_literal = {};
  // A step that cannot run inside a transaction block (CREATE INDEX
  // CONCURRENTLY): the same change as a statement that can (CREATE INDEX), for
  // a replay that runs the whole plan in one transaction and rolls it back.
  std::string in_transaction = {};
  // The statement a replay inside one transaction runs.
  const std::string& in_transaction_sql() const { return in_transaction.empty() ? sql : in_transaction; }
};

struct PlanOptions {
  // Online strategies on tables that exist before the plan runs. A down plan
  // runs in one transaction, so it is planned without them.
  bool online = true;
};

struct Plan {
  // Everything that can run in one transaction, in order...
  std::vector<Step> transactional;
  // ...then what must run after it, each statement in its own transaction.
  std::vector<Step> separate;
  // Before both, each committed on its own: enum values the rest of the plan
  // uses (only in an online plan; a down plan is one transaction).
  std::vector<Step> before = {};
  bool empty() const { return before.empty() && transactional.empty() && separate.empty(); }
};

// The enum types (as SQL names them) whose ADD VALUE steps add a value another
// step of the plan uses: PostgreSQL refuses that use before the value commits.
std::set<std::string> enums_using_new_values(const Plan& plan);

Plan plan_changes(const catalog::Catalog& from, const catalog::Catalog& to, const PlanOptions& options = {});

}  // namespace mig::diff
