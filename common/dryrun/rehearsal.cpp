#include "dryrun/rehearsal.hpp"

#include <chrono>
#include <cmath>
#include <map>
#include <set>

#include "engine/backfill.hpp"
#include "pg/db.hpp"
#include "dryrun/created_names.hpp"
#include "engine/directives.hpp"
#include "base/errors.hpp"
#include "pg/lock.hpp"
#include "base/log.hpp"
#include "engine/migration_runner.hpp"
#include "engine/migration_set.hpp"
#include "engine/transaction_batch.hpp"
#include "text/source_text.hpp"
#include "text/sql.hpp"
#include "engine/status.hpp"
#include "engine/migration_choice.hpp"

namespace mig {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

// Tables (and materialized views) that existed before the rehearsal: only locks,
// rewrites and validations on those can hurt running traffic. Kept on the client,
// names included (a table dropped later in the rehearsal has no name to look up).
struct KnownRelation {
  std::string name;
  std::string relfilenode;
  long long estimated_rows = 0;
};

const char* kRelationsSql =
    "SELECT c.oid::text, c.oid::regclass::text, c.relfilenode::text, greatest(c.reltuples, 0)::bigint::text, c.relname "
    "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE c.relkind IN ('r', 'p', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
    "AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'";

// After each statement: the locks this backend holds on known tables, with their
// storage (a rewrite needs ACCESS EXCLUSIVE, so a changed relfilenode shows there),
// validated constraints on the known tables it holds locks on, and the server's clock.
// Prepared once per rehearsal with the known tables' OIDs as a constant array: no
// temporary tables, no writes, no planning per statement.
std::string observe_sql(const std::string& oid_array) {
  return "WITH held AS MATERIALIZED (SELECT relation, mode FROM pg_locks WHERE pid = pg_backend_pid() "
         "AND locktype = 'relation' AND granted AND relation = ANY (" + oid_array + ")) "
         "SELECT 'lock', h.relation::text, h.mode, c.relfilenode::text FROM held h "
         "LEFT JOIN pg_class c ON c.oid = h.relation "
         "UNION ALL SELECT 'constraint', con.oid::text, con.conname || ' on ' || con.conrelid::regclass::text, NULL "
         "FROM pg_constraint con WHERE con.convalidated AND con.contype IN ('c', 'f', 'p', 'u', 'x') "
         "AND con.conrelid IN (SELECT relation FROM held) "
         "UNION ALL SELECT 'time', (extract(epoch FROM clock_timestamp()) * 1000)::text, NULL, NULL";
}

// The server's clock in milliseconds, as the observation reports it.
const char* kClockSql = "SELECT 'time', (extract(epoch FROM clock_timestamp()) * 1000)::text, NULL, NULL";

class Snapshot {
 public:
  // Reads the known tables and their constraints, and prepares the observation.
  explicit Snapshot(Database& db) {
    std::string oids;
    for (const Row& r : db.query(kRelationsSql).rows) {
      relations_[r[0].value_or("")] = {r[1].value_or(""), r[2].value_or(""), std::stoll(r[3].value_or("0"))};

      oids += (oids.empty() ? "" : ",") + r[0].value_or("");
    }
    const std::string array = "'{" + oids + "}'::oid[]";
    // Every existing relation's name (indexes, views, sequences too: DROP INDEX locks its table).
    for (const Row& r : db.query("SELECT DISTINCT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                                 "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') "
                                 "AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'").rows) {
      relnames_.insert(r[0].value_or(""));
    }
    for (const Row& r : db.query("SELECT oid::text FROM pg_constraint WHERE conrelid = ANY (" + array + ")").rows) {
      constraints_.insert(r[0].value_or(""));
    }
    db.query("PREPARE mig_observe AS " + observe_sql(array));
  }

  const KnownRelation* relation(const std::string& oid) const {
    auto it = relations_.find(oid);
    return it == relations_.end() ? nullptr : &it->second;
  }
  // True once per relfilenode change: the table's storage was rewritten.
  bool rewritten(const std::string& oid, const Field& relfilenode) {
    auto it = relations_.find(oid);
    if (it == relations_.end() || !relfilenode || *relfilenode == it->second.relfilenode) return false;
    it->second.relfilenode = *relfilenode;
    return true;
  }
  // True the first time a validated constraint is seen.
  bool newly_validated(const std::string& oid) { return constraints_.insert(oid).second; }

  // Whether a statement could lock a known table: it names one, calls a function
  // (which may touch any table), is a DO/CALL, or does not parse. Most statements
  // of a migration only touch what it creates; observing those (pg_locks grows
  // with every lock the rehearsal holds) was most of a rehearsal's time.
  bool may_touch(const std::string& statement) const {
    const ParseOutcome parsed = parse_sql(statement);
    const std::string& tree = parsed.tree_json;
    if (parsed.error || tree.find("\"FuncCall\"") != std::string::npos || tree.find("\"DoStmt\"") != std::string::npos ||
        tree.find("\"CallStmt\"") != std::string::npos) {
      return true;
    }
    // Names appear as RangeVar relnames, or as strings (DROP, COMMENT ON, ALTER INDEX ...).
    for (const std::string key : {"\"relname\":\"", "\"sval\":\""}) {
      for (std::size_t at = tree.find(key); at != std::string::npos; at = tree.find(key, at + 1)) {
        const std::size_t begin = at + key.size();
        if (relnames_.count(tree.substr(begin, tree.find('"', begin) - begin))) return true;
      }
    }
    return false;
  }

 private:
  std::set<std::string> relnames_;
  std::map<std::string, KnownRelation> relations_;
  std::set<std::string> constraints_;
};

struct Observation {
  std::set<std::pair<std::string, std::string>> locks;  // (relation, mode) held now
  json new_locks = json::array();
  json rewrites = json::array();
  json validated = json::array();
  double clock_ms = 0;  // when it was taken, on the server's clock
};

Observation read_observation(const QueryResult& result, Snapshot& snapshot,
                             const std::set<std::pair<std::string, std::string>>& held_before) {
  Observation o;
  for (const Row& r : result.rows) {
    const std::string kind = r[0].value_or("");
    if (kind == "time") {
      o.clock_ms = std::stod(r[1].value_or("0"));
    } else if (kind == "lock") {
      const KnownRelation* known = snapshot.relation(r[1].value_or(""));
      if (!known) continue;
      const auto key = std::make_pair(known->name, r[2].value_or(""));
      o.locks.insert(key);
      if (!held_before.count(key)) {
        o.new_locks.push_back({{"relation", key.first}, {"mode", key.second}, {"estimated_rows", known->estimated_rows}});
      }
      if (snapshot.rewritten(r[1].value_or(""), r[3])) {
        o.rewrites.push_back({{"relation", known->name}, {"estimated_rows", known->estimated_rows}});
      }
    } else if (kind == "constraint") {
      if (snapshot.newly_validated(r[1].value_or(""))) o.validated.push_back(r[2].value_or(""));
    }
  }
  return o;
}

constexpr const char* kObserve = "EXECUTE mig_observe";

// Runs one migration inside a savepoint in one round trip: each statement is
// followed by an observation (locks, rewrites, validations, the server's clock),
// so durations and locks are per statement without a round trip each.
class MigrationRehearsal {
 public:
  MigrationRehearsal(MigratorContext& ctx, Snapshot& snapshot, std::set<std::pair<std::string, std::string>>& held)
      : ctx_(ctx), snapshot_(snapshot), held_(held) {}

  json run(const Migration& m, const Directives& d, std::optional<Error>& failure) {
    // Locks taken earlier in this rehearsal stay held, so a statement that
    // needs one of them shows nothing new: say which were already held.
    json already_held = json::array();
    for (const auto& [relation, mode] : held_) already_held.push_back({{"relation", relation}, {"mode", mode}});
    json entry = {{"version", m.version}, {"name", m.name}, {"checksum", m.up.checksum}, {"rehearsed", true},
                  {"locks_already_held", already_held}, {"statements", json::array()}};
    const auto started = Clock::now();
    const ScanOutcome scanned = scan_sql(m.up.text);
    const LineIndex lines(m.up.text);
    std::vector<int> statement_lines;
    std::vector<bool> observed;  // a full observation after it, or only the clock
    // [0] savepoint and timeouts (3 statements), [3] the clock, then statement/observation pairs.
    std::string script = "SAVEPOINT mig_rehearsal; " + timeouts_sql(ctx_.timeouts, d, true) + "; " + kClockSql + ";\n";
    constexpr int kPrelude = 4;
    for (const SqlStatement& s : scanned.sql.statements) {
      statement_lines.push_back(lines.at(s.begin).line);
      const std::string statement = m.up.text.substr(s.begin, s.end - s.begin);
      observed.push_back(snapshot_.may_touch(statement));
      script.append(statement).append(";\n").append(observed.back() ? kObserve : kClockSql).append(";\n");
    }
    std::vector<QueryResult> results;
    try {
      results = ctx_.db.query_each(script);
    } catch (const Error& e) {
      if (e.code() == ExitCode::database_unreachable || e.code() == ExitCode::interrupted) throw;
      ctx_.db.query("ROLLBACK TO SAVEPOINT mig_rehearsal");
      const int index = e.failed_statement().value_or(kPrelude) - kPrelude;
      const int line = index >= 0 && index / 2 < static_cast<int>(statement_lines.size())
                           ? statement_lines[index / 2]
                           : (statement_lines.empty() ? 1 : statement_lines.front());
      const bool lock = is_lock_conflict(e.sqlstate());
      failure = Error(lock ? ExitCode::lock_unavailable : ExitCode::migration_failed,
                      lock ? "lock_timeout" : "migration_failed",
                      m.up.path + ":" + std::to_string(line) + ": " + server_message_line(e.what()) +
                          " (rehearsal rolled back)")
                    .with_sqlstate(e.sqlstate().value_or(""))
                    .with_position({m.up.path, line, std::nullopt});
      entry["failed"] = {{"line", line}, {"message", server_message_line(e.what())}};
    }
    if (!failure) {
      double clock = read_observation(results.at(kPrelude - 1), snapshot_, held_).clock_ms;
      for (std::size_t i = 0; i < statement_lines.size(); ++i) {
        Observation seen = read_observation(results.at(kPrelude + 2 * i + 1), snapshot_, held_);
        if (observed[i]) held_ = seen.locks;
        const long long ms = std::llround(std::max(0.0, seen.clock_ms - clock));
        clock = seen.clock_ms;
        entry["statements"].push_back({{"line", statement_lines[i]}, {"duration_ms", ms}, {"locks", seen.new_locks},
                                       {"rewrites", seen.rewrites}, {"validated_constraints", seen.validated}});
      }
      ctx_.db.query("RELEASE SAVEPOINT mig_rehearsal");
    }
    entry["duration_ms"] = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count();
    return entry;
  }

 private:
  MigratorContext& ctx_;
  Snapshot& snapshot_;
  std::set<std::pair<std::string, std::string>>& held_;
};

// nextval() is not undone by ROLLBACK, and a sequence must never be moved back:
// the application may have drawn ids meanwhile, and would get them again. The
// gap is left (gaps are normal in PostgreSQL) and reported.
const char* kSequencesSql =
    "SELECT format('%I.%I', schemaname, sequencename), coalesce(last_value::text, '') "
    "FROM pg_sequences WHERE has_sequence_privilege(format('%I.%I', schemaname, sequencename), 'SELECT')";

std::map<std::string, std::string> sequence_positions(Database& db) {
  std::map<std::string, std::string> positions;
  for (const Row& r : db.query(kSequencesSql).rows) positions[r[0].value_or("")] = r[1].value_or("");
  return positions;
}

json advanced_sequences(const std::map<std::string, std::string>& before,
                        const std::map<std::string, std::string>& after) {
  json report = json::array();
  for (const auto& [name, position] : after) {
    auto was = before.find(name);
    if (was == before.end() || was->second == position || position.empty()) continue;
    json item = {{"sequence", name}, {"from", was->second.empty() ? json(nullptr) : json(std::stoll(was->second))},
                 {"to", std::stoll(position)}, {"restored", false}};
    report.push_back(item);
    log::info("sequence ", name, " advanced during the rehearsal (", (was->second.empty() ? "unused" : was->second),
              " -> ", position, "); left as is: a gap, never a value handed out twice");
  }
  return report;
}

// Whatever happens, the rehearsal's transaction ends in ROLLBACK.
class AlwaysRollback {
 public:
  explicit AlwaysRollback(Database& db) : db_(db) { db_.query("BEGIN"); }
  ~AlwaysRollback() { roll_back_after_failure(db_); }  // a lost connection rolls back on the server

 private:
  Database& db_;
};

// A backfill is rehearsed by its first batch (EXPLAIN ANALYZE runs it inside
// the rehearsal's transaction): its plan is reported, and a batch that reads
// the whole table is an error, since every batch would.
void rehearse_first_batch(MigratorContext& ctx, const Migration& m, const Directives& d, RehearsalResult& result) {
  const auto started = std::chrono::steady_clock::now();
  json plan;
  try {
    plan = explain_first_batch(ctx.db, MigrationStep{&m, &m.up, d, false, {}, false, {}});
  } catch (const Error& e) {
    if (e.code() == ExitCode::database_unreachable) throw;
    result.failure = e.code() == ExitCode::invalid_input
                         ? e
                         : Error(ExitCode::migration_failed, e.kind(), m.up.path + ": " + server_message_line(e.what()) + " (rehearsal rolled back)");
    return;
  }
  const long long ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  result.data["migrations"].push_back({{"version", m.version}, {"name", m.name}, {"checksum", m.up.checksum}, {"rehearsed", true},
                                       {"backfill", true}, {"duration_ms", ms}, {"statements", json::array()}});
  if (!result.data.contains("backfills")) result.data["backfills"] = json::array();
  result.data["backfills"].push_back(plan);
  if (plan.value("full_scan", false)) {
    result.failure = Error(ExitCode::migration_failed, "backfill_full_scan",
                           m.up.path + ": each batch of this backfill reads the whole table " + plan.value("table", "") +
                               " (a sequential scan in its plan): index the key, or check the statement's WHERE");
  }
}

}  // namespace

RehearsalResult rehearse(MigratorContext& ctx, const MigrationSet& set, bool allow_out_of_order) {
  // 1. What would run, validated as mig-apply would.
  History history(ctx.db, ctx.table);
  MigrationLock lock(ctx.db, ctx.table, ctx.session_pooler);
  lock.acquire(ctx.timeouts.lock_wait, [](const LockHolder& h) {
    log::info("waiting for the migration lock held by ", h.describe());
  });
  const MigrationStatus status = compare_with_history(set, history.read_all());
  require_consistent(status);
  ApplyOptions choice;
  choice.allow_out_of_order = allow_out_of_order;
  std::vector<const Migration*> chosen = select_pending(status, choice);
  const std::vector<const Migration*> repeatables = repeatables_after(status, chosen);
  chosen.insert(chosen.end(), repeatables.begin(), repeatables.end());
  std::vector<std::pair<const Migration*, Directives>> pending;
  for (const Migration* m : chosen) {
    Directives d = read_directives(m->up);
    if (m->repeatable) require_fits_repeatable(m->up, d);
    if (!d.no_transaction) require_no_transaction_control(m->up);
    pending.emplace_back(m, d);
  }

  // 2. One transaction, rolled back whatever happens.
  RehearsalResult result{{{"migrations", json::array()}, {"rolled_back", true}}, std::nullopt};
  std::map<std::string, std::string> sequences_before, sequences_after;
  std::optional<std::string> skipped;  // the first no-transaction migration left out
  std::set<std::string> skipped_names;  // what the skipped ones would create
  {
    AlwaysRollback transaction(ctx.db);
    sequences_before = sequence_positions(ctx.db);
    Snapshot snapshot(ctx.db);
    std::set<std::pair<std::string, std::string>> held = read_observation(ctx.db.query(kObserve), snapshot, {}).locks;
    MigrationRehearsal rehearsal(ctx, snapshot, held);
    for (const auto& [m, d] : pending) {
      if (m->checkpoint && !starts_from(status, chosen, *m)) {
        result.data["migrations"].push_back({{"version", m->version}, {"name", m->name}, {"checksum", m->up.checksum},
                                             {"rehearsed", false}, {"duration_ms", 0}, {"statements", json::array()},
                                             {"reason", "checkpoint: this database has the migrations before it, so mig-apply only records it"}});
        continue;
      }
      if (d.no_transaction) {
        result.data["migrations"].push_back({{"version", m->version}, {"name", m->name}, {"checksum", m->up.checksum},
                                             {"rehearsed", false}, {"duration_ms", 0}, {"statements", json::array()},
                                             {"reason", "-- mig:no-transaction: cannot run inside the rehearsal's transaction"}});
        if (!skipped) skipped = m->version + "_" + m->name;
        const std::set<std::string> names = created_names(m->up.text);
        skipped_names.insert(names.begin(), names.end());
        continue;
      }
      if (ctx.events) ctx.events("rehearsing", {{"version", m->version}, {"name", m->name}});
      if (d.backfill) {
        rehearse_first_batch(ctx, *m, d, result);
        if (result.failure) break;
        continue;
      }
      result.data["migrations"].push_back(rehearsal.run(*m, d, result.failure));
      if (m->repeatable) result.data["migrations"].back()["repeatable"] = true;
      if (result.failure && skipped && result.failure->code() == ExitCode::migration_failed &&
          mentions_any(result.failure->what(), skipped_names)) {
        // It names what a skipped migration would have made: inconclusive, not a failure.
        json& entry = result.data["migrations"].back();
        entry["rehearsed"] = false;
        entry["reason"] = "failed after " + *skipped + " was skipped (no-transaction), and may depend on it: " +
                          std::string(result.failure->what());
        log::warn(m->version, "_", m->name, " not rehearsed: ", entry["reason"].get<std::string>());
        result.failure.reset();
        continue;
      }
      if (result.failure && result.failure->sqlstate() == "55P04") {
        // unsafe_new_enum_value_usage: it uses a value an earlier migration of this
        // rehearsal added. The rehearsal is one transaction; mig-apply commits each
        // migration, after which the value may be used: inconclusive, not a failure.
        json& entry = result.data["migrations"].back();
        entry["rehearsed"] = false;
        entry["reason"] = "uses an enum value that an earlier pending migration adds; PostgreSQL allows that only "
                          "after the adding transaction commits, as mig-apply's will: " + std::string(result.failure->what());
        log::warn(m->label(), " not rehearsed: ", entry["reason"].get<std::string>());
        result.failure.reset();
        continue;
      }
      if (result.failure) break;
    }
    sequences_after = sequence_positions(ctx.db);
    ctx.db.query("DEALLOCATE mig_observe");
  }
  result.data["sequences"] = advanced_sequences(sequences_before, sequences_after);
  lock.release();
  return result;
}

}  // namespace mig
