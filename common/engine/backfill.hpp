// A backfill migration (CONTRACT §12) run in key-ordered batches, each batch a
// short transaction that commits with its progress row, so a killed run
// resumes at the next batch and no key range is applied twice.
//
// The loop, per batch:
//   1. wait while a standby's replay is more than --max-replica-lag behind our
//      own WAL, or to stay under --max-rows-per-second (each wait an event);
//   2. find the next boundary from the key index (LIMIT 1 OFFSET size-1 after
//      the last key: never a scan from the table's start);
//   3. run the statement with (key) > (last) AND (key) <= (next) added to its
//      WHERE through the parse tree, under lock_timeout/statement_timeout,
//      retrying lock conflicts with back-off (exit 6 only when no attempt of
//      this batch gets through);
//   4. in the same transaction, record the last key and the rows; commit;
//   5. size the next batch toward the target batch time.
// The last batch has no upper bound (rows the application inserted above the
// last key meanwhile are included) and marks the migration applied.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/migrator.hpp"

namespace mig {

class History;
struct HistoryRow;
struct Migration;
struct MigrationStep;
struct BackfillStatement;

// The batched table's key as the server knows it.
struct BackfillKey {
  std::string table;                 // quoted, as the statement names it (schema.table or table)
  std::vector<std::string> columns;  // quoted
  std::vector<std::string> types;    // format_type of each
};

// Reads the key: the primary key, or the -- mig:key columns when they carry a
// valid unique, non-partial index and are NOT NULL. Exit 3 (file:line) when the
// table does not exist or has no usable key.
BackfillKey read_backfill_key(Database& db, const BackfillStatement& statement, const std::vector<std::string>& key_directive,
                              const std::string& file);

// The batch statement for a range: lower and/or upper bound given as $1.. params.
std::string batch_statement(const BackfillStatement& statement, const BackfillKey& key, bool lower, bool upper);

// Runs (or resumes) the backfill of `step`; returns when it is applied.
MigrationOutcome run_backfill(MigratorContext& ctx, History& history, const MigrationStep& step, long long batch,
                              const std::optional<std::string>& backup_id);

// For mig-status: a running backfill's progress (rows done, an estimate of the
// rows left from the table's statistics, rate since it started, ETA).
nlohmann::json backfill_progress(Database& db, const Migration& migration, const HistoryRow& row);

// For mig-dryrun: the first batch's query plan (EXPLAIN, JSON) and whether it
// reads the table through the key index; runs inside the caller's transaction.
nlohmann::json explain_first_batch(Database& db, const MigrationStep& step);

}  // namespace mig
