#include "engine/migration_runner.hpp"

#include "engine/backfill.hpp"

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <thread>

#include "pg/blocker_watch.hpp"
#include "pg/db.hpp"
#include "base/errors.hpp"
#include "pg/history.hpp"
#include "base/interrupt.hpp"
#include "pg/invalid_indexes.hpp"
#include "base/log.hpp"
#include "engine/migration_script.hpp"
#include "engine/transaction_batch.hpp"
#include "text/source_text.hpp"
#include "text/sql.hpp"

namespace mig {
namespace {

using Clock = std::chrono::steady_clock;

long long elapsed_ms(Clock::time_point since) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - since).count();
}

Error migration_failure(const Error& cause, const std::string& what, const std::optional<SourcePosition>& at) {
  std::string where = at ? at->file + (at->line ? ":" + std::to_string(*at->line) : "") + ": " : "";
  Error error(ExitCode::migration_failed, "migration_failed",
              where + server_message_line(cause.what()) + " (" + what + " rolled back)");
  if (cause.sqlstate()) error.with_sqlstate(*cause.sqlstate());
  if (at) error.with_position(*at);
  return error;
}

// The connection broke mid-transaction: the server rolls it back (the history row with it).
Error rolled_back_by_server(const Error& cause, const std::string& what) {
  return Error(cause.code(), cause.kind(),
               std::string(cause.what()) + " while running " + what +
                   "; its transaction was not committed, so the server rolled it back (nothing of it is recorded)")
      .with_sqlstate(cause.sqlstate().value_or(""));
}

std::vector<long long> parse_durations(const Field& list) {
  std::vector<long long> out;
  std::stringstream in(list.value_or(""));
  for (std::string item; std::getline(in, item, ',');) {
    if (!item.empty()) out.push_back(std::stoll(item));
  }
  return out;
}

}  // namespace

// A migration still running after this is watched for blockers from a second
// connection: half the lock_timeout, and at most 500 ms so a deadlock (found
// after deadlock_timeout, 1 s by default) is seen too.

bool is_lock_conflict(const std::optional<std::string>& sqlstate) {
  return sqlstate == std::string("55P03") || sqlstate == std::string("40P01");
}

MigrationRunner::MigrationRunner(MigratorContext& ctx, History& history, long long batch,
                                 std::optional<std::string> backup_id)
    : ctx_(ctx), history_(history), batch_(batch), backup_id_(std::move(backup_id)) {}

std::string timeouts_sql(const Timeouts& timeouts, const Directives& d, bool local) {
  const Duration lock_timeout = d.lock_timeout.value_or(timeouts.lock_timeout);
  const Duration statement_timeout = d.statement_timeout.value_or(timeouts.statement_timeout.value_or(Duration(0)));
  const std::string set = local ? "SET LOCAL " : "SET ";
  return set + "lock_timeout = " + std::to_string(lock_timeout.count()) + ";" + set +
         "statement_timeout = " + std::to_string(statement_timeout.count());
}

std::string MigrationRunner::history_change_sql(const MigrationStep& step, const std::string& elapsed_sql) {
  if (step.down) return history_.forget_sql(step.migration->version);
  return history_.record_applied_sql(step.migration->record(), batch_, backup_id_, elapsed_sql);
}

namespace {

// From 1 s, doubling, at most 30 s, with full jitter: between attempts the
// readers queued behind the waiting statement drain (bench/lock_queue.sh).
void back_off(MigratorContext& ctx, int attempt, const std::string& what, const std::string& blockers) {
  const long long cap_ms = std::min<long long>(30'000, 1000LL << std::min(attempt - 1, 10));
  std::mt19937 rng(std::random_device{}());
  const long long sleep_ms = std::uniform_int_distribution<long long>(cap_ms / 2, cap_ms)(rng);
  log::warn(what, ": lock conflict (attempt ", attempt, " of ", ctx.timeouts.retries + 1, "), blocked by ",
            (blockers.empty() ? "a session that has gone since" : blockers), "; retrying in ", sleep_ms, " ms");
  if (ctx.events) {
    ctx.events("retrying", {{"what", what}, {"attempt", attempt}, {"blocked_by", blockers}, {"sleep_ms", sleep_ms}});
  }
  const auto until = Clock::now() + std::chrono::milliseconds(sleep_ms);
  while (Clock::now() < until) {
    throw_if_interrupted(what + " was waiting to retry (nothing of it is applied)");
    std::this_thread::sleep_for(std::min<Clock::duration>(std::chrono::milliseconds(50), until - Clock::now()));
  }
}

Duration watch_delay(const Timeouts& t) { return std::min(t.lock_timeout / 2, Duration(500)); }

}  // namespace

int with_lock_retries(MigratorContext& ctx, const std::string& what, const std::function<void()>& attempt_once) {
  for (int attempt = 1;; ++attempt) {
    throw_if_interrupted(what + " did not start");
    BlockerWatch watch(ctx.connect_again, ctx.db.backend_pid(), watch_delay(ctx.timeouts));
    try {
      attempt_once();
      return attempt;
    } catch (const Error& e) {
      if (!is_lock_conflict(e.sqlstate())) throw;
      if (attempt > ctx.timeouts.retries) {
        throw Error(ExitCode::lock_unavailable, "lock_timeout",
                    what + ": " + server_message_line(e.what()) + " after " + std::to_string(attempt) +
                        " attempts; blocked by " + (watch.last_seen().empty() ? "unknown" : watch.last_seen()) +
                        " (rolled back)")
            .with_sqlstate(*e.sqlstate());
      }
      back_off(ctx, attempt, what, watch.last_seen());
    }
  }
}

namespace {

std::string checkpoint_role(const MigrationStep& step) {
  if (!step.migration->checkpoint || step.down) return "";
  return step.record_only ? "recorded" : "ran";
}

}  // namespace

std::vector<MigrationOutcome> MigrationRunner::run_transaction_once(const std::vector<MigrationStep>& steps) {
  TransactionBatch batch;
  MigrationScript& script = batch.script();
  script.add_statement("SELECT set_config('mig.durations', '', false)");
  for (const MigrationStep& step : steps) {
    script.add_statement(timeouts_sql(ctx_.timeouts, step.directives, true));
    script.add_statement(kMarkStartSql);
    if (!step.record_only) script.add_file(*step.file);
    for (const Migration* covered : step.covers) {
      script.add_statement(history_.record_applied_sql(covered->record(), batch_, backup_id_, "0"));
    }
    script.add_statement(history_change_sql(step, kElapsedMsSql));
    script.add_statement(std::string("SELECT set_config('mig.durations', current_setting('mig.durations') || ") +
                         kElapsedMsSql + " || ',', false)");
  }

  const std::string what = steps.size() == 1 ? steps.front().migration->label()
                                             : "batch of " + std::to_string(steps.size()) + " migrations";
  const auto name = [&](const BatchFailure& f) {
    if (f.cause.code() == ExitCode::interrupted) {
      return Error(ExitCode::interrupted, "interrupted", std::string(f.cause.what()) + " (" + what + " rolled back)");
    }
    if (is_lock_conflict(f.cause.sqlstate())) return f.cause;  // retried by the caller
    std::optional<SourcePosition> at = f.at;
    if (!at && steps.size() == 1) at = SourcePosition{steps.front().file->path, std::nullopt, std::nullopt};
    return migration_failure(f.cause, what, at);
  };
  std::vector<long long> durations;
  try {
    durations = parse_durations(batch.commit(ctx_.db, name, "SELECT current_setting('mig.durations')").scalar());
  } catch (const Error& e) {
    if (e.code() == ExitCode::database_unreachable) throw rolled_back_by_server(e, what);
    throw;
  }
  std::vector<MigrationOutcome> outcomes;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    outcomes.push_back({steps[i].migration->version, steps[i].migration->name,
                        i < durations.size() ? durations[i] : 0, 1, true, checkpoint_role(steps[i]), {}});
    for (const Migration* covered : steps[i].covers) outcomes.back().covered.push_back(covered->version);
  }
  return outcomes;
}

std::vector<MigrationOutcome> MigrationRunner::run_atomically(const std::vector<MigrationStep>& steps) {
  const std::string what = steps.size() == 1 ? steps.front().migration->label()
                                             : "batch of " + std::to_string(steps.size()) + " migrations";
  std::vector<MigrationOutcome> outcomes;
  const int attempts = with_lock_retries(ctx_, what, [&] { outcomes = run_transaction_once(steps); });
  for (auto& o : outcomes) o.attempts = attempts;
  return outcomes;
}

MigrationOutcome MigrationRunner::run(const MigrationStep& step) {
  if (step.directives.backfill) return run_backfill(ctx_, history_, step, batch_, backup_id_);
  if (!step.directives.no_transaction) return run_atomically({step}).front();
  return run_statements(step);
}

// A failed CREATE INDEX CONCURRENTLY leaves an INVALID index behind; a retry would
// then fail with "already exists". Drop what this statement left, nothing else.
void MigrationRunner::drop_indexes_left_invalid(const StatementUnit& unit, const std::vector<std::string>& invalid_before) {
  for (const std::string& index : invalid_indexes_of(ctx_.db, *unit.concurrent_index_table)) {
    if (std::find(invalid_before.begin(), invalid_before.end(), index) != invalid_before.end()) continue;
    log::warn("dropping the INVALID index ", index, " the failed CREATE INDEX CONCURRENTLY left behind");
    const std::string drop = "DROP INDEX CONCURRENTLY IF EXISTS " + index;
    try {
      ctx_.db.query(drop);
    } catch (const Error& e) {
      if (e.code() == ExitCode::database_unreachable) throw;
      Error named(e.code(), e.kind(), index + " (" + server_message_line(e.what()) + "): run `" + drop + "` before the next run");
      if (e.sqlstate()) named.with_sqlstate(*e.sqlstate());  // a lock timeout here is one more conflict to retry
      throw named;
    }
  }
}

void MigrationRunner::run_unit_with_retries(const MigrationStep& step, const StatementUnit& unit, int& attempts) {
  const std::string what = step.migration->label() + " line " + std::to_string(unit.line) +
                           (unit.block ? " (transaction block)" : "");
  const std::string sql = step.file->text.substr(unit.begin, unit.end - unit.begin);
  const std::vector<std::string> invalid_before =
      unit.concurrent_index_table ? invalid_indexes_of(ctx_.db, *unit.concurrent_index_table) : std::vector<std::string>{};
  for (int attempt = 1;; ++attempt, ++attempts) {
    throw_if_interrupted(what + " did not start");
    BlockerWatch watch(ctx_.connect_again, ctx_.db.backend_pid(), watch_delay(ctx_.timeouts));
    try {
      // What an earlier attempt left INVALID goes first (a lock timeout here is one more conflict).
      if (unit.concurrent_index_table && attempt > 1) drop_indexes_left_invalid(unit, invalid_before);
      ctx_.db.query(sql);
      if (ctx_.db.in_transaction()) {
        roll_back_after_failure(ctx_.db);
        throw Error(ExitCode::migration_failed, "migration_failed", "the statement left a transaction open");
      }
      return;
    } catch (const Error& e) {
      if (e.code() == ExitCode::database_unreachable) throw;
      roll_back_after_failure(ctx_.db);
      const bool retry =
          e.code() != ExitCode::interrupted && is_lock_conflict(e.sqlstate()) && attempt <= ctx_.timeouts.retries;
      if (!retry && unit.concurrent_index_table) {
        try {
          drop_indexes_left_invalid(unit, invalid_before);
        } catch (const Error& cleanup) {
          Error failure(e.code(), e.kind(),
                        std::string(e.what()) + "; the INVALID index it left could not be dropped: " + cleanup.what());
          if (e.sqlstate()) failure.with_sqlstate(*e.sqlstate());
          if (e.position()) failure.with_position(*e.position());
          throw failure;
        }
      }
      if (!retry) throw;
      back_off(ctx_, attempt, what, watch.last_seen());
    }
  }
}

MigrationOutcome MigrationRunner::run_statements(const MigrationStep& step) {
  const Migration& m = *step.migration;
  const MigrationFile& file = *step.file;
  const auto started = Clock::now();
  if (step.down) {
    history_.mark_failed(m.version, 0, "down started; did not finish");
  } else {
    history_.record_started(m.record(), batch_, backup_id_);
  }
  ctx_.db.query(timeouts_sql(ctx_.timeouts, step.directives, false));
  int done = 0;
  int attempts = 1;
  // Progress is written at most once a second: a row per statement would double
  // the round trips of a long file. A failure always writes the exact count.
  auto progress_written = Clock::now();
  for (const StatementUnit& unit : step.units) {
    try {
      run_unit_with_retries(step, unit, attempts);
    } catch (const Error& e) {
      if (e.code() == ExitCode::database_unreachable) {
        throw Error(e.code(), e.kind(),
                    std::string(e.what()) + " while running " + m.label() + " (no transaction) at " + file.path + ":" +
                        std::to_string(unit.line) + "; " + std::to_string(done) +
                        " statement(s) had completed; it stays recorded as failed: check the database, then "
                        "mig-apply --repair " + m.version + " (or --forget)")
            .with_sqlstate(e.sqlstate().value_or(""));
      }
      const int line = error_line(unit, e.position() ? e.position()->line : std::nullopt, e.failed_statement());
      const std::string reason = file.path + ":" + std::to_string(line) + ": " + server_message_line(e.what()) +
                                 (unit.block ? " (its transaction block was rolled back)" : "");
      history_.mark_failed(m.version, done, reason);
      ctx_.db.query("RESET lock_timeout; RESET statement_timeout");
      if (e.code() == ExitCode::interrupted) {
        throw Error(ExitCode::interrupted, "interrupted",
                    reason + " (no-transaction migration stopped after " + std::to_string(done) +
                        " statement(s); recorded as failed: repair before the next run)")
            .with_position({file.path, line, std::nullopt});
      }
      const ExitCode code = is_lock_conflict(e.sqlstate()) ? ExitCode::lock_unavailable : ExitCode::migration_failed;
      throw Error(code, code == ExitCode::lock_unavailable ? "lock_timeout" : "migration_failed",
                  reason + " (no-transaction migration stopped after " + std::to_string(done) +
                      " statement(s); recorded as failed: repair before the next run)")
          .with_sqlstate(e.sqlstate().value_or(""))
          .with_position({file.path, line, std::nullopt});
    }
    done += static_cast<int>(unit.statement_lines.size());
    if (Clock::now() - progress_written >= std::chrono::seconds(1)) {
      history_.mark_progress(m.version, done);
      progress_written = Clock::now();
    }
  }
  ctx_.db.query("RESET lock_timeout; RESET statement_timeout");
  const long long ms = elapsed_ms(started);
  if (step.down) {
    history_.forget(m.version);
  } else {
    history_.mark_applied(m.version, ms);
  }
  return {m.version, m.name, ms, attempts, false, "", {}};
}

}  // namespace mig
