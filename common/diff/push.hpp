// mig-diff --push: the plan applied straight to the DSN's database (a
// development workflow). The migration lock is taken before planning, so a
// second push that waited for the first plans against what the first left.
#pragma once
#include <set>
#include <string>
#include <vector>

#include "diff/migration_files.hpp"
#include "diff/session.hpp"

namespace mig::diff {

struct PushRequest {
  std::set<std::string> allowed_hazards;  // --allow-hazards
  bool force = false;                     // --force: every statement, data loss included
};

struct PushOutcome {
  DiffOutcome diff;
  // "rule: statement" for each data-loss statement that was not allowed; nothing ran.
  std::vector<std::string> refused;
  bool pushed = false;
  int attempts = 0;  // runs of the plan (lock conflicts retried as mig-apply does)
};

// Statements of `statements` that lose data and were not allowed.
std::vector<std::string> refused_hazards(const std::vector<PlannedStatement>& statements, const PushRequest& request);

// Under the migration lock: plans against the database, and when the plan
// converged and no hazard is refused, runs it with ctx.timeouts (lock
// conflicts retried, then exit 6).
PushOutcome push(MigratorContext& ctx, const DiffOptions& options, const std::vector<SchemaFile>& schema,
                 const PushRequest& request);

}  // namespace mig::diff
