#include "migration_runner.hpp"

#include <chrono>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <thread>

#include "blocker_watch.hpp"
#include "db.hpp"
#include "errors.hpp"
#include "history.hpp"
#include "log.hpp"
#include "migration_script.hpp"
#include "source_text.hpp"
#include "sql.hpp"

namespace mig {
namespace {

using Clock = std::chrono::steady_clock;

long long elapsed_ms(Clock::time_point since) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - since).count();
}

std::string label(const Migration& m) { return m.version + "_" + m.name; }

void rollback_quietly(Database& db) {
  try {
    db.query("ROLLBACK");
  } catch (const std::exception& e) {
    log::debug("rollback after failure: ", e.what());
  }
}

Error migration_failure(const Error& cause, const std::string& what, const std::optional<SourcePosition>& at) {
  std::string where = at ? at->file + (at->line ? ":" + std::to_string(*at->line) : "") + ": " : "";
  Error error(ExitCode::migration_failed, "migration_failed",
              where + server_message_line(cause.what()) + " (" + what + " rolled back)");
  if (cause.sqlstate()) error.with_sqlstate(*cause.sqlstate());
  if (at) error.with_position(*at);
  return error;
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
Duration MigrationRunner::watch_delay() const { return std::min(ctx_.timeouts.lock_timeout / 2, Duration(500)); }

bool is_lock_conflict(const std::optional<std::string>& sqlstate) {
  return sqlstate == std::string("55P03") || sqlstate == std::string("40P01");
}

MigrationRunner::MigrationRunner(MigratorContext& ctx, History& history, int batch,
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
  return history_.record_applied_sql(*step.migration, batch_, backup_id_, elapsed_sql);
}

void MigrationRunner::back_off(int attempt, const std::string& what, const std::string& blockers) {
  const long long cap_ms = std::min<long long>(10'000, 250LL << std::min(attempt, 10));
  std::mt19937 rng(std::random_device{}());
  const long long sleep_ms = std::uniform_int_distribution<long long>(0, cap_ms)(rng);
  log::warn(what, ": lock conflict (attempt ", attempt, " of ", ctx_.timeouts.retries + 1, "), blocked by ",
            (blockers.empty() ? "a session that has gone since" : blockers), "; retrying in ", sleep_ms, " ms");
  if (ctx_.events) {
    ctx_.events("retrying", {{"what", what}, {"attempt", attempt}, {"blocked_by", blockers}, {"sleep_ms", sleep_ms}});
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(sleep_ms));
}

std::vector<MigrationOutcome> MigrationRunner::run_transaction_once(const std::vector<MigrationStep>& steps) {
  MigrationScript script;
  script.add_statement("BEGIN");
  script.add_statement("SELECT set_config('mig.durations', '', false)");
  for (const MigrationStep& step : steps) {
    script.add_statement(timeouts_sql(ctx_.timeouts, step.directives, true));
    script.add_statement(kMarkStartSql);
    script.add_file(*step.file);
    script.add_statement(history_change_sql(step, kElapsedMsSql));
    script.add_statement(std::string("SELECT set_config('mig.durations', current_setting('mig.durations') || ") +
                         kElapsedMsSql + " || ',', false)");
  }
  script.add_statement("COMMIT");
  script.add_statement("SELECT current_setting('mig.durations')");

  const std::string what = steps.size() == 1 ? label(*steps.front().migration)
                                             : "batch of " + std::to_string(steps.size()) + " migrations";
  try {
    const std::vector<long long> durations = parse_durations(ctx_.db.query(script.sql()).scalar());
    std::vector<MigrationOutcome> outcomes;
    for (std::size_t i = 0; i < steps.size(); ++i) {
      outcomes.push_back({steps[i].migration->version, steps[i].migration->name,
                          i < durations.size() ? durations[i] : 0, 1, true});
    }
    return outcomes;
  } catch (const Error& e) {
    if (e.code() == ExitCode::database_unreachable) throw;
    rollback_quietly(ctx_.db);
    if (is_lock_conflict(e.sqlstate())) throw;
    std::optional<SourcePosition> at;
    if (e.position() && e.position()->line) at = script.locate(*e.position()->line);
    if (!at && steps.size() == 1) at = SourcePosition{steps.front().file->path, std::nullopt, std::nullopt};
    throw migration_failure(e, what, at);
  }
}

std::vector<MigrationOutcome> MigrationRunner::run_atomically(const std::vector<MigrationStep>& steps) {
  const std::string what = steps.size() == 1 ? label(*steps.front().migration)
                                             : "batch of " + std::to_string(steps.size()) + " migrations";
  for (int attempt = 1;; ++attempt) {
    BlockerWatch watch(ctx_.connect_again, ctx_.db.backend_pid(), watch_delay());
    try {
      auto outcomes = run_transaction_once(steps);
      for (auto& o : outcomes) o.attempts = attempt;
      return outcomes;
    } catch (const Error& e) {
      if (!is_lock_conflict(e.sqlstate())) throw;
      if (attempt > ctx_.timeouts.retries) {
        throw Error(ExitCode::lock_unavailable, "lock_timeout",
                    what + ": " + server_message_line(e.what()) + " after " + std::to_string(attempt) +
                        " attempts; blocked by " + (watch.last_seen().empty() ? "unknown" : watch.last_seen()) +
                        " (rolled back)")
            .with_sqlstate(*e.sqlstate());
      }
      const std::string blockers = watch.last_seen();
      back_off(attempt, what, blockers);
    }
  }
}

MigrationOutcome MigrationRunner::run(const MigrationStep& step) {
  if (!step.directives.no_transaction) return run_atomically({step}).front();
  return run_statements(step);
}

void MigrationRunner::run_statement_with_retries(const MigrationStep& step, const std::string& statement, int line,
                                                 int& attempts) {
  const std::string what = label(*step.migration) + " line " + std::to_string(line);
  for (int attempt = 1;; ++attempt, ++attempts) {
    BlockerWatch watch(ctx_.connect_again, ctx_.db.backend_pid(), watch_delay());
    try {
      ctx_.db.query(statement);
      return;
    } catch (const Error& e) {
      if (!is_lock_conflict(e.sqlstate()) || attempt > ctx_.timeouts.retries) throw;
      back_off(attempt, what, watch.last_seen());
    }
  }
}

MigrationOutcome MigrationRunner::run_statements(const MigrationStep& step) {
  const Migration& m = *step.migration;
  const MigrationFile& file = *step.file;
  const ScanOutcome scanned = scan_sql(file.text);
  if (scanned.error) {
    const LineColumn at = line_column_at(file.text, scanned.error->byte_offset);
    throw Error(ExitCode::migration_failed, "migration_failed",
                file.path + ":" + std::to_string(at.line) + ": " + scanned.error->message + " (nothing was run)")
        .with_position({file.path, at.line, at.column});
  }
  const auto started = Clock::now();
  if (step.down) {
    history_.mark_failed(m.version, 0, "down started; did not finish");
  } else {
    history_.record_started(m, batch_, backup_id_);
  }
  ctx_.db.query(timeouts_sql(ctx_.timeouts, step.directives, false));
  int done = 0;
  int attempts = 1;
  for (const SqlStatement& s : scanned.sql.statements) {
    const int line = line_column_at(file.text, s.begin).line;
    try {
      run_statement_with_retries(step, file.text.substr(s.begin, s.end - s.begin), line, attempts);
    } catch (const Error& e) {
      if (e.code() == ExitCode::database_unreachable) throw;
      const std::string reason = file.path + ":" + std::to_string(line) + ": " + server_message_line(e.what());
      history_.mark_failed(m.version, done, reason);
      ctx_.db.query("RESET lock_timeout; RESET statement_timeout");
      const ExitCode code = is_lock_conflict(e.sqlstate()) ? ExitCode::lock_unavailable : ExitCode::migration_failed;
      throw Error(code, code == ExitCode::lock_unavailable ? "lock_timeout" : "migration_failed",
                  reason + " (no-transaction migration stopped after " + std::to_string(done) +
                      " statement(s); recorded as failed: repair before the next run)")
          .with_sqlstate(e.sqlstate().value_or(""))
          .with_position({file.path, line, std::nullopt});
    }
    history_.mark_progress(m.version, ++done);
  }
  ctx_.db.query("RESET lock_timeout; RESET statement_timeout");
  const long long ms = elapsed_ms(started);
  if (step.down) {
    history_.forget(m.version);
  } else {
    history_.mark_applied(m.version, ms);
  }
  return {m.version, m.name, ms, attempts, false};
}

}  // namespace mig
