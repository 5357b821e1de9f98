// Runs migrations on the server: transactional ones as one round trip with
// their history rows, no-transaction ones statement by statement. Retries
// lock timeouts and deadlocks with exponential backoff and full jitter.
#pragma once
#include <string>
#include <vector>

#include "engine/directives.hpp"
#include "engine/migration_set.hpp"
#include "engine/migrator.hpp"
#include "engine/statement_units.hpp"

namespace mig {

class History;

// One migration's part in a run: the file to execute and the history change.
struct MigrationStep {
  const Migration* migration;
  const MigrationFile* file;  // up or down
  Directives directives;
  bool down = false;
  std::vector<StatementUnit> units;  // no-transaction files: what runs, one unit at a time
  // A checkpoint in a database that has the files before it: recorded, not run.
  bool record_only = false;
  // A checkpoint an empty database starts from: the files before it, recorded
  // applied in its transaction.
  std::vector<const Migration*> covers;
};

class MigrationRunner {
 public:
  MigrationRunner(MigratorContext& ctx, History& history, long long batch, std::optional<std::string> backup_id);

  // All steps in one transaction (one round trip): all commit or none do.
  std::vector<MigrationOutcome> run_atomically(const std::vector<MigrationStep>& steps);
  // One step: its own transaction, or statement by statement for no-transaction files.
  MigrationOutcome run(const MigrationStep& step);

 private:
  std::vector<MigrationOutcome> run_transaction_once(const std::vector<MigrationStep>& steps);
  MigrationOutcome run_statements(const MigrationStep& step);
  void run_unit_with_retries(const MigrationStep& step, const StatementUnit& unit, int& attempts);
  void drop_indexes_left_invalid(const StatementUnit& unit, const std::vector<std::string>& invalid_before);
  std::string history_change_sql(const MigrationStep& step, const std::string& elapsed_sql);
  MigratorContext& ctx_;
  History& history_;
  long long batch_;
  std::optional<std::string> backup_id_;
};

// SET [LOCAL] lock_timeout/statement_timeout for a migration: its directives, else the run's settings.
std::string timeouts_sql(const Timeouts& timeouts, const Directives& directives, bool local);

// Runs `attempt_once` until it returns; a lock conflict (lock_not_available,
// deadlock_detected) is retried after a back-off (1 s doubling to 30 s, jittered,
// logged and sent as a "retrying" event) up to ctx.timeouts.retries times, then
// exit 6 naming the blockers. Returns the attempts it took.
int with_lock_retries(MigratorContext& ctx, const std::string& what, const std::function<void()>& attempt_once);

// The contract's retryable SQLSTATEs: lock_not_available and deadlock_detected.
bool is_lock_conflict(const std::optional<std::string>& sqlstate);

}  // namespace mig
