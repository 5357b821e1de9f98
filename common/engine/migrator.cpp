#include "engine/migrator.hpp"

#include "engine/backfill_statement.hpp"

#include <nlohmann/json.hpp>

#include "pg/db.hpp"
#include "engine/directives.hpp"
#include "base/errors.hpp"
#include "pg/lock.hpp"
#include "base/log.hpp"
#include "engine/migration_runner.hpp"
#include "engine/migration_set.hpp"
#include "engine/statement_units.hpp"
#include "text/source_text.hpp"
#include "text/sql.hpp"
#include "engine/status.hpp"
#include "engine/migration_choice.hpp"

namespace mig {
namespace {

MigrationStatus read_status(History& history, const MigrationSet& set) {
  return compare_with_history(set, history.read_all());
}

void take_lock(MigratorContext& ctx, MigrationLock& lock) {
  lock.acquire(ctx.timeouts.lock_wait, [&](const LockHolder& holder) {
    log::info("waiting up to ", format_duration(ctx.timeouts.lock_wait), " for the migration lock held by ",
              holder.describe());
    if (ctx.events) ctx.events("lock_wait", {{"holder_pid", holder.pid}, {"holder", holder.describe()}});
  });
  log::debug("migration lock taken");
}

// `chosen` is what this run applies; with --steps or --to it may be the first
// part of the plan, which is then applied step for step as far as it goes.
void require_plan_matches(const std::vector<const Migration*>& chosen, const std::vector<PlannedMigration>& plan,
                          const ApplyOptions& options) {
  const bool limited = options.steps || options.to_version;
  std::string why;
  if (limited && chosen.size() > plan.size()) {
    why = "--" + std::string(options.steps ? "steps" : "to") + " selects " + std::to_string(chosen.size()) +
          " migration(s), the plan holds only " + std::to_string(plan.size());
  } else if (!limited && chosen.size() != plan.size()) {
    why = "the plan has " + std::to_string(plan.size()) + " migration(s), the database has " +
          std::to_string(chosen.size()) + " pending";
  }
  for (std::size_t i = 0; why.empty() && i < chosen.size(); ++i) {
    if (chosen[i]->version != plan[i].version) {
      why = "plan step " + std::to_string(i + 1) + " is " + plan[i].version + ", pending is " + chosen[i]->version;
    } else if (chosen[i]->up.checksum != plan[i].checksum) {
      why = "migration " + plan[i].version + " changed since the plan was made";
    }
  }
  if (!why.empty()) throw invalid_input("plan_mismatch", "refusing the plan: " + why + "; nothing was applied");
}

// Repeatable rows' batches count: a run that only re-applied views still took a number.
long long next_batch(const History& history, const MigrationStatus& status) {
  std::vector<HistoryRow> rows = status.repeatable_rows;
  rows.insert(rows.end(), status.history.begin(), status.history.end());
  return history.next_batch(rows);
}

// What a run applies, in order: the chosen versions, then the repeatables due.
std::vector<const Migration*> with_repeatables(const MigrationStatus& status, std::vector<const Migration*> chosen) {
  const auto repeatables = repeatables_after(status, chosen);
  chosen.insert(chosen.end(), repeatables.begin(), repeatables.end());
  return chosen;
}

const Migration& file_for(const MigrationSet& set, const std::string& version) {
  for (const Migration& m : set.migrations) {
    if (m.version == version) return m;
  }
  throw invalid_input("missing_migration", "no file for migration " + version);
}

}  // namespace

void require_no_transaction_control(const MigrationFile& file) { require_no_transaction_control(file, scan_sql(file.text)); }

void require_no_transaction_control(const MigrationFile& file, const ScanOutcome& scanned) {
  for (const SqlStatement& s : scanned.sql.statements) {
    if (!is_transaction_control(file.text.substr(s.begin, s.end - s.begin))) continue;
    const LineColumn at = line_column_at(file.text, s.begin);
    throw invalid_input("transaction_control",
                        file.path + ":" + std::to_string(at.line) +
                            ": transaction control (BEGIN/COMMIT/ROLLBACK/SAVEPOINT) in a transactional migration; "
                            "mig wraps each migration in its own transaction (use -- mig:no-transaction to manage "
                            "it yourself); nothing was applied")
        .with_position({file.path, at.line, at.column});
  }
}

namespace {

void require_statements(const MigrationFile& file, const ScanOutcome& scanned) {
  if (scanned.error || !scanned.sql.statements.empty()) return;
  throw invalid_input("empty_migration", file.path + ": the migration has no statement (only blanks or comments); "
                                                     "write the SQL or delete the file; nothing was applied")
      .with_position({file.path, 1, std::nullopt});
}

MigrationStep step_for(const Migration& m, const MigrationFile& file, bool down) {
  const ScanOutcome scanned = scan_sql(file.text);  // once: directives, emptiness, transaction control, units
  MigrationStep step{&m, &file, read_directives(file, scanned.sql), down, {}, false, {}};
  if (m.repeatable) require_fits_repeatable(file, step.directives);
  if (!down) require_statements(file, scanned);
  if (step.directives.backfill) {
    read_backfill_statement(file);  // its shape is refused now, before anything of the batch runs
  } else if (step.directives.no_transaction) {
    step.units = statement_units(file, scanned);
  } else {
    require_no_transaction_control(file, scanned);
  }
  return step;
}

// A checkpoint runs on an empty database (recording the files before it) and
// is only recorded on one that has them.
std::vector<MigrationStep> up_steps(const MigrationSet& set, const MigrationStatus& status,
                                    const std::vector<const Migration*>& chosen) {
  std::vector<MigrationStep> steps;
  for (const Migration* m : chosen) {
    steps.push_back(step_for(*m, m->up, false));
    if (!m->checkpoint) continue;
    if (starts_from(status, chosen, *m)) {
      steps.back().covers = covered_by(set, *m);
    } else {
      steps.back().record_only = true;
    }
  }
  for (const Migration* m : repeatables_after(status, chosen)) steps.push_back(step_for(*m, m->up, false));
  return steps;
}

std::vector<MigrationStep> down_steps(const MigrationSet& set, const std::vector<HistoryRow>& rows) {
  std::vector<MigrationStep> steps;
  for (const HistoryRow& r : rows) {
    const Migration& m = file_for(set, r.version);
    if (m.checkpoint) {
      throw invalid_input("missing_down", "migration " + m.version + "_" + m.name +
                                              " is a checkpoint: reverting it would drop the whole schema; revert "
                                              "what came after it (--to " + m.version + "); nothing was reverted");
    }
    if (!m.down) {
      throw invalid_input("missing_down", "migration " + m.version + "_" + m.name +
                                              " has no .down.sql; nothing was reverted");
    }
    steps.push_back(step_for(m, *m.down, true));
  }
  return steps;
}

void require_transactional(const std::vector<MigrationStep>& steps) {
  for (const MigrationStep& s : steps) {
    if (s.directives.no_transaction || s.directives.backfill) {
      throw invalid_input("single_transaction_refused",
                          s.file->path + " is marked -- mig:" + (s.directives.backfill ? "backfill" : "no-transaction") +
                              " and cannot run inside --single-transaction; nothing was applied");
    }
  }
}

void announce(MigratorContext& ctx, const char* event, const MigrationStep& step,
              const MigrationOutcome* outcome = nullptr) {
  if (!ctx.events) return;
  nlohmann::json fields = {{"version", step.migration->version}, {"name", step.migration->name},
                           {"direction", step.down ? "down" : "up"}};
  if (outcome) {
    fields["duration_ms"] = outcome->duration_ms;
    fields["attempts"] = outcome->attempts;
    fields["transactional"] = outcome->transactional;
  }
  ctx.events(event, fields);
}

std::vector<MigrationOutcome> run_steps(MigratorContext& ctx, MigrationRunner& runner,
                                        const std::vector<MigrationStep>& steps, bool single_transaction) {
  if (steps.empty()) return {};
  if (single_transaction) {
    require_transactional(steps);
    log::info("running ", steps.size(), " migration(s) in one transaction");
    return runner.run_atomically(steps);
  }
  std::vector<MigrationOutcome> outcomes;
  for (const MigrationStep& step : steps) {
    log::at(ctx.announce ? log::Level::info : log::Level::debug, step.down ? "reverting " : "applying ",
            step.migration->label(), step.directives.no_transaction ? " (no transaction)" : "");
    announce(ctx, "migration_started", step);
    outcomes.push_back(runner.run(step));
    announce(ctx, step.down ? "migration_reverted" : "migration_applied", step, &outcomes.back());
  }
  return outcomes;
}

bool nothing_to_do(const MigrationStatus& status, const ApplyOptions& options) {
  if (options.plan && !options.plan->empty()) return false;
  return options.down ? status.applied.empty() : status.pending.empty() && status.repeatables_due.empty();
}

}  // namespace

ApplyResult migrate(MigratorContext& ctx, const MigrationSet& set, const ApplyOptions& options) {
  ApplyResult result;
  result.direction = options.down ? "down" : "up";
  History history(ctx.db, ctx.table);

  // 1. Validate against the history as it is, before any lock or DDL.
  MigrationStatus status = read_status(history, set);
  require_consistent(status);
  if (nothing_to_do(status, options) && status.failed.empty()) return result;

  // 2. One applier at a time; the history may have moved while we waited.
  MigrationLock lock(ctx.db, ctx.table, ctx.session_pooler);
  take_lock(ctx, lock);
  history.create();
  status = read_status(history, set);
  require_consistent(status);

  // 3. Decide exactly what runs, and read every directive before running any of it.
  std::vector<MigrationStep> steps;
  if (options.down) {
    const std::vector<HistoryRow> reverts = select_reverts(status, options);
    steps = down_steps(set, reverts);
    result.batch = reverts.empty() ? 0 : reverts.front().batch;
  } else {
    const auto pending = select_pending(status, options);
    if (options.plan) require_plan_matches(with_repeatables(status, pending), *options.plan, options);
    steps = up_steps(set, status, pending);
    result.batch = steps.empty() ? 0 : next_batch(history, status);
  }

  // 4. Run.
  if (ctx.events && !steps.empty()) ctx.events("batch_started", {{"batch", result.batch}, {"migrations", steps.size()}});
  MigrationRunner runner(ctx, history, result.batch, options.backup_id);
  result.migrations = run_steps(ctx, runner, steps, options.single_transaction);

  // 5. Let the next applier in.
  lock.release();
  return result;
}

ApplyResult baseline(MigratorContext& ctx, const MigrationSet& set, const std::string& version) {
  History history(ctx.db, ctx.table);
  MigrationLock lock(ctx.db, ctx.table, ctx.session_pooler);
  take_lock(ctx, lock);
  history.create();
  const auto rows = history.read();
  if (!rows.empty()) {
    throw invalid_input("baseline_refused", "the history table already has " + std::to_string(rows.size()) +
                                                " row(s); --baseline adopts a database with no history");
  }
  ApplyResult result{"baseline", 1, {}};
  for (const Migration& m : set.migrations) {
    if (compare_versions(m.version, version) > 0) break;
    history.record_baseline(m.record(), result.batch);
    result.migrations.push_back({m.version, m.name, 0, 1, true, "", {}});
  }
  lock.release();
  return result;
}

nlohmann::json repair(MigratorContext& ctx, const MigrationSet& set, const std::string& version, bool forget) {
  History history(ctx.db, ctx.table);
  MigrationLock lock(ctx.db, ctx.table, ctx.session_pooler);
  take_lock(ctx, lock);
  const auto rows = history.read();
  auto row = std::find_if(rows.begin(), rows.end(), [&](const HistoryRow& r) { return r.version == version; });
  if (row == rows.end()) throw invalid_input("not_recorded", "migration " + version + " is not in the history");
  std::string action;
  if (forget) {
    history.forget(version);
    action = "forgotten";
  } else {
    const Migration& m = file_for(set, version);
    history.repair_as_applied(m.record());
    action = "marked_applied";
  }
  lock.release();
  log::info("migration ", version, ": ", action, " (was ", row->status, ")");
  return {{"version", version}, {"name", row->name}, {"action", action}, {"previous_status", row->status}};
}

}  // namespace mig
