#include "diff/push.hpp"

#include "pg/db.hpp"
#include "diff/migration_files.hpp"
#include "diff/validation.hpp"
#include "pg/lock.hpp"
#include "base/log.hpp"
#include "engine/migration_runner.hpp"

namespace mig::diff {
namespace {

// Rules whose statements lose data: --push refuses them unless allowed.
const std::set<std::string> kDataLoss = {"ban-drop-table", "ban-drop-column", "ban-drop-schema", "ban-drop-database",
                                         "ban-truncate",   "changing-column-type"};

}  // namespace

std::vector<std::string> refused_hazards(const std::vector<PlannedStatement>& statements, const PushRequest& request) {
  std::vector<std::string> refused;
  if (request.force) return refused;
  for (const auto& s : statements) {
    for (const std::string& h : s.hazards) {
      if (kDataLoss.count(h) && !request.allowed_hazards.count(h)) refused.push_back(h + ": " + s.sql);
    }
  }
  return refused;
}

PushOutcome push(MigratorContext& ctx, const DiffOptions& options, const std::vector<SchemaFile>& schema,
                 const PushRequest& request) {
  MigrationLock lock(ctx.db, ctx.table, ctx.session_pooler);
  lock.acquire(ctx.timeouts.lock_wait, [&](const LockHolder& holder) {
    log::info("waiting up to ", format_duration(ctx.timeouts.lock_wait), " for the migration lock held by ", holder.describe());
    if (ctx.events) ctx.events("lock_wait", {{"holder_pid", holder.pid}, {"holder", holder.describe()}});
  });
  PushOutcome out;
  out.diff = compute_diff(ctx.db, options, schema);
  if (!out.diff.different() || !out.diff.converged) return out;
  out.refused = refused_hazards(planned_statements(out.diff.up), request);
  if (!out.refused.empty()) return out;
  ctx.db.query(timeouts_sql(ctx.timeouts, Directives{}, false));
  // The transactional part is retried whole (it rolled back); each separate
  // statement on its own, since what ran before it has committed.
  for (const Step& step : out.diff.up.before) {  // enum values the rest uses: committed first
    out.attempts += with_lock_retries(ctx, "pushed statement " + step.sql, [&] { run_plan(ctx.db, {{step}, {}}); }) - 1;
  }
  out.attempts += with_lock_retries(ctx, "the pushed plan", [&] { run_plan(ctx.db, {out.diff.up.transactional, {}}); });
  for (const Step& step : out.diff.up.separate) {
    out.attempts += with_lock_retries(ctx, "pushed statement " + step.sql, [&] { run_plan(ctx.db, {{}, {step}}); }) - 1;
  }
  out.pushed = true;
  lock.release();
  return out;
}

}  // namespace mig::diff
