#include "rehearsal.hpp"

#include <chrono>
#include <map>
#include <set>

#include "db.hpp"
#include "directives.hpp"
#include "errors.hpp"
#include "lock.hpp"
#include "log.hpp"
#include "migration_runner.hpp"
#include "migration_set.hpp"
#include "source_text.hpp"
#include "sql.hpp"
#include "status.hpp"

namespace mig {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

// What existed before the rehearsal, kept in temporary tables of the
// rehearsal's own transaction (they vanish with its ROLLBACK).
const char* kSnapshotSql =
    "CREATE TEMP TABLE mig_rehearsal_relations AS "
    "SELECT c.oid, c.relfilenode, c.relkind, c.reltuples FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' "
    "AND n.nspname NOT LIKE 'pg\\_temp%';"
    "CREATE TEMP TABLE mig_rehearsal_constraints AS SELECT oid FROM pg_constraint";

// One round trip after each statement: locks this backend now holds on
// pre-existing relations, tables whose storage was rewritten, and constraints
// added already validated. The snapshot moves on so nothing is reported twice.
const char* kObserveSql = R"SQL(
WITH rewritten AS (
  UPDATE mig_rehearsal_relations r SET relfilenode = c.relfilenode FROM pg_class c
  WHERE c.oid = r.oid AND c.relfilenode <> r.relfilenode AND r.relkind IN ('r', 'p', 'm')
  RETURNING r.oid, r.reltuples
), validated AS (
  INSERT INTO mig_rehearsal_constraints SELECT con.oid FROM pg_constraint con
  WHERE con.convalidated AND con.contype IN ('c', 'f', 'p', 'u', 'x')
    AND con.conrelid IN (SELECT oid FROM mig_rehearsal_relations)
    AND con.oid NOT IN (SELECT oid FROM mig_rehearsal_constraints)
  RETURNING oid
)
SELECT 'lock', l.relation::regclass::text, l.mode, r.reltuples::bigint::text
FROM pg_locks l JOIN mig_rehearsal_relations r ON r.oid = l.relation
WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation' AND l.granted AND r.relkind IN ('r', 'p', 'm')
UNION ALL SELECT 'rewrite', oid::regclass::text, NULL, reltuples::bigint::text FROM rewritten
UNION ALL SELECT 'validated', con.conname || ' on ' || con.conrelid::regclass::text, NULL, NULL
FROM validated v JOIN pg_constraint con ON con.oid = v.oid
)SQL";

struct Observation {
  std::set<std::pair<std::string, std::string>> locks;  // (relation, mode) held now
  json new_locks = json::array();
  json rewrites = json::array();
  json validated = json::array();
};

long long rows_estimate(const Field& f) { return f ? std::max(0LL, std::stoll(*f)) : 0; }

Observation observe(Database& db, const std::set<std::pair<std::string, std::string>>& held_before) {
  Observation o;
  for (const Row& r : db.query(kObserveSql).rows) {
    const std::string kind = r[0].value_or("");
    if (kind == "lock") {
      const auto key = std::make_pair(r[1].value_or(""), r[2].value_or(""));
      o.locks.insert(key);
      if (!held_before.count(key)) {
        o.new_locks.push_back({{"relation", key.first}, {"mode", key.second}, {"estimated_rows", rows_estimate(r[3])}});
      }
    } else if (kind == "rewrite") {
      o.rewrites.push_back({{"relation", r[1].value_or("")}, {"estimated_rows", rows_estimate(r[3])}});
    } else {
      o.validated.push_back(r[1].value_or(""));
    }
  }
  return o;
}

// Runs one migration's statements inside a savepoint, observing each.
class MigrationRehearsal {
 public:
  MigrationRehearsal(MigratorContext& ctx, std::set<std::pair<std::string, std::string>>& held)
      : ctx_(ctx), held_(held) {}

  json run(const Migration& m, const Directives& d, std::optional<Error>& failure) {
    // Locks taken earlier in this rehearsal stay held, so a statement that
    // needs one of them shows nothing new: say which were already held.
    json already_held = json::array();
    for (const auto& [relation, mode] : held_) already_held.push_back({{"relation", relation}, {"mode", mode}});
    json entry = {{"version", m.version}, {"name", m.name}, {"checksum", m.up.checksum}, {"rehearsed", true},
                  {"locks_already_held", already_held}, {"statements", json::array()}};
    const auto started = Clock::now();
    ctx_.db.query("SAVEPOINT mig_rehearsal; " + timeouts_sql(ctx_.timeouts, d, true));
    const ScanOutcome scanned = scan_sql(m.up.text);
    const LineIndex lines(m.up.text);
    for (const SqlStatement& s : scanned.sql.statements) {
      const int line = lines.at(s.begin).line;
      const auto t0 = Clock::now();
      try {
        ctx_.db.query(m.up.text.substr(s.begin, s.end - s.begin));
      } catch (const Error& e) {
        if (e.code() == ExitCode::database_unreachable) throw;
        ctx_.db.query("ROLLBACK TO SAVEPOINT mig_rehearsal");
        const bool lock = is_lock_conflict(e.sqlstate());
        failure = Error(lock ? ExitCode::lock_unavailable : ExitCode::migration_failed,
                        lock ? "lock_timeout" : "migration_failed",
                        m.up.path + ":" + std::to_string(line) + ": " + server_message_line(e.what()) + " (rehearsal rolled back)")
                      .with_sqlstate(e.sqlstate().value_or(""))
                      .with_position({m.up.path, line, std::nullopt});
        entry["failed"] = {{"line", line}, {"message", server_message_line(e.what())}};
        break;
      }
      const long long ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count();
      Observation seen = observe(ctx_.db, held_);
      held_ = seen.locks;
      entry["statements"].push_back({{"line", line}, {"duration_ms", ms}, {"locks", seen.new_locks},
                                     {"rewrites", seen.rewrites}, {"validated_constraints", seen.validated}});
    }
    if (!failure) ctx_.db.query("RELEASE SAVEPOINT mig_rehearsal");
    entry["duration_ms"] = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count();
    return entry;
  }

 private:
  MigratorContext& ctx_;
  std::set<std::pair<std::string, std::string>>& held_;
};

// nextval() is not undone by ROLLBACK. Sequence positions are read before and
// at the end of the rehearsal; after the rollback each advanced sequence is
// set back, but only while locked against nextval (LOCK TABLE refuses
// sequences; a no-op ALTER SEQUENCE blocks nextval until commit, measured) and
// only if nobody else drew from it meanwhile (setting a live sequence back
// would hand out ids twice).
const char* kSequencesSql =
    "SELECT format('%I.%I', schemaname, sequencename), coalesce(last_value::text, ''), increment_by::text "
    "FROM pg_sequences WHERE has_sequence_privilege(format('%I.%I', schemaname, sequencename), 'SELECT')";

struct SequencePosition {
  std::string last_value;  // "" when never called
  std::string increment;
  bool operator==(const SequencePosition& o) const { return last_value == o.last_value; }
};

std::map<std::string, SequencePosition> sequence_positions(Database& db) {
  std::map<std::string, SequencePosition> positions;
  for (const Row& r : db.query(kSequencesSql).rows) positions[r[0].value_or("")] = {r[1].value_or(""), r[2].value_or("1")};
  return positions;
}

json restore_sequences(Database& db, const std::map<std::string, SequencePosition>& before,
                       const std::map<std::string, SequencePosition>& after) {
  json report = json::array();
  for (const auto& [name, position] : after) {
    auto was = before.find(name);
    if (was == before.end() || was->second == position) continue;
    const std::string restore = was->second.last_value.empty()
                                    ? "setval(" + db.literal(name) + ", 1, false)"
                                    : "setval(" + db.literal(name) + ", " + was->second.last_value + ", true)";
    bool untouched_since = false;
    try {
      db.query("BEGIN; SET LOCAL lock_timeout = 1000; ALTER SEQUENCE " + name + " INCREMENT BY " + position.increment);
      const Field now = db.query("SELECT CASE WHEN is_called THEN last_value::text ELSE '' END FROM " + name).scalar();
      untouched_since = now.value_or("") == position.last_value;
      if (untouched_since) db.query("SELECT " + restore);
      db.query("COMMIT");
    } catch (const Error& e) {
      if (e.code() == ExitCode::database_unreachable) throw;
      db.query("ROLLBACK");
    }
    report.push_back({{"sequence", name}, {"restored", untouched_since}});
    if (!untouched_since) log::warn("sequence ", name, " advanced during the rehearsal and was used since; left as is");
  }
  return report;
}

// Whatever happens, the rehearsal's transaction ends in ROLLBACK.
class AlwaysRollback {
 public:
  explicit AlwaysRollback(Database& db) : db_(db) { db_.query("BEGIN"); }
  ~AlwaysRollback() {
    try {
      db_.query("ROLLBACK");
    } catch (const std::exception& e) {
      log::debug("rollback: ", e.what());  // a lost connection rolls back on the server
    }
  }

 private:
  Database& db_;
};

}  // namespace

RehearsalResult rehearse(MigratorContext& ctx, const MigrationSet& set, bool allow_out_of_order) {
  // 1. What would run, validated as mig-apply would.
  History history(ctx.db, ctx.table);
  MigrationLock lock(ctx.db, ctx.table);
  lock.acquire(ctx.timeouts.lock_wait, [](const LockHolder& h) {
    log::info("waiting for the migration lock held by ", h.describe());
  });
  const MigrationStatus status = compare_with_history(set, history.read());
  require_consistent(status);
  if (!status.out_of_order.empty() && !allow_out_of_order) {
    throw invalid_input("out_of_order", "pending migration " + status.out_of_order.front()->version +
                                            " is older than the newest applied one; pass --allow-out-of-order");
  }
  std::vector<std::pair<const Migration*, Directives>> pending;
  for (const Migration* m : status.pending) {
    Directives d = read_directives(m->up);
    if (!d.no_transaction) require_no_transaction_control(m->up);
    pending.emplace_back(m, d);
  }

  // 2. One transaction, rolled back whatever happens.
  RehearsalResult result{{{"migrations", json::array()}, {"rolled_back", true}}, std::nullopt};
  std::map<std::string, SequencePosition> sequences_before, sequences_after;
  {
    AlwaysRollback transaction(ctx.db);
    sequences_before = sequence_positions(ctx.db);
    ctx.db.query(kSnapshotSql);
    std::set<std::pair<std::string, std::string>> held = observe(ctx.db, {}).locks;
    MigrationRehearsal rehearsal(ctx, held);
    for (const auto& [m, d] : pending) {
      if (d.no_transaction) {
        result.data["migrations"].push_back({{"version", m->version}, {"name", m->name}, {"checksum", m->up.checksum},
                                             {"rehearsed", false}, {"duration_ms", 0}, {"statements", json::array()},
                                             {"reason", "-- mig:no-transaction: cannot run inside the rehearsal's transaction"}});
        continue;
      }
      if (ctx.events) ctx.events("rehearsing", {{"version", m->version}, {"name", m->name}});
      result.data["migrations"].push_back(rehearsal.run(*m, d, result.failure));
      if (result.failure) break;
    }
    sequences_after = sequence_positions(ctx.db);
  }
  result.data["sequences"] = restore_sequences(ctx.db, sequences_before, sequences_after);
  lock.release();
  return result;
}

}  // namespace mig
