#include "engine/backfill.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <deque>
#include <thread>

#include "engine/backfill_statement.hpp"
#include "engine/batch_sizer.hpp"
#include "pg/db.hpp"
#include "base/errors.hpp"
#include "pg/history.hpp"
#include "base/interrupt.hpp"
#include "base/log.hpp"
#include "engine/migration_runner.hpp"
#include "text/sql.hpp"
#include "pg/standbys.hpp"

namespace mig {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr long long kDefaultBatchSize = 1000;
constexpr Duration kDefaultBatchTime = std::chrono::milliseconds(200);

long long ms_since(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t).count();
}

Error no_key(const std::string& file, const std::string& why) {
  return Error(ExitCode::invalid_input, "backfill_shape", file + ": -- mig:backfill: " + why + "; nothing was changed")
      .with_position({file, std::nullopt, std::nullopt});
}

std::string quoted_table(Database& db, const BackfillStatement& s) {
  return (s.schema.empty() ? "" : db.identifier(s.schema) + ".") + db.identifier(s.table);
}

// "ROW(q.a, q.b) > ROW($1, $2)" (or "q.a > $1" for one column).
std::string compare(const BackfillKey& key, const std::string& qualifier, const char* op, int first_param) {
  std::string columns, params;
  for (std::size_t i = 0; i < key.columns.size(); ++i) {
    columns += (i ? ", " : "") + qualifier + "." + key.columns[i];
    params += (i ? ", $" : "$") + std::to_string(first_param + static_cast<int>(i));
  }
  if (key.columns.size() == 1) return columns + " " + op + " " + params;
  return "ROW(" + columns + ") " + op + " ROW(" + params + ")";
}

// "mig_key.a, mig_key.b" (qualified: an output column of the same name would
// otherwise decide ORDER BY, and a::text orders as text).
std::string column_list(const BackfillKey& key, const std::string& suffix = "") {
  std::string out;
  for (std::size_t i = 0; i < key.columns.size(); ++i) out += (i ? ", mig_key." : "mig_key.") + key.columns[i] + suffix;
  return out;
}

// "bigint, text": the key's types, for PREPARE.
std::string type_list(const BackfillKey& key) {
  std::string out;
  for (const std::string& t : key.types) out += (out.empty() ? "" : ", ") + t;
  return out;
}

// The log position "X/Y" as a number, to compare positions here.
std::uint64_t lsn_value(const std::string& lsn) {
  const auto slash = lsn.find('/');
  if (slash == std::string::npos) return 0;
  return (std::stoull(lsn.substr(0, slash), nullptr, 16) << 32) | std::stoull(lsn.substr(slash + 1), nullptr, 16);
}

// How far behind our own WAL the slowest standby's replay is, in time: the age
// of the oldest batch commit it has not replayed. (pg_stat_replication's
// replay_lag stops moving while replay is paused; this does not.)
class ReplicaLag {
 public:
  void committed_at(const std::string& lsn) { commits_.push_back({Clock::now(), lsn}); }

  Duration behind(Database& db) {
    if (commits_.empty()) return Duration(0);
    const std::vector<StandbyLag> lags = attached_standby_lags(db, commits_.back().lsn);
    long long worst = 0;
    bool unknown = false;  // a standby that has replayed nothing yet counts as behind everything
    for (const StandbyLag& l : lags) {
      if (l.lag_bytes < 0 || !l.problem.empty()) unknown = true;
      else worst = std::max(worst, l.lag_bytes);
    }
    if (!unknown) {
      const std::uint64_t newest = lsn_value(commits_.back().lsn);
      const std::uint64_t replayed = newest > static_cast<std::uint64_t>(worst) ? newest - static_cast<std::uint64_t>(worst) : 0;
      while (!commits_.empty() && lsn_value(commits_.front().lsn) <= replayed) commits_.pop_front();
    }
    if (commits_.empty()) return Duration(0);
    return std::chrono::duration_cast<Duration>(Clock::now() - commits_.front().at);
  }

 private:
  struct Commit {
    Clock::time_point at;
    std::string lsn;
  };
  std::deque<Commit> commits_;
};

class BackfillRun {
 public:
  BackfillRun(MigratorContext& ctx, History& history, const MigrationStep& step)
      : ctx_(ctx),
        history_(history),
        step_(step),
        m_(*step.migration),
        statement_(read_backfill_statement(*step.file)),
        key_(read_backfill_key(ctx.db, statement_, step.directives.key, step.file->path)),
        sizer_(step.directives.batch_size.value_or(kDefaultBatchSize),
               step.directives.batch_time.value_or(ctx.backfill.batch_time.value_or(kDefaultBatchTime))) {}

  long long run(const std::optional<HistoryRow>& row) {
    resume_from(row);
    prepare();
    estimate_total();
    event("backfill_started", {{"resumed", last_.has_value()}, {"rows_before", rows_before_}, {"batch_size", sizer_.size()},
                               {"estimated_rows", estimated_total_}});
    const auto started = Clock::now();
    long long batches = 0;
    for (bool done = false; !done; ++batches) {
      throw_if_interrupted(label() + " stopped between batches (progress kept; run again to resume)");
      throttle();
      const std::optional<std::vector<std::string>> upper = next_boundary();
      done = !upper;
      const auto batch_started = Clock::now();
      const long long rows = run_batch(upper, done, ms_since(started));
      rows_ += rows;
      keys_ += done ? rows : sizer_.size();
      event("backfill_batch", {{"rows", rows}, {"rows_total", rows_before_ + rows_}, {"batch_size", sizer_.size()},
                               {"duration_ms", ms_since(batch_started)}, {"last_key", upper ? json(*upper) : json(nullptr)},
                               {"estimated_rows_left", rows_left()}});
      if (!done) sizer_.record(sizer_.size(), std::chrono::milliseconds(ms_since(batch_started)));
      if (upper) last_ = upper;
      report_progress(started);
    }
    event("backfill_finished", {{"rows_total", rows_before_ + rows_}, {"duration_ms", ms_since(started)},
                                {"throttled_ms", throttled_}});
    log::at(ctx_.announce ? log::Level::info : log::Level::debug, label(), ": backfill done, ", rows_before_ + rows_,
            " rows changed in ", batches, " batch(es)",
              throttled_ > 0 ? ", " + log::fixed(static_cast<double>(throttled_) / 1000.0, 1) + " s throttled" : "");
    deallocate();
    return ms_since(started);
  }

 private:
  std::string label() const { return m_.version + "_" + m_.name; }
  std::string direction() const { return step_.down ? "down" : "up"; }

  void event(const std::string& name, json fields) {
    fields["version"] = m_.version;
    fields["name"] = m_.name;
    fields["direction"] = direction();
    if (ctx_.events) ctx_.events(name, fields);
  }

  void resume_from(const std::optional<HistoryRow>& row) {
    if (!row || !row->backfill_last_key) return;
    const json saved = json::parse(*row->backfill_last_key, nullptr, false);
    if (!saved.is_object() || saved.value("direction", "") != direction() || !saved["key"].is_array()) return;
    last_ = saved["key"].get<std::vector<std::string>>();
    rows_before_ = row->backfill_rows.value_or(0);
    log::info(label(), ": resuming the backfill after key ", saved["key"].dump(), " (", rows_before_, " rows done before)");
  }

  // PREPARE the boundary and batch statements once: each batch is then one
  // round trip for its rows and one for its progress and COMMIT.
  void prepare() {
    const std::string types = type_list(key_);
    const std::string order = " ORDER BY " + column_list(key_) + " LIMIT 1 OFFSET $";
    const std::string select = "SELECT " + column_list(key_, "::text") + " FROM " + key_.table + " AS mig_key";
    const int n = static_cast<int>(key_.columns.size());
    ctx_.db.query("PREPARE mig_backfill_first(bigint) AS " + select + order + "1; " +
                  "PREPARE mig_backfill_next(" + types + ", bigint) AS " + select + " WHERE " +
                  compare(key_, "mig_key", ">", 1) + order + std::to_string(n + 1) + "; " +
                  "PREPARE mig_backfill_to(" + types + ") AS " + batch_statement(statement_, key_, false, true) + "; " +
                  "PREPARE mig_backfill_between(" + types + ", " + types + ") AS " + batch_statement(statement_, key_, true, true) + "; " +
                  "PREPARE mig_backfill_from(" + types + ") AS " + batch_statement(statement_, key_, true, false) + "; " +
                  "PREPARE mig_backfill_all AS " + statement_.sql);
  }

  void deallocate() {
    try {
      ctx_.db.query("DEALLOCATE ALL");
    } catch (const Error&) {
    }
  }

  void estimate_total() {
    const auto n = ctx_.db.query("SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(" +
                                 ctx_.db.literal(key_.table) + ")").scalar();
    estimated_total_ = n ? std::stoll(*n) : -1;  // -1: never analyzed, unknown
    keys_ = rows_before_;
  }

  // An estimate from the table's statistics; -1 when it has none yet.
  long long rows_left() const { return estimated_total_ < 0 ? -1 : std::max(0LL, estimated_total_ - keys_); }

  std::string arguments(const std::vector<std::string>& values) {
    std::string out;
    for (const std::string& v : values) out += (out.empty() ? "" : ", ") + ctx_.db.literal(v);
    return out;
  }

  std::optional<std::vector<std::string>> next_boundary() {
    const std::string offset = std::to_string(sizer_.size() - 1);
    const QueryResult r = last_ ? ctx_.db.query("EXECUTE mig_backfill_next(" + arguments(*last_) + ", " + offset + ")")
                                : ctx_.db.query("EXECUTE mig_backfill_first(" + offset + ")");
    if (r.rows.empty()) return std::nullopt;
    std::vector<std::string> key;
    for (const Field& f : r.rows[0]) key.push_back(f.value_or(""));
    return key;
  }

  std::string execute_batch(const std::optional<std::vector<std::string>>& upper) {
    if (last_ && upper) return "EXECUTE mig_backfill_between(" + arguments(*last_) + ", " + arguments(*upper) + ")";
    if (last_) return "EXECUTE mig_backfill_from(" + arguments(*last_) + ")";
    if (upper) return "EXECUTE mig_backfill_to(" + arguments(*upper) + ")";
    return "EXECUTE mig_backfill_all";
  }

  std::string progress_sql(const std::optional<std::vector<std::string>>& upper, long long rows, bool done, long long elapsed_ms) {
    if (done && step_.down) return history_.forget_sql(m_.version);
    if (done) {
      return "UPDATE " + history_.qualified_name() + " SET status = 'applied', backfill_last_key = NULL, backfill_rows = coalesce(backfill_rows, 0) + " +
             std::to_string(rows) + ", execution_ms = execution_ms + " + std::to_string(elapsed_ms) +
             ", applied_at = now() WHERE version = " + ctx_.db.literal(m_.version);
    }
    const json saved = {{"direction", direction()}, {"key", *upper}};
    return history_.backfill_progress_sql(m_.version, saved.dump(), rows);
  }

  // One batch: its rows and its progress commit together, or neither does.
  long long run_batch(const std::optional<std::vector<std::string>>& upper, bool done, long long elapsed_ms) {
    long long rows = 0;
    const std::string what = label() + " batch after key " + (last_ ? json(*last_).dump() : "(start)");
    with_lock_retries(ctx_, what, [&] {
      const auto attempt = Clock::now();
      try {
        const std::vector<QueryResult> results =
            ctx_.db.query_each("BEGIN; " + timeouts_sql(ctx_.timeouts, step_.directives, true) + "; " + execute_batch(upper));
        rows = results.back().affected;
        const QueryResult lsn =
            ctx_.db.query(progress_sql(upper, rows, done, elapsed_ms) + "; COMMIT; SELECT pg_current_wal_lsn()::text");
        replicas_.committed_at(lsn.scalar().value_or("0/0"));
      } catch (const Error& e) {
        if (ctx_.db.in_transaction()) {
          try {
            ctx_.db.query("ROLLBACK");
          } catch (const Error&) {
          }
        }
        if (is_lock_conflict(e.sqlstate())) throttled(std::string("lock"), ms_since(attempt));
        if (e.code() == ExitCode::interrupted || e.code() == ExitCode::database_unreachable || is_lock_conflict(e.sqlstate())) throw;
        throw Error(ExitCode::migration_failed, "migration_failed",
                    step_.file->path + ":" + std::to_string(statement_.line) + ": " + server_message_line(e.what()) + " (" + what +
                        " rolled back; the batches before it are kept: fix and run again to resume)")
            .with_position({step_.file->path, statement_.line, std::nullopt});
      }
    });
    return rows;
  }

  void throttled(const std::string& reason, long long ms) {
    throttled_ += ms;
    event("backfill_throttled", {{"reason", reason}, {"waited_ms", ms}});
  }

  // Waits (between batches, holding no lock but the migration lock) while a
  // standby lags or the rate is above its cap; a wait longer than --lock-wait stops with exit 6.
  void throttle() {
    const auto started = Clock::now();
    bool said = false;
    for (Duration lag = replicas_.behind(ctx_.db); lag > ctx_.backfill.max_replica_lag; lag = replicas_.behind(ctx_.db)) {
      if (!said) {
        log::warn(label(), ": a standby's replay is ", format_duration(lag), " behind (over --max-replica-lag ",
                  format_duration(ctx_.backfill.max_replica_lag), "); waiting");
        event("backfill_waiting", {{"reason", "replica_lag"}, {"lag_ms", lag.count()}});
      }
      said = true;
      if (Clock::now() - started > ctx_.timeouts.lock_wait) {
        throw Error(ExitCode::lock_unavailable, "replica_lag",
                    label() + ": a standby stayed more than " + format_duration(ctx_.backfill.max_replica_lag) + " behind for " +
                        format_duration(ctx_.timeouts.lock_wait) + " (--lock-wait); the backfill's progress is kept");
      }
      sleep_for(std::chrono::milliseconds(250), "waiting for a standby");
    }
    if (said) throttled("replica_lag", ms_since(started));
    if (!ctx_.backfill.max_rows_per_second || rows_ == 0) return;
    const double allowed_ms = 1000.0 * static_cast<double>(rows_) / *ctx_.backfill.max_rows_per_second;
    const long long ahead = static_cast<long long>(allowed_ms) - ms_since(run_started_);
    if (ahead <= 0) return;
    sleep_for(std::chrono::milliseconds(ahead), "pacing rows per second");
    throttled("rate", ahead);
  }

  void sleep_for(Duration d, const std::string& what) {
    const auto until = Clock::now() + d;
    while (Clock::now() < until) {
      throw_if_interrupted(label() + " stopped while " + what + " (progress kept; run again to resume)");
      std::this_thread::sleep_for(std::min<Clock::duration>(std::chrono::milliseconds(50), until - Clock::now()));
    }
  }

  void report_progress(Clock::time_point started) {
    if (Clock::now() - last_report_ < std::chrono::seconds(2)) return;
    last_report_ = Clock::now();
    const double seconds = std::max(0.001, static_cast<double>(ms_since(started)) / 1000.0);
    const double rate = static_cast<double>(keys_ - rows_before_) / seconds;
    const long long left = rows_left();
    log::info(label(), ": backfill ", rows_before_ + rows_, " rows changed, ", left < 0 ? std::string("rows left unknown (no statistics yet)") : "~" + std::to_string(left) + " left",
              ", ", static_cast<long long>(rate), " keys/s",
              rate > 0 && left >= 0 ? ", ETA " + std::to_string(static_cast<long long>(static_cast<double>(left) / rate)) + " s" : "");
  }

  MigratorContext& ctx_;
  History& history_;
  const MigrationStep& step_;
  const Migration& m_;
  const BackfillStatement statement_;
  const BackfillKey key_;
  BatchSizer sizer_;
  ReplicaLag replicas_;
  std::optional<std::vector<std::string>> last_;
  long long rows_before_ = 0, rows_ = 0, keys_ = 0, estimated_total_ = 0, throttled_ = 0;
  Clock::time_point run_started_ = Clock::now();
  Clock::time_point last_report_ = Clock::now();
};

}  // namespace

BackfillKey read_backfill_key(Database& db, const BackfillStatement& s, const std::vector<std::string>& key_directive,
                              const std::string& file) {
  BackfillKey key{quoted_table(db, s), {}, {}};
  const std::string regclass = "to_regclass(" + db.literal(key.table) + ")";
  if (db.query("SELECT " + regclass + " IS NOT NULL").scalar().value_or("f") != "t") {
    throw no_key(file, "table " + key.table + " does not exist (a backfill changes an existing table)");
  }
  // The primary key, or a valid unique non-partial index on exactly the named columns, in their order.
  std::string wanted = "i.indisprimary";
  if (!key_directive.empty()) {
    std::string names;
    for (const std::string& c : key_directive) names += (names.empty() ? "" : ", ") + db.literal(c);
    wanted = "i.indisunique AND i.indpred IS NULL AND i.indexprs IS NULL AND i.indnkeyatts = " + std::to_string(key_directive.size()) +
             " AND (SELECT array_agg(a.attname::text ORDER BY k.n) FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, n) "
             "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum WHERE k.n <= i.indnkeyatts) = ARRAY[" + names + "]";
  }
  const QueryResult r = db.query(
      "SELECT quote_ident(a.attname), format_type(a.atttypid, a.atttypmod), a.attnotnull FROM pg_index i "
      "JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, n) ON k.n <= i.indnkeyatts "
      "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum "
      "WHERE i.indrelid = " + regclass + " AND i.indisvalid AND " + wanted +
      " ORDER BY i.indexrelid, k.n");
  if (r.rows.empty()) {
    throw no_key(file, key_directive.empty() ? "table " + key.table + " has no primary key: name a unique, NOT NULL key with -- mig:key col[,col]"
                                             : "-- mig:key names no valid, non-partial unique index of " + key.table + " on exactly those columns");
  }
  for (const Row& row : r.rows) {
    if (key.columns.size() == (key_directive.empty() ? r.rows.size() : key_directive.size())) break;
    if (row[2].value_or("f") != "t") throw no_key(file, "key column " + row[0].value_or("") + " of " + key.table + " may be NULL");
    key.columns.push_back(row[0].value_or(""));
    key.types.push_back(row[1].value_or(""));
  }
  return key;
}

std::string batch_statement(const BackfillStatement& statement, const BackfillKey& key, bool lower, bool upper) {
  const int n = static_cast<int>(key.columns.size());
  const std::string q = "\"" + statement.qualifier + "\"";
  std::string condition;
  if (lower) condition = compare(key, q, ">", 1);
  if (upper) condition += (condition.empty() ? "" : " AND ") + compare(key, q, "<=", lower ? n + 1 : 1);
  return with_condition(statement.sql, condition);
}

MigrationOutcome run_backfill(MigratorContext& ctx, History& history, const MigrationStep& step, long long batch,
                              const std::optional<std::string>& backup_id) {
  const Migration& m = *step.migration;
  BackfillRun run(ctx, history, step);  // reads the shape and the key before anything is recorded
  std::optional<HistoryRow> row;
  for (const HistoryRow& r : history.read()) {
    if (r.version == m.version) row = r;
  }
  if (!step.down && !row) {
    history.record_backfill_started(m.record(), batch, backup_id);
    for (const HistoryRow& r : history.read()) {
      if (r.version == m.version) row = r;
    }
  }
  const long long ms = run.run(row);
  return {m.version, m.name, ms, 1, false, "", {}};
}

nlohmann::json backfill_progress(Database& db, const Migration& migration, const HistoryRow& row) {
  const long long rows = row.backfill_rows.value_or(0);
  json out = {{"version", row.version}, {"name", row.name}, {"started_at", row.applied_at}, {"rows", rows},
              {"last_key", row.backfill_last_key ? json::parse(*row.backfill_last_key, nullptr, false).value("key", json(nullptr)) : json(nullptr)}};
  const BackfillStatement statement = read_backfill_statement(migration.up);
  const QueryResult r = db.query("SELECT c.reltuples::bigint, extract(epoch FROM now() - " + db.literal(row.applied_at) +
                                 "::timestamptz) FROM pg_class c WHERE c.oid = to_regclass(" + db.literal(quoted_table(db, statement)) + ")");
  if (r.rows.empty()) return out;
  const long long estimate = std::stoll(r.rows[0][0].value_or("0"));
  const double seconds = std::max(0.001, std::stod(r.rows[0][1].value_or("0")));
  const double rate = static_cast<double>(rows) / seconds;
  const long long left = std::max(0LL, estimate - rows);
  out["table"] = statement.table;
  out["rows_per_second"] = static_cast<long long>(rate);
  // Unknown (null) while the table has no statistics (reltuples -1).
  out["estimated_rows_left"] = estimate < 0 ? json(nullptr) : json(left);
  out["eta_seconds"] = rate > 0 && estimate >= 0 ? json(static_cast<long long>(static_cast<double>(left) / rate)) : json(nullptr);
  return out;
}

nlohmann::json explain_first_batch(Database& db, const MigrationStep& step) {
  const BackfillStatement statement = read_backfill_statement(*step.file);
  const BackfillKey key = read_backfill_key(db, statement, step.directives.key, step.file->path);
  const long long size = step.directives.batch_size.value_or(kDefaultBatchSize);
  const QueryResult boundary = db.query("SELECT " + column_list(key, "::text") + " FROM " + key.table + " AS mig_key ORDER BY " +
                                        column_list(key) + " LIMIT 1 OFFSET " + std::to_string(size - 1));
  std::string sql = statement.sql;
  if (!boundary.rows.empty()) {
    std::string params;
    for (std::size_t i = 0; i < key.columns.size(); ++i) {
      params += (i ? ", " : "") + db.literal(boundary.rows[0][i].value_or("")) + "::" + key.types[i];
    }
    db.query("PREPARE mig_backfill_plan(" + type_list(key) + ") AS " + batch_statement(statement, key, false, true));
    sql = "EXECUTE mig_backfill_plan(" + params + ")";
  }
  // Whether a batch can avoid reading the whole table: the plan with sequential
  // scans priced out (a fresh table without statistics may still get one by choice).
  const QueryResult explained = db.query_each("SET LOCAL enable_seqscan = off; EXPLAIN (FORMAT JSON) " + sql + "; RESET enable_seqscan").at(1);
  const json must = json::parse(explained.scalar().value_or("[]"), nullptr, false);
  const std::string plan = db.query("EXPLAIN (ANALYZE, FORMAT JSON) " + sql).scalar().value_or("[]");
  if (!boundary.rows.empty()) db.query("DEALLOCATE mig_backfill_plan");
  const json tree = json::parse(plan, nullptr, false);
  // A sequential scan of the batched table even so: each batch would read all of it.
  bool full_scan = false;
  std::vector<const json*> todo = {&must};
  while (!todo.empty()) {
    const json* node = todo.back();
    todo.pop_back();
    if (node->is_object()) {
      if (node->value("Node Type", "") == "Seq Scan" && node->value("Relation Name", "") == statement.table) full_scan = true;
      for (const auto& [k, v] : node->items()) todo.push_back(&v);
    } else if (node->is_array()) {
      for (const json& v : *node) todo.push_back(&v);
    }
  }
  return {{"version", step.migration->version}, {"name", step.migration->name}, {"table", key.table}, {"key", key.columns},
          {"batch_size", size}, {"plan", tree}, {"full_scan", full_scan && !boundary.rows.empty()}};
}

}  // namespace mig
