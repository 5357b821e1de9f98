// The history table (CONTRACT §4): what was applied, when, by whom, in which batch.
#pragma once
#include <optional>
#include <string>
#include <vector>

namespace mig {

class Database;
struct QueryResult;

// What the history keeps of a migration file (the engine's Migration gives it).
struct MigrationRecord {
  std::string version;
  std::string name;
  std::string checksum;
};

// Repeatable migrations share the table; their rows are keyed
// "repeatable:<name>", which no version (digits only) can be.
constexpr const char* kRepeatablePrefix = "repeatable:";
std::string repeatable_key(const std::string& name);
bool is_repeatable_key(const std::string& version);

struct HistoryRow {
  std::string version;
  std::string name;
  std::string checksum;
  std::string status;  // "applied", "failed", or "running" (a backfill that has not finished)
  long long batch = 0;  // integer in the table; read wide so a hand-edited maximum cannot wrap
  std::string applied_at;  // RFC 3339, UTC
  long long execution_ms = 0;
  std::string applied_by;
  std::optional<std::string> backup_id;
  std::optional<int> statements_done;  // a failed no-transaction migration: statements that ran
  std::optional<std::string> error;
  std::optional<std::string> backfill_last_key;  // a running backfill: JSON array of the last key done
  std::optional<long long> backfill_rows;        // rows it has changed so far
};

struct HistoryTableName {
  std::string schema = "public";
  std::string table = "migration_history";
};

class History {
 public:
  History(Database& db, HistoryTableName name);

  // Versioned rows ordered by version; a missing table or schema reads as empty
  // and is never created. Repeatable migrations' rows are left out.
  std::vector<HistoryRow> read();
  // Every row: the versioned ones ordered by version, then the repeatable ones by name.
  std::vector<HistoryRow> read_all();
  // The same, with `also_sql` (one statement) answered into `also` in the same round trip.
  std::vector<HistoryRow> read_with(const std::string& also_sql, QueryResult* also);
  // Creates schema and table when missing. Only under the migration lock.
  void create();
  int next_batch(const std::vector<HistoryRow>& rows) const;

  // SQL recording an applied migration, to run in the migration's own
  // transaction; `execution_ms_sql` is an expression the server evaluates.
  std::string record_applied_sql(const MigrationRecord& m, long long batch, const std::optional<std::string>& backup_id,
                                 const std::string& execution_ms_sql);
  std::string forget_sql(const std::string& version);

  // A no-transaction migration is recorded `failed` before it starts, so a crash
  // part way leaves a row that asks for repair; `mark_applied` clears it.
  void record_started(const MigrationRecord& m, long long batch, const std::optional<std::string>& backup_id);
  void mark_progress(const std::string& version, int statements_done);
  void mark_failed(const std::string& version, int statements_done, const std::string& error);
  void mark_applied(const std::string& version, long long execution_ms);

  // A backfill (CONTRACT §12) is recorded `running` before its first batch;
  // each batch commits its progress with it; mark_applied ends it.
  void record_backfill_started(const MigrationRecord& m, long long batch, const std::optional<std::string>& backup_id);
  std::string backfill_progress_sql(const std::string& version, const std::string& last_key_json, long long rows);

  // --repair: a human fixed the database; record the file as applied as it is now.
  void repair_as_applied(const MigrationRecord& m);
  void forget(const std::string& version);
  // --baseline: record a migration as applied without running it.
  void record_baseline(const MigrationRecord& m, long long batch);
  // SQL recording a migration another tool applied (mig-import): when it did
  // (timestamptz text, "" for now), how long it took, and which tool.
  std::string record_imported_sql(const MigrationRecord& m, long long batch, const std::string& applied_at,
                                  long long execution_ms, const std::string& tool);

  std::string qualified_name() const;

 private:
  std::string insert_sql(const MigrationRecord& m, const std::string& status, long long batch,
                         const std::optional<std::string>& backup_id, const std::string& execution_ms_sql);
  Database& db_;
  HistoryTableName name_;
};

}  // namespace mig
