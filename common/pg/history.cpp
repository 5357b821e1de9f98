#include "pg/history.hpp"

#include <algorithm>

#include "base/versions.hpp"
#include "pg/db.hpp"
#include "base/errors.hpp"
#include "base/host.hpp"

namespace mig {
namespace {

long long to_number(const Field& f) { return f ? std::stoll(*f) : 0; }

HistoryRow to_history_row(Row&& r) {
  const auto text = [&](std::size_t i) { return r[i] ? std::move(*r[i]) : std::string(); };
  HistoryRow row;
  row.version = text(0);
  row.name = text(1);
  row.checksum = text(2);
  row.status = text(3);
  row.batch = to_number(r[4]);
  row.applied_at = text(5);
  row.execution_ms = r[6] ? std::stoll(*r[6]) : 0;
  row.applied_by = text(7);
  row.backup_id = std::move(r[8]);
  if (r[9]) row.statements_done = std::stoi(*r[9]);
  row.error = std::move(r[10]);
  row.backfill_last_key = std::move(r[11]);
  if (r[12]) row.backfill_rows = std::stoll(*r[12]);
  return row;
}

}  // namespace

std::string repeatable_key(const std::string& name) { return std::string(kRepeatablePrefix) + name; }

bool is_repeatable_key(const std::string& version) {
  return version.compare(0, std::char_traits<char>::length(kRepeatablePrefix), kRepeatablePrefix) == 0;
}

History::History(Database& db, HistoryTableName name) : db_(db), name_(std::move(name)) {}

std::string History::qualified_name() const {
  return db_.identifier(name_.schema) + "." + db_.identifier(name_.table);
}

std::vector<HistoryRow> History::read() {
  std::vector<HistoryRow> rows = read_with({}, nullptr);
  rows.erase(std::remove_if(rows.begin(), rows.end(), [](const HistoryRow& r) { return is_repeatable_key(r.version); }),
             rows.end());
  return rows;
}

std::vector<HistoryRow> History::read_all() { return read_with({}, nullptr); }

std::vector<HistoryRow> History::read_with(const std::string& also_sql, QueryResult* also) {
  const std::string select =
      "SELECT version, name, checksum, status, batch, "
      "to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), execution_ms, "
      "applied_by, backup_id, statements_done, error, "
      // Through to_jsonb, only for running rows: a history table of an older
      // shape (no backfill columns yet) reads the same.
      "CASE WHEN status = 'running' THEN to_jsonb(h) ->> 'backfill_last_key' END, "
      "CASE WHEN status = 'running' THEN to_jsonb(h) ->> 'backfill_rows' END FROM " +
      qualified_name() + " h";
  QueryResult result;
  try {
    if (also_sql.empty()) {
      result = db_.query(select);
    } else {
      std::vector<QueryResult> results = db_.query_each(select + ";\n" + also_sql);
      result = std::move(results.at(0));
      *also = std::move(results.at(1));
    }
  } catch (const Error& e) {
    // 42P01 undefined table, 3F000 undefined schema: nothing was ever applied.
    if (e.sqlstate() == "42P01" || e.sqlstate() == "3F000") {
      if (!also_sql.empty()) *also = db_.query(also_sql);
      return {};
    }
    throw Error(e.code() == ExitCode::database_unreachable ? e.code() : ExitCode::invalid_input,
                "history_unreadable", "cannot read " + qualified_name() + ": " + e.what());
  }
  std::vector<HistoryRow> rows;
  rows.reserve(result.rows.size());
  for (Row& r : result.rows) rows.push_back(to_history_row(std::move(r)));
  std::sort(rows.begin(), rows.end(), [](const HistoryRow& a, const HistoryRow& b) {
    const bool ra = is_repeatable_key(a.version), rb = is_repeatable_key(b.version);
    if (ra || rb) return ra == rb ? a.version < b.version : rb;
    return compare_versions(a.version, b.version) < 0;
  });
  return rows;
}

void History::create() {
  // Creates only what is missing, so a role that owns the table (or may create in
  // its schema) needs no CREATE on the database. A read-only server says so first.
  const std::string schema = db_.identifier(name_.schema);
  db_.query(
      "DO $mig$ BEGIN "
      "IF current_setting('transaction_read_only') = 'on' THEN "
      "RAISE EXCEPTION USING ERRCODE = '25006', MESSAGE = 'cannot apply migrations on a read-only server', "
      "HINT = 'connect to the primary'; END IF; "
      "IF to_regnamespace(" + db_.literal(schema) + ") IS NULL THEN CREATE SCHEMA " + schema + "; END IF; "
      "IF to_regclass(" + db_.literal(qualified_name()) + ") IS NULL THEN CREATE TABLE " + qualified_name() +
      " (version text PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, "
      "status text NOT NULL CONSTRAINT " + db_.identifier(name_.table + "_status_check") +
      " CHECK (status IN ('applied', 'failed', 'running')), batch integer NOT NULL, "
      "applied_at timestamptz NOT NULL DEFAULT now(), execution_ms bigint NOT NULL DEFAULT 0, "
      "applied_by text NOT NULL, backup_id text, statements_done integer, error text, "
      "backfill_last_key text, backfill_rows bigint); END IF; "
      // A table made before backfills (CONTRACT §12) gains their columns and status.
      "IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = to_regclass(" + db_.literal(qualified_name()) +
      ") AND attname = 'backfill_rows' AND NOT attisdropped) THEN "
      "EXECUTE (SELECT coalesce(string_agg(format('ALTER TABLE %s DROP CONSTRAINT %I', " + db_.literal(qualified_name()) + ", conname), '; '), 'SELECT 1') "
      "FROM pg_catalog.pg_constraint WHERE conrelid = to_regclass(" + db_.literal(qualified_name()) + ") AND contype = 'c' "
      "AND pg_get_constraintdef(oid) LIKE '%status%'); "
      "ALTER TABLE " + qualified_name() + " ADD COLUMN IF NOT EXISTS backfill_last_key text, "
      "ADD COLUMN IF NOT EXISTS backfill_rows bigint, ADD CONSTRAINT " + db_.identifier(name_.table + "_status_check") +
      " CHECK (status IN ('applied', 'failed', 'running')); END IF; "
      "END $mig$");
}

int History::next_batch(const std::vector<HistoryRow>& rows) const {
  long long batch = 0;
  for (const HistoryRow& r : rows) batch = std::max(batch, r.batch);
  if (batch >= 2147483647LL) {
    throw invalid_input("batch_overflow", qualified_name() + " already holds batch " + std::to_string(batch) +
                                              ", the largest a batch can be; renumber the batches (they only need "
                                              "to keep their order) before applying more");
  }
  return static_cast<int>(batch + 1);
}

std::string History::insert_sql(const MigrationRecord& m, const std::string& status, long long batch,
                                const std::optional<std::string>& backup_id, const std::string& execution_ms_sql) {
  return "INSERT INTO " + qualified_name() +
         " (version, name, checksum, status, batch, execution_ms, applied_by, backup_id) VALUES (" +
         db_.literal(m.version) + ", " + db_.literal(m.name) + ", " + db_.literal(m.checksum) + ", " +
         db_.literal(status) + ", " + std::to_string(batch) + ", " + execution_ms_sql + ", current_user || '@' || " +
         db_.literal(this_host()) + ", " + (backup_id ? db_.literal(*backup_id) : "NULL") + ")";
}

std::string History::record_applied_sql(const MigrationRecord& m, long long batch, const std::optional<std::string>& backup_id,
                                        const std::string& execution_ms_sql) {
  std::string sql = insert_sql(m, "applied", batch, backup_id, execution_ms_sql);
  // A repeatable migration keeps one row, brought up to date each time it runs.
  if (is_repeatable_key(m.version)) {
    sql += " ON CONFLICT (version) DO UPDATE SET name = EXCLUDED.name, checksum = EXCLUDED.checksum, "
           "status = EXCLUDED.status, batch = EXCLUDED.batch, applied_at = EXCLUDED.applied_at, "
           "execution_ms = EXCLUDED.execution_ms, applied_by = EXCLUDED.applied_by, backup_id = EXCLUDED.backup_id, "
           "statements_done = NULL, error = NULL";
  }
  return sql;
}

std::string History::forget_sql(const std::string& version) {
  return "DELETE FROM " + qualified_name() + " WHERE version = " + db_.literal(version);
}

void History::record_started(const MigrationRecord& m, long long batch, const std::optional<std::string>& backup_id) {
  db_.query(insert_sql(m, "failed", batch, backup_id, "0") + "; UPDATE " + qualified_name() +
            " SET statements_done = 0, error = 'started; did not finish' WHERE version = " +
            db_.literal(m.version));
}

void History::record_backfill_started(const MigrationRecord& m, long long batch, const std::optional<std::string>& backup_id) {
  db_.query(insert_sql(m, "running", batch, backup_id, "0") + " ON CONFLICT (version) DO NOTHING");
}

std::string History::backfill_progress_sql(const std::string& version, const std::string& last_key_json, long long rows) {
  return "UPDATE " + qualified_name() + " SET backfill_last_key = " + db_.literal(last_key_json) +
         ", backfill_rows = coalesce(backfill_rows, 0) + " + std::to_string(rows) + " WHERE version = " + db_.literal(version);
}

void History::mark_progress(const std::string& version, int statements_done) {
  db_.query("UPDATE " + qualified_name() + " SET statements_done = " + std::to_string(statements_done) +
            " WHERE version = " + db_.literal(version));
}

void History::mark_failed(const std::string& version, int statements_done, const std::string& error) {
  db_.query("UPDATE " + qualified_name() + " SET status = 'failed', statements_done = " +
            std::to_string(statements_done) + ", error = " + db_.literal(error) +
            " WHERE version = " + db_.literal(version));
}

void History::mark_applied(const std::string& version, long long execution_ms) {
  db_.query("UPDATE " + qualified_name() + " SET status = 'applied', statements_done = NULL, error = NULL, " +
            "execution_ms = " + std::to_string(execution_ms) + " WHERE version = " + db_.literal(version));
}

void History::repair_as_applied(const MigrationRecord& m) {
  db_.query("UPDATE " + qualified_name() + " SET status = 'applied', checksum = " + db_.literal(m.checksum) +
            ", name = " + db_.literal(m.name) + ", statements_done = NULL, error = NULL WHERE version = " +
            db_.literal(m.version));
}

void History::forget(const std::string& version) { db_.query(forget_sql(version)); }

std::string History::record_imported_sql(const MigrationRecord& m, long long batch, const std::string& applied_at,
                                         long long execution_ms, const std::string& tool) {
  return insert_sql(m, "applied", batch, std::nullopt, std::to_string(execution_ms)) + "; UPDATE " + qualified_name() +
         " SET applied_by = applied_by || ' (imported from ' || " + db_.literal(tool) + " || ')'" +
         (applied_at.empty() ? "" : ", applied_at = " + db_.literal(applied_at) + "::timestamptz") +
         " WHERE version = " + db_.literal(m.version);
}

void History::record_baseline(const MigrationRecord& m, long long batch) {
  db_.query(insert_sql(m, "applied", batch, std::nullopt, "0"));
}

}  // namespace mig
