// From one schema to another: the DDL that turns `from` into `to`, in an order
// PostgreSQL accepts (drops in reverse dependency order, then alters and
// creates in dependency order), with online strategies where a table already
// exists: CREATE INDEX CONCURRENTLY, constraints added NOT VALID and
// validated later, SET NOT NULL through a validated CHECK.
#pragma once
#include <string>
#include <vector>

namespace mig::catalog {
struct Catalog;
}

namespace mig::diff {

struct Step {
  std::string sql;           // one statement, without the closing ';'
  bool transactional = true;  // false: must run outside a transaction block (or in its own, after the rest)
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
  bool empty() const { return transactional.empty() && separate.empty(); }
};

Plan plan_changes(const catalog::Catalog& from, const catalog::Catalog& to, const PlanOptions& options = {});

}  // namespace mig::diff
