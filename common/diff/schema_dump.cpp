#include "diff/schema_dump.hpp"

#include "base/errors.hpp"
#include "diff/migration_files.hpp"
#include "diff/plan.hpp"
#include "text/sql.hpp"

namespace mig::diff {

SchemaDump schema_dump(const catalog::Catalog& schema, const std::string& title, bool as_migration) {
  if (!schema.unsupported.empty()) {
    std::string list;
    for (const auto& u : schema.unsupported) list += "\n  " + u;
    throw invalid_input("unsupported_objects",
                        "the dump cannot write these objects, so it would not load back; nothing was written:" + list);
  }
  const Plan plan = plan_changes(catalog::Catalog{}, schema, PlanOptions{false});
  // One transaction, as a migration runs: psql -f loads all of it or nothing (and SET LOCAL holds).
  std::vector<Step> steps;
  if (!as_migration) steps.push_back({"BEGIN"});
  steps.insert(steps.end(), plan.before.begin(), plan.before.end());  // empty: planned offline, from nothing
  steps.insert(steps.end(), plan.transactional.begin(), plan.transactional.end());
  if (as_migration) {
    // As mig-diff --write does: names in public unqualified, so the file runs in the
    // schema its search_path names (mig-fleet over a schema per tenant).
    for (Step& step : steps) step.sql = without_schema_qualifier(step.sql, "public");
  }
  if (!as_migration) steps.push_back({"COMMIT"});
  const std::string sql =
      migration_text(title + " (" + std::to_string(schema.objects.size()) + " objects)", steps, false);
  return {sql, schema.objects.size(), plan.transactional.size()};
}

}  // namespace mig::diff
